"""Hand-worked points and rules: decay, caps, negative points, floor, windows, explanations.

``NOW`` is day 30. Rules: country ES +10; job role student −15; forms 8 points halving every
10 days, capped at 12; any sales activity −2 without decay in the last 14 days, capped at 3.

- lead ``a`` (ES, cto): forms 0, 10 and 20 days old → 8 + 4 + 2 = 14 → cap 12 (a form tomorrow
  does not count); activities 1, 5, 13 days old → −6 → cap −3 (one exactly 14 days old and one
  20 days old are outside the window): 10 + 12 − 3 = 19, then the model cap 15 → 15;
- lead ``b`` (PT, student): −15 → floor 0;
- lead ``c`` (ES, student): one form 10 days old → 10 − 15 + 4 = −1 → floor 0;
- lead ``d`` is created tomorrow: not scored.
"""

from __future__ import annotations

import pytest
from ibis.backends import BaseBackend
from tests.analytics.scoring.builders import day, load
from tests.analytics.scoring.reference import Event, Lead

from alinea.analytics.facts import Facts
from alinea.analytics.run import fetch
from alinea.analytics.scoring.points import points_scores, score_factors
from alinea.analytics.scoring.rules import qualification, qualification_reasons
from alinea.analytics.scoring.spec import (
    Definition,
    EngagementCriterion,
    EngagementPoints,
    FitCriterion,
    FitPoints,
    PointsModel,
)

NOW = day(30)
MODEL = PointsModel(
    fit=(
        FitPoints(FitCriterion("country", any_of=("ES",)), 10),
        FitPoints(FitCriterion("job_role", any_of=("student",)), -15, label="students"),
    ),
    engagement=(
        EngagementPoints(
            "touchpoints", 8, types=("form",), half_life_days=10, cap=12, label="forms"
        ),
        EngagementPoints("activities", -2, window_days=14, cap=3, label="sales touches"),
    ),
    floor=0,
    cap=15,
)
LEADS = [
    Lead("a", day(0), "r1", {"country": "ES", "job_role": "cto"}),
    Lead("b", day(0), "r1", {"country": "PT", "job_role": "student"}),
    Lead("c", day(0), "r2", {"country": "ES", "job_role": "student"}),
    Lead("d", day(31), "r2", {"country": "ES"}),
]


def _events() -> list[Event]:
    forms = [("a", 30), ("a", 20), ("a", 10), ("a", 31), ("c", 20)]
    events = [
        Event("touchpoints", f"t{i}", lead, day(d), "form") for i, (lead, d) in enumerate(forms)
    ]
    events.append(Event("touchpoints", "visit", "a", day(30), "visit"))
    calls = [29, 25, 17, 16, 10]  # 1, 5, 13, 14 and 20 days old
    events += [Event("activities", f"c{d}", "a", day(d), "call") for d in calls]
    return events


@pytest.fixture
def facts(warehouse: BaseBackend) -> Facts:
    return load(warehouse, LEADS, _events())


def test_decay_caps_negative_points_and_floor(facts: Facts) -> None:
    rows = fetch(points_scores(facts, MODEL, now=NOW)).set_index("lead_id")
    assert sorted(rows.index) == ["a", "b", "c"]
    assert rows.loc["a", ["factor_0", "factor_1", "factor_2", "factor_3"]].tolist() == [
        10.0, 0.0, 12.0, -3.0
    ]  # fmt: skip
    assert rows.score.to_dict() == {"a": 15.0, "b": 0.0, "c": 0.0}
    assert rows.loc["c", "factor_2"] == pytest.approx(4.0)


def test_without_caps_the_raw_sums_show(facts: Facts) -> None:
    raw = PointsModel(
        fit=MODEL.fit,
        engagement=tuple(
            EngagementPoints(r.source, r.points, r.types, r.half_life_days, r.window_days)
            for r in MODEL.engagement
        ),
    )
    rows = fetch(points_scores(facts, raw, now=NOW)).set_index("lead_id")
    assert rows.score.to_dict() == pytest.approx({"a": 10 + 14 - 6, "b": -15.0, "c": -1.0})


def test_factors_explain_a_score_largest_first(facts: Facts) -> None:
    found = fetch(score_factors(facts, MODEL, now=NOW, lead_ids=["a", "b"]))
    got = [(r.lead_id, r.factor, r.points) for r in found.itertuples()]
    assert got == [
        ("a", "forms", 12.0),
        ("a", "country in ES", 10.0),
        ("a", "sales touches", -3.0),
        ("b", "students", -15.0),
    ]


def test_a_definition_needs_every_criterion_and_the_threshold(facts: Facts) -> None:
    mql = Definition(
        "mql",
        "v1",
        fit=(FitCriterion("country", any_of=("ES",)),),
        engagement=(EngagementCriterion("touchpoints", 2, 15, types=("form",)),),
        points=MODEL,
        threshold=15,
    )
    rows = fetch(qualification(facts, mql, now=NOW)).set_index("lead_id")
    assert rows.qualified.to_dict() == {"a": True, "b": False, "c": False}
    reasons = fetch(qualification_reasons(facts, mql, now=NOW, lead_id="c"))
    assert list(zip(reasons.criterion, reasons.met, strict=True)) == [
        ("country in ES", True),
        ("≥ 2 touchpoints (form) in 15 days", False),
        ("score ≥ 15", False),
    ]
