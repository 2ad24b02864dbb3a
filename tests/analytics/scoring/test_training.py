"""The workspace's history as training rows, and the guard on workspace fields."""

from __future__ import annotations

import pandas as pd
from ibis.backends import BaseBackend
from tests.analytics.scoring.builders import day, load
from tests.analytics.scoring.reference import Change, Event, Lead

from alinea.analytics.scoring.predictive.model import screened_features
from alinea.analytics.scoring.predictive.training import training_rows, workspace_spec

NOW = day(200)


def test_training_rows_count_early_touches_and_read_the_outcome(warehouse: BaseBackend) -> None:
    """``a`` (day 0): forms on days 1 and 13 count, a visit on day 14 is past the first 14 days,
    one call on day 2; it became SQL then customer. ``b`` (day 50): nothing, stays a lead. ``c``
    (day 150) is younger than 90 days: not a training row. ``d`` became customer after now."""
    leads = [Lead("a", day(0), "r1", {"country": "ES"}), Lead("b", day(50)), Lead("c", day(150)),
             Lead("d", day(10))]  # fmt: skip
    events = [
        Event("touchpoints", "t1", "a", day(1), "form"),
        Event("touchpoints", "t2", "a", day(13), "form"),
        Event("touchpoints", "t3", "a", day(14), "visit"),
        Event("activities", "c1", "a", day(2), "call"),
    ]
    changes = [Change("a", "sql", day(30)), Change("a", "customer", day(60)),
               Change("d", "customer", day(201))]  # fmt: skip
    facts = load(warehouse, leads, events, changes)
    rows, outcome = training_rows(facts, now=NOW)
    assert list(rows.index) == ["a", "b", "d"]
    assert outcome.to_dict() == {"a": 1, "b": 0, "d": 0}
    a = rows.loc["a"]
    assert (a.touchpoints, a.touchpoints_form, a.touchpoints_visit, a.sales_activities) == (
        2,
        2,
        0,
        1,
    )
    assert a.country == "ES"
    assert rows.loc["b", "touchpoints"] == 0


def test_sales_activities_are_flagged_unless_overridden() -> None:
    frame = pd.DataFrame({"sales_activities": [0, 1, 0, 3], "country": ["ES", "ES", "PT", "PT"]})
    outcome = pd.Series([0, 1, 0, 1])
    spec = workspace_spec()
    small = type(spec)(categorical=("country",), numeric=("sales_activities",), guard=spec.guard)
    features, warnings = screened_features(frame, outcome, small)
    assert [(w.field, w.excluded) for w in warnings] == [("sales_activities", True)]
    assert features.fields == ("country",)
    kept = type(spec)(
        categorical=("country",),
        numeric=("sales_activities",),
        guard=workspace_spec(overrides=("sales_activities",)).guard,
    )
    features, _ = screened_features(frame, outcome, kept)
    assert "sales_activities" in features.fields
