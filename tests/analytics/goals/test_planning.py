"""The reverse funnel against hand arithmetic, its gaps in words, and the measured inputs."""

from __future__ import annotations

import datetime as dt

import pytest

from alinea.analytics.facts import Facts
from alinea.analytics.goals.plan_inputs import Capacity, measure_capacity, measure_funnel
from alinea.analytics.periods import Period
from alinea.analytics.planning import CycleDays, FunnelRates, PlanSpec, alignment_plan
from alinea.warehouse import ingest_many

Q2 = Period(dt.date(2025, 4, 1), dt.date(2025, 7, 1))  # 91 days = 13 weeks
RATES = FunnelRates(lead_to_mql=0.25, mql_to_sql=0.5, sql_to_opportunity=0.8, win_rate=0.25)
CYCLE = CycleDays(lead_to_mql=3, mql_to_sql=2.5, sql_to_opportunity=7, opportunity_to_close=30)


def _spec(**changes) -> PlanSpec:
    base = {"period": Q2, "goal_kind": "revenue", "goal": 1_300_000.0,
            "average_deal_size": 25_000.0, "rates": RATES, "cycle_days": CYCLE}  # fmt: skip
    return PlanSpec(**{**base, **changes})


def test_reverse_funnel_by_hand() -> None:
    plan = alignment_plan(_spec())
    # 1 300 000 / 25 000 = 52 deals; / 0.25 = 208 opportunities; / 0.8 = 260 SQLs;
    # / 0.5 = 520 MQLs; / 0.25 = 2080 leads. 13 weeks: 4, 16, 20, 40, 160 a week.
    got = [(n.stage, n.total, n.per_week) for n in plan.needs]
    assert got == [
        ("deals", 52.0, 4.0),
        ("opportunities", 208.0, 16.0),
        ("sqls", 260.0, 20.0),
        ("mqls", 520.0, 40.0),
        ("leads", 2080.0, 160.0),
    ]
    # lags: opportunities 30 days before the close, SQLs 37, MQLs 39.5 (→ 40 whole days), leads 42.5
    lags = [(n.stage, n.lead_days, n.arrive_from, n.arrive_until) for n in plan.needs]
    assert lags == [
        ("deals", 0.0, dt.date(2025, 4, 1), dt.date(2025, 7, 1)),
        ("opportunities", 30.0, dt.date(2025, 3, 2), dt.date(2025, 6, 1)),
        ("sqls", 37.0, dt.date(2025, 2, 23), dt.date(2025, 5, 25)),
        ("mqls", 39.5, dt.date(2025, 2, 20), dt.date(2025, 5, 22)),
        ("leads", 42.5, dt.date(2025, 2, 17), dt.date(2025, 5, 19)),
    ]


def test_deals_goal_skips_the_deal_size() -> None:
    plan = alignment_plan(_spec(goal_kind="deals", goal=52.0, average_deal_size=None))
    assert plan.need("mqls").total == 520.0


def test_gaps_both_ways_in_words() -> None:
    plan = alignment_plan(
        _spec(
            marketing_mql_goal=374.4,
            marketing_lead_goal=2500,
            sla_mqls_per_week=30,
            reps=4,
            mqls_per_rep_per_week=8,
        )
    )
    said = [(g.about, round(g.ratio, 3), g.sentence, g.proposal) for g in plan.gaps]
    assert said == [
        ("marketing_mqls", 0.72,
         "marketing's MQL goal covers 72 % of what the revenue goal needs (374 of 520 MQLs)",
         "raise it to 520 MQLs, or lower the revenue goal"),
        ("marketing_leads", 1.202,
         "marketing's lead goal covers 120 % of what the revenue goal needs (2,500 of 2,080 leads)",
         "420 leads more than needed: the revenue goal could go up"),
        ("sla", 0.75,
         "the SLA commitment covers 75 % of what the revenue goal needs (30 of 40 MQLs a week)",
         "raise it to 40 MQLs a week, or lower the revenue goal"),
        ("capacity_need", 0.8,
         "sales can work 80 % of the MQLs the goal needs (32 of 40 a week: 4 reps × 8)",
         "5 reps would be needed, or fewer MQLs each of higher quality"),
        ("capacity_plan", 1.111,
         "sales can work 111 % of the MQLs marketing plans (32 of 29 a week: 4 reps × 8)",
         "room for 3 more MQLs a week"),
    ]  # fmt: skip
    assert plan.gaps[0].difference_per_week == pytest.approx(374.4 - 520)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"goal_kind": "profit"}, "goal_kind must be one of"),
        ({"goal": 0.0}, "above 0"),
        ({"average_deal_size": None}, "needs an average deal size"),
    ],
)
def test_plans_that_cannot_be_made(changes, message) -> None:
    with pytest.raises(ValueError, match=message):
        _spec(**changes)
    with pytest.raises(ValueError, match="win_rate must be above 0"):
        FunnelRates(lead_to_mql=0.2, mql_to_sql=0.5, sql_to_opportunity=0.5, win_rate=0.0)


