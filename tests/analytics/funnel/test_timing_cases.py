"""Hand-worked times: time to convert (percentiles, histogram) and time in stage."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.analytics.funnel.builders import day, history, load, records
from tests.analytics.funnel.reference import Lead

from alinea.analytics.funnel import (
    FunnelSpec,
    HistorySpec,
    conversion_histogram,
    conversion_times,
    time_in_stage,
)
from alinea.analytics.periods import Period
from alinea.analytics.run import fetch

LATER = day(400)
GAPS = {"t1": 1, "t2": 2, "t3": 3, "t4": 4, "t5": 10}


def _gaps(warehouse):
    # each lead becomes an mql GAPS[lead] days after it became a lead, and t1 an sql 6 hours later
    changes = [
        change
        for lead, gap in GAPS.items()
        for change in history(lead, ("lead", day(0)), ("mql", day(gap)))
    ]
    changes += history("t1", ("sql", day(1.25)))
    changes += history("t0", ("lead", day(0)))  # never converts: not measured
    leads = [Lead(lead, "email" if lead in ("t1", "t2") else "events") for lead in GAPS]
    return load(warehouse, leads=leads, changes=changes)


def test_time_to_convert_percentiles_interpolate_between_neighbours(warehouse):
    facts = _gaps(warehouse)
    spec = FunnelSpec(stages=("lead", "mql", "sql"), grain=None)
    times = conversion_times(facts, spec, LATER, from_stage="lead", to_stage="mql")
    got = records(fetch(times))
    # days 1, 2, 3, 4, 10: p25 = 2, median = 3, p75 = 4, p90 = 4 + 0.6 × (10 − 4) = 7.6
    assert got == [("(all)", 5, 2.0, 3.0, 4.0, pytest.approx(7.6))]


def test_time_to_convert_can_skip_steps_and_be_broken_down(warehouse):
    facts = _gaps(warehouse)
    spec = FunnelSpec(stages=("lead", "mql", "sql"), grain=None, breakdown="channel")
    to_sql = conversion_times(facts, spec, LATER, from_stage="lead", to_stage="sql")
    assert records(fetch(to_sql)) == [("email", 1, 1.25, 1.25, 1.25, 1.25)]
    by_channel = conversion_times(facts, spec, LATER, from_stage="lead", to_stage="mql")
    # email: 1, 2 → p25 1.25, median 1.5, p75 1.75, p90 1.9; events: 3, 4, 10
    assert records(fetch(by_channel)) == [
        ("email", 2, 1.25, 1.5, 1.75, pytest.approx(1.9)),
        ("events", 3, 3.5, 4.0, 7.0, pytest.approx(8.8)),
    ]


def test_time_to_convert_needs_a_later_step(warehouse):
    facts = _gaps(warehouse)
    spec = FunnelSpec(stages=("lead", "mql", "sql"))
    with pytest.raises(ValueError, match="must come after"):
        conversion_times(facts, spec, LATER, from_stage="sql", to_stage="mql")


def test_histogram_counts_every_bin_including_empty_ones(warehouse):
    facts = _gaps(warehouse)
    spec = FunnelSpec(stages=("lead", "mql"), grain=None)
    bins = conversion_histogram(
        facts, spec, LATER, from_stage="lead", to_stage="mql", edges=(0, 1, 2, 3, 7, 14)
    )
    got = records(fetch(bins), "bin", "lower_days", "upper_days", "leads")
    # [0,1): none; [1,2): 1; [2,3): 2; [3,7): 3 and 4; [7,14): 10; [14, ∞): none
    assert got == [
        (0, 0.0, 1.0, 0),
        (1, 1.0, 2.0, 1),
        (2, 2.0, 3.0, 1),
        (3, 3.0, 7.0, 2),
        (4, 7.0, 14.0, 1),
        (5, 14.0, None, 0),
    ]


def test_histogram_rejects_edges_that_do_not_start_at_zero_and_increase(warehouse):
    facts = _gaps(warehouse)
    for edges in [(1, 2), (0, 2, 2)]:
        with pytest.raises(ValueError, match="bin edges"):
            conversion_histogram(
                facts, FunnelSpec(), LATER, from_stage="lead", to_stage="mql", edges=edges
            )


def test_time_in_stage_measures_every_stay_including_recycled_ones(warehouse):
    # lead d0 → mql d2 → (recycled) lead d10 → mql d20 → sql d25, now d30
    changes = history(
        "e",
        ("lead", day(0)),
        ("mql", day(2)),
        ("lead", day(10)),
        ("mql", day(20)),
        ("sql", day(25)),
    )
    # a tie: subscriber and lead at the same instant — the subscriber stay lasts 0 days
    changes += history("s", ("subscriber", day(4)), ("lead", day(4)), ("mql", day(7)))
    facts = load(warehouse, changes=changes)
    got = records(fetch(time_in_stage(facts, HistorySpec(), day(30))))
    # stays: subscriber 0 (s); lead 2 (d0→d2), 10 (d10→d20) and 3 (s: d4→d7);
    # mql 8 (d2→d10), 5 (d20→d25) and s's current one; sql: e's current one
    assert got == [
        ("subscriber", 1, 0, 0.0, 0.0, 0.0, 0.0),
        ("lead", 3, 0, 2.5, 3.0, 6.5, pytest.approx(8.6)),
        ("mql", 2, 1, 5.75, 6.5, 7.25, pytest.approx(7.7)),
        ("sql", 0, 1, None, None, None, None),
    ]


def test_time_in_stage_keeps_the_stays_that_began_in_the_period(warehouse):
    changes = history("e", ("lead", day(0)), ("mql", day(2)), ("lead", day(10)), ("mql", day(20)))
    facts = load(warehouse, changes=changes)
    period = Period(day(5).date(), day(15).date())
    got = records(fetch(time_in_stage(facts, HistorySpec(period=period), day(30))))
    assert got == [("lead", 1, 0, 10.0, 10.0, 10.0, 10.0)]


def test_time_is_exact_to_the_second(warehouse):
    start = day(0)
    changes = history("q", ("lead", start), ("mql", start + dt.timedelta(hours=36, seconds=9)))
    facts = load(warehouse, changes=changes)
    spec = FunnelSpec(stages=("lead", "mql"), grain=None)
    times = records(fetch(conversion_times(facts, spec, LATER, from_stage="lead", to_stage="mql")))
    assert times[0][2] == pytest.approx(1.5 + 9 / 86400, abs=1e-9)
