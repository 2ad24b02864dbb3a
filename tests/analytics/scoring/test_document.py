"""Definitions survive a round trip through their stored document, and diffs read as changes."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from tests.analytics.scoring.builders import SETTINGS, definitions

from alinea.analytics.scoring.document import (
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
