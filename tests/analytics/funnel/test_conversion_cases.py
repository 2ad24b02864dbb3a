"""Hand-worked funnels: skipped stages under both modes, recycles, windows, maturity and ties.

Every expected number below was worked out by hand from the histories in the test; the comments
say how. Days are counted from ``START`` (2025-01-01, a Wednesday).
"""

from __future__ import annotations

import datetime as dt

import ibis
import pytest
from ibis.backends import BaseBackend
from tests.analytics.funnel.builders import at, day, history, load, records
from tests.analytics.funnel.reference import Lead

from alinea.analytics.funnel import FunnelSpec, conversion_trend, funnel, trend_of_funnel
from alinea.analytics.periods import Period
from alinea.analytics.run import fetch

THREE = ("lead", "mql", "sql")
LATER = day(200)


def _skips(warehouse: BaseBackend):
    changes = [
        # a: every stage in order
        *history("a", ("lead", day(0)), ("mql", day(2)), ("sql", day(5))),
        # b: skipped mql
        *history("b", ("lead", day(0)), ("sql", day(4))),
        # c: never left lead
        *history("c", ("lead", day(1))),
        # d: became an MQL before it was a lead, then an SQL
        *history("d", ("mql", day(0)), ("lead", day(3)), ("sql", day(5))),
    ]
    return load(warehouse, changes=changes)


def _steps(facts, spec: FunnelSpec, now: dt.datetime = LATER):
    frame = fetch(funnel(facts, spec, now))
    return records(
        frame, "step", "leads", "step_conversion", "cumulative_conversion", "median_days"
    )


def test_any_stage_counts_a_skipped_stage_as_passed_when_a_later_one_is_reached(warehouse):
    facts = _skips(warehouse)
    # step 1 (lead or later): a d0, b d0, c d1, d d0 (its mql)          → 4
    # step 2 (mql or later):  a d2, b d4 (its sql), d d0                → 3; days 2, 4, 0 → median 2
    # step 3 (sql):           a d5, b d4, d d5                          → 3; days 3, 0, 5 → median 3
    got = _steps(facts, FunnelSpec(stages=THREE, mode="any", grain=None))
    assert got == [
        (1, 4, None, 1.0, None),
        (2, 3, 0.75, 0.75, 2.0),
        (3, 3, 1.0, 0.75, 3.0),
    ]


def test_all_stages_in_order_stops_a_lead_at_its_first_skipped_or_out_of_order_stage(warehouse):
    facts = _skips(warehouse)
    # step 1 (lead): a, b, c, d (its lead at d3)                       → 4
    # step 2 (mql no earlier than lead): a only; b skipped mql, d's mql came before its lead
    # step 3: a only, 3 days after its mql
    got = _steps(facts, FunnelSpec(stages=THREE, mode="ordered", grain=None))
    assert got == [
        (1, 4, None, 1.0, None),
        (2, 1, 0.25, 0.25, 2.0),
        (3, 1, 1.0, 0.25, 3.0),
    ]


def test_a_recycled_lead_is_counted_once_at_its_first_entries(warehouse):
    # e: lead d0 → mql d2 → recycled to lead d10 → mql d20 → sql d25
    changes = history(
        "e",
        ("lead", day(0)),
        ("mql", day(2)),
        ("lead", day(10)),
        ("mql", day(20)),
        ("sql", day(25)),
    )
    facts = load(warehouse, changes=changes)
    for mode in ("any", "ordered"):
        got = _steps(facts, FunnelSpec(stages=THREE, mode=mode, grain=None))
        # first entries: lead d0, mql d2, sql d25 → 2 days, then 23 days
        assert got == [(1, 1, None, 1.0, None), (2, 1, 1.0, 1.0, 2.0), (3, 1, 1.0, 1.0, 23.0)]


def _window_cases(warehouse: BaseBackend):
    changes = [
        # f: mql exactly 7 days after step 1 (inside), sql 8 days after (outside)
        *history("f", ("lead", day(0)), ("mql", day(7)), ("sql", day(8))),
        # g: mql one second after the 7-day window
        *history("g", ("lead", day(0)), ("mql", day(7) + dt.timedelta(seconds=1))),
    ]
    return load(warehouse, changes=changes)


def test_the_conversion_window_counts_from_step_one_and_includes_its_limit(warehouse):
    facts = _window_cases(warehouse)
    got = _steps(facts, FunnelSpec(stages=THREE, grain=None, window_days=7))
    # f counts at mql (7 days ≤ 7) but not at sql (8 days after its step 1); g misses mql
    assert got == [(1, 2, None, 1.0, None), (2, 1, 0.5, 0.5, 7.0), (3, 0, 0.0, 0.0, None)]


