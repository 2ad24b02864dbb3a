"""Hand-worked stalls (p90 threshold by default), drop-offs and backward moves (recycling)."""

from __future__ import annotations

import dataclasses

import pytest
from tests.analytics.funnel.builders import at, day, history, load, records
from tests.analytics.funnel.reference import Lead

from alinea.analytics.funnel import (
    FunnelSpec,
    HistorySpec,
    StallSpec,
    backward_move_counts,
    backward_moves,
    drop_offs,
    stall_thresholds,
    stalls,
)
from alinea.analytics.run import fetch

NOW = day(100)
PEOPLE = [{"person_id": "p1", "name": "Ana", "team": "sales", "role": "sdr"}]


def _waiting(warehouse):
    # s1…s5 left mql after 1, 2, 3, 4 and 10 days, s8 after 1 (see the thresholds test)
    changes = [
        change
        for k, gap in enumerate([1, 2, 3, 4, 10], start=1)
        for change in history(f"s{k}", ("mql", day(0)), ("sql", day(gap)))
    ]
    changes += history("s6", ("lead", day(80)), ("mql", day(92)))  # 8 days in mql at NOW
    changes += history("s7", ("mql", day(93)))  # 7 days
    changes += history("s8", ("mql", day(90)), ("customer", day(91)))  # customers are not watched
    leads = [Lead("s6", "email", "p1"), Lead("s7", "email", None)]
    return load(warehouse, leads=leads, changes=changes, people=PEOPLE)


def test_thresholds_default_to_each_stages_p90_of_ended_stays(warehouse):
    facts = _waiting(warehouse)
    got = records(fetch(stall_thresholds(facts, StallSpec(), NOW)))
    # mql: 1, 2, 3, 4, 10 and s8's 1 → sorted 1 1 2 3 4 10, p90 at position 4.5 → 4 + 0.5 × 6
    # = 7; sql: no ended stay yet; opportunity: never entered; lead is not watched by default
    assert got == [
        ("mql", pytest.approx(7.0)),
        ("sql", None),
        ("opportunity", None),
    ]


def test_stalled_leads_are_older_than_the_threshold_and_listed_with_their_owner(warehouse):
    facts = _waiting(warehouse)
    got = records(fetch(stalls(facts, StallSpec(), NOW)))
    # s6 has sat 8 days in mql (> 7); s7 exactly 7 (not more); sql has no threshold
    assert got == [("s6", "mql", day(92), 8.0, pytest.approx(7.0), "p1", "Ana")]


def test_a_fixed_threshold_replaces_the_p90(warehouse):
    facts = _waiting(warehouse)
    found = fetch(stalls(facts, StallSpec(threshold_days=7.5), NOW))
    # the five sql leads have sat 90…99 days; s6 8 days in mql; s7 7 days (not more than 7.5)
    assert records(found, "lead_id", "stage", "age_days", "owner_id") == [
        ("s1", "sql", 99.0, None),
        ("s2", "sql", 98.0, None),
        ("s3", "sql", 97.0, None),
        ("s4", "sql", 96.0, None),
        ("s5", "sql", 90.0, None),
        ("s6", "mql", 8.0, "p1"),
    ]


def test_the_lead_stage_is_watched_only_when_asked(warehouse):
    facts = _waiting(warehouse)
    spec = StallSpec(watched=("lead", "mql"))
    # lead: s6's single 12-day stay is the p90; nobody sits in lead now
    assert records(fetch(stall_thresholds(facts, spec, NOW)))[0] == ("lead", 12.0)


def test_leads_closed_out_by_sales_after_entering_their_stage_are_not_stalled(warehouse):
    facts = _waiting(warehouse)
    load(
        warehouse,
        dispositions=[
            {
                "lead_id": "s6",
                "rep_id": "p1",
                "decided_at": day(91),
                "outcome": "rejected",
                "reason": "not a fit",
            },  # before s6 entered mql on day 92: still stalled
            {
                "lead_id": "s1",
                "rep_id": "p1",
                "decided_at": day(95),
                "outcome": "rejected",
                "reason": "not a fit",
            },  # s1 sits in sql since day 1: closed out
            {"lead_id": "s2", "rep_id": "p1", "decided_at": day(99), "outcome": "accepted"},
        ],
        deals=[
            {
                "deal_id": "d3",
                "lead_id": "s3",
                "created_at": day(20),
                "closed_at": day(30),
                "status": "lost",
            },
            {"deal_id": "d4", "lead_id": "s4", "created_at": day(20), "status": "open"},
            {
                "deal_id": "d5",
                "lead_id": "s5",
                "created_at": day(20),
                "closed_at": day(101),
                "status": "lost",
            },  # lost after now: not yet known
        ],
    )
    found = fetch(stalls(facts, StallSpec(threshold_days=7.5), NOW))
    assert records(found, "lead_id") == [("s2",), ("s4",), ("s5",), ("s6",)]