def _at(day: int, hour: int = 0) -> str:
    return dt.datetime(2025, 4, day, hour, tzinfo=dt.UTC).isoformat()


def test_measured_inputs_by_hand(warehouse) -> None:
    """Four leads in April: a→customer, b→SQL, c→MQL, d stays a lead; two deals, one won."""
    changes = [
        ("a", "lead", _at(1)), ("a", "mql", _at(2)), ("a", "sql", _at(4)),
        ("a", "opportunity", _at(10)), ("a", "customer", _at(20)),
        ("b", "lead", _at(1)), ("b", "mql", _at(5)), ("b", "sql", _at(9)),
        ("c", "lead", _at(2)), ("c", "mql", _at(4)),
        ("d", "lead", _at(3)),
    ]  # fmt: skip
    ingest_many(
        warehouse,
        {
            "leads": [{"lead_id": x, "created_at": _at(1)} for x in "abcd"],
            "stage_changes": [{"lead_id": i, "stage": s, "changed_at": t} for i, s, t in changes],
            "deals": [
                {"deal_id": "w", "lead_id": "a", "created_at": _at(10), "closed_at": _at(20),
                 "status": "won", "amount": 30_000.0},
                {"deal_id": "x", "created_at": _at(11), "closed_at": _at(15), "status": "lost",
                 "amount": 10_000.0},
            ],
        },
    )  # fmt: skip
    april = Period(dt.date(2025, 4, 1), dt.date(2025, 5, 1))
    measured = measure_funnel(
        Facts.of(warehouse), april, now=dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    )
    rates = measured.rates()
    # lead→MQL 3 of 4; MQL→SQL 2 of 3; SQL→opportunity 1 of 2; win rate 1 of 2
    assert (rates.lead_to_mql, rates.mql_to_sql) == (pytest.approx(0.75), pytest.approx(2 / 3))
    assert (rates.sql_to_opportunity, rates.win_rate) == (0.5, 0.5)
    assert measured.average_deal_size == 30_000.0
    cycle = measured.cycle_days()
    # lead→MQL days 1, 4, 2 → median 2; MQL→SQL 2, 4 → 3; SQL→opportunity 6; deal 10 days
    assert (cycle.lead_to_mql, cycle.mql_to_sql) == (2.0, 3.0)
    assert (cycle.sql_to_opportunity, cycle.opportunity_to_close) == (6.0, 10.0)


def test_measured_inputs_say_what_is_missing(warehouse) -> None:
    april = Period(dt.date(2025, 4, 1), dt.date(2025, 5, 1))
    measured = measure_funnel(
        Facts.of(warehouse), april, now=dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    )
    with pytest.raises(ValueError, match="no measured lead_to_mql, mql_to_sql"):
        measured.rates()


def test_capacity_is_the_median_of_each_reps_busiest_week(warehouse) -> None:
    """Rep r1: 3 leads in week 0, 5 in week 1 (peak 5); r2: 2 then 1 (peak 2); r3: 4 in week 0
    plus one lead assigned twice (counted once) and one after ``now`` (ignored): peak 4.
    Median of 5, 2, 4 = 4; three reps."""
    start = dt.datetime(2025, 4, 1, 9, tzinfo=dt.UTC)
    rows = []

    def assign(rep: str, week: int, count: int, tag: str) -> None:
        for n in range(count):
            at = start + dt.timedelta(days=7 * week + n % 7, minutes=n)
            rows.append({"lead_id": f"{rep}{tag}{n}", "rep_id": rep, "assigned_at": at.isoformat()})

    assign("r1", 0, 3, "a")
    assign("r1", 1, 5, "b")
    assign("r2", 0, 2, "a")
    assign("r2", 1, 1, "b")
    assign("r3", 0, 4, "a")
    again = start + dt.timedelta(days=1, hours=2)
    rows.append({"lead_id": "r3a0", "rep_id": "r3", "assigned_at": again.isoformat()})
    late = start + dt.timedelta(days=20)
    rows.append({"lead_id": "late", "rep_id": "r4", "assigned_at": late.isoformat()})
    ingest_many(warehouse, {"assignments": rows})
    now = start + dt.timedelta(days=15)
    found = measure_capacity(Facts.of(warehouse), Q2, now=now)
    assert (found.reps, found.per_rep_per_week) == (3, 4.0)
    assert measure_capacity(Facts.of(warehouse), Period(dt.date(2024, 1, 1), dt.date(2024, 2, 1)),
                            now=now) == Capacity(0, None)  # fmt: skip
