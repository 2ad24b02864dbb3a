"""A whole goal evaluated on hand-built facts, on every engine.

Two paid-search leads are created every day from 31 December 2024 (a Tuesday, so the weeks
counted back from 1 April and from ``NOW`` are all whole) (and five e-mail leads in
January, outside the segment). Each lead enters the ``lead`` stage when created; every even lead
becomes an MQL three days later. ``NOW`` is 13 May 2025: six whole weeks of Q2 are known.

- Q1 (90 days): 180 paid-search leads — the baseline;
- Q2 to date: 42 days × 2 = 84 leads; every week holds exactly 14, so the simulation has no
  spread: the end of Q2 is 84 + 7 weeks × 14 = 182.
"""

from __future__ import annotations

import datetime as dt

import pytest

from alinea.analytics.facts import Facts
from alinea.analytics.goals import (
    AbsoluteTarget,
    GoalSpec,
    PointsChange,
    RelativeChange,
    evaluate_goal,
)
from alinea.analytics.goals.backtest import backtest
from alinea.analytics.goals.series import previous_period
from alinea.analytics.metrics import MetricQuery, metric_value
from alinea.analytics.periods import Period
from alinea.analytics.run import fetch
from alinea.warehouse import ingest_many

NOW = dt.datetime(2025, 5, 13, tzinfo=dt.UTC)
Q1 = Period(dt.date(2025, 1, 1), dt.date(2025, 4, 1))
Q2 = Period(dt.date(2025, 4, 1), dt.date(2025, 7, 1))
SET_AT = dt.datetime(2025, 3, 25, tzinfo=dt.UTC)
PAID = {"channel": ["paid_search"]}