def test_the_event_basis_counts_each_step_when_it_happened_without_a_window(warehouse):
    facts = _window_cases(warehouse)
    spec = FunnelSpec(stages=THREE, basis="event", grain="week", window_days=7)
    frame = fetch(funnel(facts, spec, LATER))
    got = records(frame, "period", "step", "leads", "step_conversion")
    # week of Mon 2024-12-30: both leads entered (d0 = Wed 2025-01-01)
    # week of Mon 2025-01-06: f's mql (d7 = Wed 01-08), g's mql, f's sql (d8) — no lead entries,
    # so the mql step converts from 0 leads (NULL) and sql from 2 mqls (0.5)
    assert got == [
        (dt.date(2024, 12, 30), 1, 2, None),
        (dt.date(2024, 12, 30), 2, 0, 0.0),
        (dt.date(2024, 12, 30), 3, 0, None),
        (dt.date(2025, 1, 6), 1, 0, None),
        (dt.date(2025, 1, 6), 2, 2, None),
        (dt.date(2025, 1, 6), 3, 1, 0.5),
    ]


def test_a_step_flow_can_exceed_the_previous_step_on_the_event_basis(warehouse):
    # three leads entered in December; all three became MQLs in January
    changes = [
        change
        for lead in ("x", "y", "z")
        for change in history(lead, ("lead", at("2024-12-20")), ("mql", at("2025-01-10")))
    ]
    changes += history("w", ("lead", at("2025-01-05")))
    facts = load(warehouse, changes=changes)
    spec = FunnelSpec(stages=("lead", "mql"), basis="event", grain="month")
    got = records(fetch(funnel(facts, spec, LATER)), "period", "step", "leads", "step_conversion")
    assert got[2:] == [(dt.date(2025, 1, 1), 1, 1, None), (dt.date(2025, 1, 1), 2, 3, 3.0)]


def _cohorts(warehouse: BaseBackend):
    changes = [
        # January cohort: one converted, one did not
        *history("j1", ("lead", at("2025-01-31T23:59")), ("mql", at("2025-02-10"))),
        *history("j2", ("lead", at("2025-01-15"))),
        # February cohort (entered at the first instant of February): not converted yet
        *history("f1", ("lead", at("2025-02-01T00:00"))),
    ]
    return load(warehouse, changes=changes)


@pytest.mark.parametrize(
    ("now", "january_mature"),
    [(at("2025-03-02T23:59"), False), (at("2025-03-03T00:00"), True)],
)
def test_a_cohort_is_mature_once_its_window_has_elapsed_after_the_period(
    warehouse, now: dt.datetime, january_mature: bool
):
    facts = _cohorts(warehouse)
    spec = FunnelSpec(stages=("lead", "mql"), grain="month", window_days=30)
    got = records(fetch(funnel(facts, spec, now)), "period", "step", "leads", "mature")
    # January ends Feb 1; + 30 days = Mar 3, 00:00. February's cohort waits until Mar 31.
    jan, feb = dt.date(2025, 1, 1), dt.date(2025, 2, 1)
    assert got == [
        (jan, 1, 2, january_mature),
        (jan, 2, 1, january_mature),
        (feb, 1, 1, False),
        (feb, 2, 0, False),
    ]


def test_a_range_limits_cohorts_by_their_entry_into_step_one(warehouse):
    facts = _cohorts(warehouse)
    spec = FunnelSpec(
        stages=("lead", "mql"),
        grain=None,
        window_days=30,
        period=Period(dt.date(2025, 1, 1), dt.date(2025, 2, 1)),
    )
    got = records(fetch(funnel(facts, spec, at("2025-03-03"))), "step", "leads", "mature")
    # j1's mql in February still counts: the cohort is January's, the window 30 days
    assert got == [(1, 2, True), (2, 1, True)]


def test_simultaneous_entries_pass_both_steps_zero_days_apart(warehouse):
    changes = [
        *history("h", ("mql", day(0)), ("lead", day(0)), ("sql", day(3))),
        *history("k", ("lead", day(1)), ("sql", day(1)), ("mql", day(1))),
    ]
    facts = load(warehouse, changes=changes)
    for mode in ("any", "ordered"):
        got = _steps(facts, FunnelSpec(stages=THREE, mode=mode, grain=None))
        # h: 0 days to mql, 3 to sql; k: 0 and 0 → medians 0 and 1.5
        assert got == [(1, 2, None, 1.0, None), (2, 2, 1.0, 1.0, 0.0), (3, 2, 1.0, 1.0, 1.5)]


