"""Definitions survive a round trip through their stored document, and diffs read as changes."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from tests.analytics.scoring.builders import SETTINGS, definitions

from alinea.analytics.scoring.document import (
    DocumentError,
    definition_diff,
    definition_from_dict,
    definition_to_dict,
)
from alinea.analytics.scoring.spec import Definition


@SETTINGS
@given(definition=definitions())
def test_a_definition_round_trips_through_json(definition: Definition) -> None:
    document = json.loads(json.dumps(definition_to_dict(definition)))
    assert definition_from_dict(document) == definition
    assert definition_diff(definition, definition_from_dict(document)) == []


def test_the_diff_names_added_changed_and_removed_rules() -> None:
    old = definition_from_dict(
        {
            "stage": "mql",
            "version": "v1",
            "fit": [{"attribute": "country", "any_of": ["ES"]}],
            "points": {
                "fit": [
                    {"criterion": {"attribute": "job_role", "any_of": ["student"]}, "points": -10}
                ],
                "engagement": [
                    {"source": "touchpoints", "points": 5, "half_life_days": 30, "label": "touches"}
                ],
            },
            "threshold": 20,
        }
    )
    new_doc = definition_to_dict(old)
    new_doc["version"] = "v2"
    new_doc["fit"] = []
    new_doc["engagement"] = [{"source": "touchpoints", "at_least": 2, "window_days": 30}]
    new_doc["points"]["engagement"][0]["half_life_days"] = 14
    new_doc["points"]["cap"] = 100
    new_doc["threshold"] = 25
    assert definition_diff(old, definition_from_dict(new_doc)) == [
        "+ criterion: ≥ 2 touchpoints in 30 days",
        "~ engagement points: touches: +5 per event, half-life 30 d → +5 per event, half-life 14 d",
        "~ score cap: none → 100",
        "~ threshold: score ≥ 20 → score ≥ 25",
        "- criterion: country in ES",
    ]


def test_an_invalid_document_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown lead attribute"):
        definition_from_dict(
            {"stage": "mql", "version": "v1", "fit": [{"attribute": "shoe", "any_of": ["x"]}]}
        )
    with pytest.raises(ValueError, match="go together"):
        definition_from_dict({"stage": "mql", "version": "v1", "threshold": 3,
                              "fit": [{"attribute": "country", "any_of": ["ES"]}]})  # fmt: skip


def _demo() -> dict:
    return {
        "stage": "mql",
        "version": "v1",
        "fit": [{"attribute": "country", "any_of": ["ES"]}],
        "engagement": [{"source": "touchpoints", "at_least": 2, "window_days": 30}],
        "points": {
            "fit": [{"criterion": {"attribute": "segment", "any_of": ["smb"]}, "points": 5}],
            "engagement": [{"source": "touchpoints", "points": 5, "cap": 40}],
            "floor": 0,
        },
        "threshold": 10,
    }


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("threshold",), "ten", "threshold is a number, got 'ten'"),
        (("threshold",), True, "threshold is a number, got True"),
        (("points", "floor"), "0", "points.floor is a number, got '0'"),
        (
            ("points", "engagement", 0, "cap"),
            "ten",
            "points.engagement[0].cap is a number, got 'ten'",
        ),
        (("points", "fit", 0, "points"), None, "points.fit[0].points is a number, got None"),
        (("engagement", 0, "at_least"), 2.5, "engagement[0].at_least is a whole number, got 2.5"),
        (("engagement", 0, "window_days"), [30], "engagement[0].window_days is a number, got [30]"),
        (("fit", 0, "any_of"), "ES", "fit[0].any_of is a list of text values, got 'ES'"),
        (("fit", 0, "attribute"), 7, "fit[0].attribute is text, got 7"),
        (("points", "engagement", 0, "types"), [1], "points.engagement[0].types is a list of text"),
        (("version",), 2, "version is text, got 2"),
        (("fit", 0), "country", "fit[0] is an object of fields, got 'country'"),
    ],
)
def test_a_value_of_the_wrong_type_is_refused_naming_field_and_value(
    path: tuple, value: object, message: str
) -> None:
    document = _demo()
    definition_from_dict(document)  # the untouched document is valid
    place = document
    for key in path[:-1]:
        place = place[key]
    place[path[-1]] = value
    with pytest.raises(DocumentError) as refused:
        definition_from_dict(document)
    assert message in str(refused.value)


def test_an_unknown_or_missing_field_is_refused() -> None:
    document = _demo()
    document["points"]["engagement"][0]["half_life"] = 30  # a typo of half_life_days
    with pytest.raises(
        DocumentError, match=re.escape("points.engagement[0] has an unknown field 'half_life'")
    ):
        definition_from_dict(document)
    document = _demo()
    del document["engagement"][0]["window_days"]
    with pytest.raises(DocumentError, match=re.escape("engagement[0].window_days is missing")):
        definition_from_dict(document)