def test_watched_stages_can_be_narrowed(warehouse):
    facts = _waiting(warehouse)
    spec = StallSpec(watched=("mql",), threshold_days=7.5)
    assert records(fetch(stalls(facts, spec, NOW)), "lead_id") == [("s6",)]


def test_simultaneous_changes_leave_the_lead_in_the_later_stage(warehouse):
    # recycled and re-qualified in the same instant: read in lifecycle order, it sits in mql
    changes = history("t", ("mql", day(0)), ("lead", day(50)), ("mql", day(50)))
    facts = load(warehouse, changes=changes)
    got = records(fetch(stalls(facts, StallSpec(threshold_days=1), NOW)), "lead_id", "stage")
    assert got == [("t", "mql")]
    moves = records(fetch(backward_moves(facts, HistorySpec(), NOW)), "from_stage", "to_stage")
    assert moves == [("mql", "lead")]  # the move at d50 (mql → lead); lead → mql is forward


def _recycled(warehouse):
    changes = [
        *history("r1", ("lead", day(0)), ("mql", day(2)), ("lead", day(10)), ("mql", day(20))),
        *history("r2", ("mql", day(1)), ("lead", day(5)), ("sql", day(8)), ("lead", day(9))),
        *history("r3", ("lead", day(0)), ("mql", day(3))),
        *history("r4", ("sql", at("2025-12-01")), ("lead", at("2025-12-02"))),  # after NOW
    ]
    leads = [Lead("r1", "email", "p1")]
    return load(warehouse, leads=leads, changes=changes, people=PEOPLE)


def test_backward_moves_are_listed_newest_first_with_the_owner(warehouse):
    facts = _recycled(warehouse)
    got = records(fetch(backward_moves(facts, HistorySpec(), NOW)))
    assert got == [
        ("r1", day(10), "mql", "lead", None, "p1"),
        ("r2", day(9), "sql", "lead", None, None),
        ("r2", day(5), "mql", "lead", None, None),
    ]


def test_backward_moves_are_counted_per_pair_with_distinct_leads(warehouse):
    facts = _recycled(warehouse)
    got = records(fetch(backward_move_counts(facts, HistorySpec(), NOW)))
    assert got == [("mql", "lead", 2, 2), ("sql", "lead", 1, 1)]


def _drops(warehouse):
    changes = [
        *history("a", ("lead", at("2025-01-05")), ("mql", at("2025-01-07")), ("sql", day(9))),
        *history("b", ("lead", at("2025-01-06")), ("sql", at("2025-01-08"))),
        *history("c", ("lead", at("2025-01-10"))),
        *history("d", ("lead", at("2025-01-12")), ("mql", at("2025-06-01"))),  # after the window
        *history("f", ("lead", at("2025-03-10"))),  # immature cohort: not a drop yet
    ]
    leads = [Lead("c", "events", "p1")]
    return load(warehouse, leads=leads, changes=changes, people=PEOPLE)


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        # any: b counts as an mql (its sql); c and d stop at lead
        ("any", [("c", 1, "lead", "mql", "p1"), ("d", 1, "lead", "mql", None)]),
        # ordered: b skipped mql, so it stops at lead too
        (
            "ordered",
            [
                ("b", 1, "lead", "mql", None),
                ("c", 1, "lead", "mql", "p1"),
                ("d", 1, "lead", "mql", None),
            ],
        ),
    ],
)
def test_drop_offs_list_who_left_at_which_step_in_mature_cohorts(warehouse, mode, expected):
    facts = _drops(warehouse)
    spec = FunnelSpec(stages=("lead", "mql", "sql"), mode=mode, grain="month", window_days=30)
    found = fetch(drop_offs(facts, spec, at("2025-04-01")))
    assert records(found, "lead_id", "step", "stage", "next_stage", "owner_id") == expected


def test_a_lead_that_reached_a_middle_step_drops_there(warehouse):
    facts = _drops(warehouse)
    spec = FunnelSpec(stages=("lead", "mql", "sql", "opportunity"), grain="month", window_days=30)
    found = fetch(drop_offs(facts, spec, at("2025-04-01")))
    got = records(found, "lead_id", "step", "stage", "reached_at", "next_stage")
    # a and b reached sql (step 3) and never an opportunity
    assert got[:2] == [
        ("c", 1, "lead", at("2025-01-10"), "mql"),
        ("d", 1, "lead", at("2025-01-12"), "mql"),
    ]
    assert got[2:] == [
        ("a", 3, "sql", day(9), "opportunity"),
        ("b", 3, "sql", at("2025-01-08"), "opportunity"),
    ]


def test_drop_offs_ignore_the_event_basis(warehouse):
    facts = _drops(warehouse)
    spec = FunnelSpec(stages=("lead", "mql", "sql"), grain="month", window_days=30)
    on_events = dataclasses.replace(spec, basis="event")
    now = at("2025-04-01")
    assert fetch(drop_offs(facts, on_events, now)).equals(fetch(drop_offs(facts, spec, now)))