def _channels(warehouse: BaseBackend):
    channels = {
        "e1": "email",
        "e2": "email",
        "e3": "email",
        "v1": "events",
        "v2": "events",
        "p1": "paid_search",
        "r1": "referral",
        "n1": None,
    }
    leads = [Lead(lead, channel) for lead, channel in channels.items()]
    converted = {"e1", "v1", "p1", "r1"}
    changes = [
        change
        for lead in [*channels, "ghost"]  # ghost has stage changes but no lead row
        for change in history(
            lead, ("lead", day(0)), *([("mql", day(3))] if lead in converted else [])
        )
    ]
    return load(warehouse, leads=leads, changes=changes)


def test_breakdown_keeps_the_top_values_and_buckets_the_rest_as_other(warehouse):
    facts = _channels(warehouse)
    spec = FunnelSpec(stages=("lead", "mql"), grain=None, breakdown="channel", top_n=3)
    got = records(fetch(funnel(facts, spec, LATER)), "breakdown", "step", "leads")
    # volumes: email 3, events 2, then 1 each for "(none)", paid_search, referral — the tie is
    # broken by the text, so "(none)" is third. The lead without a row is "(none)" too.
    assert got == [
        ("(none)", 1, 2),
        ("(none)", 2, 0),
        ("(other)", 1, 2),
        ("(other)", 2, 2),
        ("email", 1, 3),
        ("email", 2, 1),
        ("events", 1, 2),
        ("events", 2, 1),
    ]


def test_trend_gives_each_period_its_rate_and_the_leads_behind_it(warehouse):
    changes = [
        *history("a", ("lead", at("2025-01-05")), ("mql", at("2025-01-20"))),
        *history("b", ("lead", at("2025-01-06"))),
        *history("c", ("lead", at("2025-01-07")), ("sql", at("2025-03-01"))),
        *history("d", ("lead", at("2025-01-08")), ("mql", at("2025-05-20"))),  # outside 90 days
        *history("e", ("lead", at("2025-03-02")), ("mql", at("2025-03-03"))),
    ]
    facts = load(warehouse, changes=changes)
    spec = FunnelSpec(stages=("lead", "mql", "sql"), grain="month", window_days=90)
    trend = conversion_trend(facts, spec, at("2025-06-01"), from_stage="lead", to_stage="mql")
    got = records(fetch(trend), "period", "leads", "converted", "rate", "mature")
    # January: a and c (sql counts as passing mql) of 4;
    # March: e of 1, immature until Apr 1 + 90 days = Jun 30
    assert got == [
        (dt.date(2025, 1, 1), 4, 2, 0.5, True),
        (dt.date(2025, 3, 1), 1, 1, 1.0, False),
    ]
    # the same read off funnel rows already fetched (the page fetches its cohorts once)
    rows = funnel(facts, spec, at("2025-06-01"))
    fetched = ibis.memtable(fetch(rows), schema=rows.schema())
    again = trend_of_funnel(fetched, spec, from_stage="lead", to_stage="mql")
    assert records(fetch(again), "period", "leads", "converted", "rate", "mature") == got


def test_owner_dimensions_read_the_owner_not_the_lead(warehouse):
    # both leads and people have a region: owner_region must be the owner's
    people = [
        {"person_id": "p1", "name": "Ana", "team": "sales", "role": "ae", "region": "emea"},
        {"person_id": "p2", "name": "Bo", "team": "sales", "role": "ae", "region": "amer"},
    ]
    changes = [*history("a", ("lead", day(0))), *history("b", ("lead", day(0)))]
    changes += history("c", ("lead", day(0)))
    facts = load(
        warehouse,
        leads=[Lead("a", None, "p1"), Lead("b", None, "p2"), Lead("c", None, None)],
        changes=changes,
        people=people,
    )
    spec = FunnelSpec(stages=("lead", "mql"), grain=None, breakdown="owner_region")
    got = records(fetch(funnel(facts, spec, LATER)), "breakdown", "step", "leads")
    assert got == [
        ("(none)", 1, 1),
        ("(none)", 2, 0),
        ("amer", 1, 1),
        ("amer", 2, 0),
        ("emea", 1, 1),
        ("emea", 2, 0),
    ]