def _facts(warehouse) -> Facts:
    leads, changes = [], []
    start = dt.datetime(2024, 12, 31, 6, tzinfo=dt.UTC)
    for number in range(2 * 133):  # 31 December to 12 May
        created = start + dt.timedelta(days=number // 2, hours=number % 2)
        lead = f"p{number}"
        leads.append({"lead_id": lead, "created_at": created.isoformat(), "channel": "paid_search"})
        changes.append({"lead_id": lead, "stage": "lead", "changed_at": created.isoformat()})
        if number % 2 == 0:
            mql = (created + dt.timedelta(days=3)).isoformat()
            changes.append({"lead_id": lead, "stage": "mql", "changed_at": mql})
    for number in range(5):
        at = dt.datetime(2025, 1, 10 + number, tzinfo=dt.UTC).isoformat()
        leads.append({"lead_id": f"e{number}", "created_at": at, "channel": "email"})
    ingest_many(warehouse, {"leads": leads, "stage_changes": changes})
    return Facts.of(warehouse)


def _goal(**changes) -> GoalSpec:
    base = {"metric": "leads", "target": RelativeChange(10), "period": Q2, "set_at": SET_AT,
            "owner": "marketing", "filters": PAID, "cadence_days": 14}  # fmt: skip
    return GoalSpec(**{**base, **changes})


def test_previous_period_is_the_comparable_one() -> None:
    assert previous_period(Q2) == (Q1, "the same days of the previous quarter")
    may = Period(dt.date(2025, 5, 1), dt.date(2025, 6, 1))
    assert previous_period(may) == (
        Period(dt.date(2025, 4, 1), dt.date(2025, 5, 1)),
        "the same days of the month before",
    )
    odd = Period(dt.date(2025, 5, 10), dt.date(2025, 5, 20))
    assert previous_period(odd) == (
        Period(dt.date(2025, 4, 30), dt.date(2025, 5, 10)),
        "the 10 days just before",
    )


def test_count_goal_by_hand(warehouse) -> None:
    facts = _facts(warehouse)
    result = evaluate_goal(facts, _goal(), now=NOW)
    direct = fetch(metric_value(facts, "leads", MetricQuery(period=Q1, now=NOW, filters=PAID)))
    assert result.baseline.value == direct["value"][0] == 180.0
    assert result.baseline.period == Q1
    assert result.baseline.description == (
        "leads for channel = paid_search, 2025-01-01 to 2025-03-31 "
        "(the same days of the previous quarter): 180 from 180 records"
    )
    assert result.target == pytest.approx(198.0)
    assert result.target_text == "+10 % relative to the baseline (180 → 198)"
    assert (result.current.value, result.current.count) == (84.0, 84)
    assert (result.forecast.forecast, result.forecast.low, result.forecast.high) == (182, 182, 182)
    assert result.forecast.probability == 0.0
    assert result.progress.status == "off_track"
    assert (result.progress.as_of, result.progress.actual) == (dt.date(2025, 5, 13), 84.0)
    assert result.progress.pace == pytest.approx(198 * 42 / 91)
    assert [c.passed for c in result.smart] == [True, True, True, False, True]
    assert (
        result.smart[3].reason
        == "unrealistic: only 0% chance of reaching the target by the end of the period"
    )


def test_an_easy_target_is_flagged_not_ambitious(warehouse) -> None:
    result = evaluate_goal(_facts(warehouse), _goal(target=AbsoluteTarget(180)), now=NOW)
    assert result.forecast.probability == 1.0
    assert result.progress.status == "on_track"
    # Q2 2024 … Q1 2025: only Q1 has data, so the trend is Q1 itself (180), and 180 is not beyond
    assert result.trend == 180.0
    assert result.fast[1].passed is False


def test_a_goal_for_next_quarter_is_judged_on_the_latest_weeks(warehouse) -> None:
    facts = _facts(warehouse)
    q3 = Period(dt.date(2025, 7, 1), dt.date(2025, 10, 1))
    result = evaluate_goal(facts, _goal(period=q3, target=AbsoluteTarget(184)), now=NOW)
    # 92 days of 14 a week = 184 exactly: every simulated future lands on it
    assert result.forecast.forecast == pytest.approx(184.0)
    assert result.forecast.probability == 1.0
    assert result.current.period == Q2  # the comparable period before Q3, as measured so far
    assert result.baseline.mature is False


def test_rate_goal_leaves_young_cohorts_out(warehouse) -> None:
    facts = _facts(warehouse)
    spec = _goal(metric="lead_to_mql_rate", target=PointsChange(5), window_days=14)
    result = evaluate_goal(facts, spec, now=NOW)
    assert result.baseline.value == pytest.approx(0.5)
    assert result.target == pytest.approx(0.55)
    # weeks are mature once 14 days have passed after them: 1–8 April … 22–29 April (4 weeks)
    assert result.progress.as_of == dt.date(2025, 4, 29)
    assert result.progress.actual == pytest.approx(0.5)
    # the leads of 29 April – 12 May wait for their window: 14 days × 2
    assert result.progress.maturing == 28
    # measured naively, the young cohort drags the rate below 0.5 (MQLs after NOW are unknown)
    naive = fetch(metric_value(facts, "lead_to_mql_rate", MetricQuery(
        period=Q2, now=NOW, filters=PAID, window_days=14)))["value"][0]  # fmt: skip
    assert naive < 0.5
    assert result.forecast.forecast == pytest.approx(0.5)
    assert result.forecast.probability == 0.0


def test_same_seed_same_evaluation(warehouse) -> None:
    facts = _facts(warehouse)
    spec = _goal(metric="lead_to_mql_rate", target=AbsoluteTarget(0.5), window_days=14)
    first = evaluate_goal(facts, spec, now=NOW)
    assert evaluate_goal(facts, spec, now=NOW) == first


def test_backtest_covers_a_steady_history(warehouse) -> None:
    facts = _facts(warehouse)
    april = Period(dt.date(2025, 4, 1), dt.date(2025, 5, 1))
    result = backtest(facts, "leads", [april], filters=PAID)
    (row,) = result.rows
    # forecast on 16 April: two known weeks (28) + two drawn weeks (28) + 2 days (2/7 of 14)
    # = 60, which is the actual: 30 days × 2 leads
    assert (row.low, row.forecast, row.high, row.actual) == (60.0, 60.0, 60.0, 60.0)
    assert (result.coverage, result.interval) == (1.0, 0.8)
