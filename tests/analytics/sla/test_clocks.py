"""SLA clocks of the hand-built week (see conftest.py), on DuckDB and PostgreSQL.

Worked by hand, in local time (Madrid CEST = UTC+2, Lisbon WEST = UTC+1, New York EDT = UTC−4);
NOW = Wednesday 11 June 12:00 CEST. Response within 4 business hours, 3 attempts within 2
business days, a disposition within 3 business days, at risk under 25 % of the time left.

- L1 (r1) MQL Mon 2 Jun 09:00: first call 11:30 (2.5 h, met); third attempt Wed 09:00, after
  the end of Tuesday (breached); accepted Tue 12:00 = 1.375 business days (met).
- L2 (r1) MQL Fri 6 Jun 17:00: due Mon 12:00 (1 h Friday + 3 h Monday); answered Mon 12:30
  (4.5 h, breached); 1 attempt by Tue 17:00 (breached); undecided after 2.5 of 3 days (at risk).
- L3 (r2, Madrid's hours in Lisbon) MQL Wed 11 Jun 09:30 WEST: 1.5 h so far (pending), a note is
  no contact.
- L4 (r3, New York team calendar) MQL Tue 10 Jun 16:00 EDT: 1 h so far (pending); due Wed 12:00.
- L5 (r1) MQL Tue 10 Jun 17:30: 3.5 h so far, 0.5 h left of 4 (at risk); the call at 12:30
  has not happened yet at NOW.
- L6 (nobody) MQL Mon 9 Jun 14:00: Madrid's default calendar; due 18:00 (breached); the attempts
  window ends Wed 13:00 and 1.875 of 2 days have passed (at risk).
- L8 (r1) MQL Mon 2 Jun 09:00, rejected 10:00 without a call (response breached, disposition met);
  MQL again Mon 9 Jun 09:00 (a second event), called 09:30 (met).
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from alinea.analytics.periods import Period
from alinea.analytics.sla import compliance, lead_clocks, open_clocks
from alinea.warehouse import ingest_many

JUNE = Period(dt.date(2025, 6, 1), dt.date(2025, 7, 1))

#: (lead, MQL day) → response, attempts, disposition status
EXPECTED = {
    ("L1", "06-02"): ("met", "breached", "met"),
    ("L2", "06-06"): ("breached", "breached", "at_risk"),
    ("L3", "06-11"): ("pending", "pending", "pending"),
    ("L4", "06-10"): ("pending", "pending", "pending"),
    ("L5", "06-10"): ("at_risk", "pending", "pending"),
    ("L6", "06-09"): ("breached", "at_risk", "pending"),
    ("L8", "06-02"): ("breached", "breached", "met"),
    ("L8", "06-09"): ("met", "breached", "at_risk"),
}
REP = {"L1": "r1", "L2": "r1", "L3": "r2", "L4": "r3", "L5": "r1", "L6": None, "L8": "r1"}
TEAM = {"r1": "mgr-emea", "r2": "mgr-emea", "r3": "mgr-na", None: None}


@pytest.fixture
def clocks(sla_week) -> pd.DataFrame:
    week = sla_week
    return lead_clocks(week.facts, week.policy, period=week.period, now=week.now)


def _key(row: pd.Series) -> tuple[str, str]:
    return row["lead_id"], row["mql_at"].strftime("%m-%d")


def _by_event(clocks: pd.DataFrame) -> dict[tuple[str, str], pd.Series]:
    return {_key(row): row for _, row in clocks.iterrows()}


def test_statuses_match_the_hand_worked_week(clocks) -> None:
    got = {
        key: (row.response_status, row.attempts_status, row.disposition_status)
        for key, row in _by_event(clocks).items()
    }
    assert got == EXPECTED


def test_the_clock_can_start_at_the_assignment(sla_week) -> None:
    sales = dataclasses.replace(sla_week.policy.sales, clock_starts="assignment")
    policy = dataclasses.replace(sla_week.policy, sales=sales)
    events = _by_event(lead_clocks(sla_week.facts, policy, period=JUNE, now=sla_week.now))
    # L5 was assigned at 18:30 CEST: its clock starts on Wednesday, 3 h of 4 so far: not at risk
    l5 = events["L5", "06-10"]
    assert l5.clock_start == pd.Timestamp("2025-06-10 16:30Z")
    assert (l5.response_hours, l5.response_status) == (3.0, "pending")
    # assigned before the MQL, or never: the clock starts at the MQL
    assert events["L8", "06-09"].clock_start == events["L8", "06-09"].mql_at
    assert events["L6", "06-09"].clock_start == events["L6", "06-09"].mql_at


def test_due_times_business_time_and_reps(clocks) -> None:
    events = _by_event(clocks)
    l2 = events["L2", "06-06"]
    assert l2.response_due_at == pd.Timestamp("2025-06-09 10:00Z")
    assert l2.response_hours == 4.5
    assert l2.attempts_due_at == pd.Timestamp("2025-06-10 15:00Z")
    assert l2.disposition_days_left == 0.5
    assert bool(l2.recycle_due)
    l3 = events["L3", "06-11"]
    assert (l3.calendar_zone, l3.response_hours, l3.response_hours_left) == (
        "Europe/Lisbon",
        1.5,
        2.5,
    )
    assert l3.response_due_at == pd.Timestamp("2025-06-11 13:30Z")
    l4 = events["L4", "06-10"]
    assert (l4.calendar_zone, l4.response_hours) == ("America/New_York", 1.0)
    assert l4.response_due_at == pd.Timestamp("2025-06-11 16:00Z")
    l1 = events["L1", "06-02"]
    assert (l1.attempts, l1.disposition_days, l1.outcome) == (3, 1.375, "accepted")
    assert np.isnan(l1.response_hours_left)
    assert events["L6", "06-09"].attempts_due_at == pd.Timestamp("2025-06-11 11:00Z")
    assert pd.isna(events["L6", "06-09"].rep_id)
    second = events["L8", "06-09"]
    assert (second.rep_id, second.current_rep_id, second.attempts) == ("r1", "r2", 1)
    assert (events["L8", "06-02"].outcome, events["L8", "06-02"].reason) == (
        "rejected",
        "no_budget",
    )
    assert [k for k, row in events.items() if row.recycle_due] == [("L2", "06-06"), ("L8", "06-09")]


def _direct_count(clock: int, group) -> dict:
    """Counts of each status per group, straight from the hand-worked table."""
    counts: dict = collections.defaultdict(collections.Counter)
    for (lead, _), statuses in EXPECTED.items():
        counts[group(lead)][statuses[clock]] += 1
    return counts


@pytest.mark.parametrize(
    ("by", "group"),
    [
        (["rep"], lambda lead: REP[lead]),
        (["team"], lambda lead: TEAM[REP[lead]]),
        ([], lambda lead: ()),
    ],
)
@pytest.mark.parametrize("clock", [0, 1, 2])
def test_compliance_equals_a_direct_count(clocks, by, group, clock) -> None:
    name = ("response", "attempts", "disposition")[clock]
    table = compliance(clocks, clock=name, by=by)
    expected = _direct_count(clock, group)
    assert len(table) == len(expected)
    for row in table.to_dict("records"):
        key = () if not by else (None if pd.isna(v := row[table.columns[0]]) else v)
        counter = expected[key]
        assert [row[s] for s in ("met", "breached", "at_risk", "pending")] == [
            counter["met"], counter["breached"], counter["at_risk"], counter["pending"]
        ]  # fmt: skip
        assert row["mqls"] == sum(counter.values())
        decided = counter["met"] + counter["breached"]
        rate = counter["met"] / decided if decided else None
        assert (rate is None and np.isnan(row["compliance_rate"])) or row["compliance_rate"] == rate


def test_compliance_by_rep_and_week(clocks) -> None:
    table = compliance(clocks, clock="response", by=["rep"], every="week")
    got = {
        (row["rep_id"], str(row["period_start"].date())): (
            row["met"],
            row["breached"],
            row["decided"],
        )
        for row in table.to_dict("records")
        if row["rep_id"] == "r1"
    }
    assert got == {
        ("r1", "2025-06-02"): (1, 2, 3),  # L1 met, L2 and L8 breached
        ("r1", "2025-06-09"): (1, 0, 1),  # L8 again met, L5 at risk
    }
    monthly = compliance(clocks, by=["region"], every="month")
    assert set(monthly["period_start"]) == {pd.Timestamp("2025-06-01")}
    with pytest.raises(ValueError, match="unknown SLA groups"):
        compliance(clocks, by=["planet"])
    with pytest.raises(ValueError, match="unknown SLA clock"):
        compliance(clocks, clock="lunch")


def test_open_clocks_put_breaches_first_then_the_nearest_due_time(clocks) -> None:
    queue = open_clocks(clocks)
    assert set(queue["status"]) == {"breached", "at_risk", "pending"}
    severity = queue["status"].map({"breached": 0, "at_risk": 1, "pending": 2})
    assert severity.is_monotonic_increasing
    for _, part in queue.groupby("status"):
        assert part["due_at"].is_monotonic_increasing
    first = queue.iloc[0]
    assert (first.lead_id, first.clock) == ("L8", "response")  # breached since 2 June
    done = {("L1", "response"), ("L1", "attempts"), ("L1", "disposition"), ("L2", "response")}
    assert not done & set(zip(queue["lead_id"], queue["clock"], strict=True))
    assert len(queue) == 3 * len(EXPECTED) - 6  # L1 ×3, L2 response, L8 disposition, L8 response


def test_an_empty_period_gives_empty_clocks(sla_week) -> None:
    january = Period(dt.date(2024, 1, 1), dt.date(2024, 2, 1))
    empty = lead_clocks(sla_week.facts, sla_week.policy, period=january, now=sla_week.now)
    assert empty.empty
    assert compliance(empty, by=["rep"]).empty
    assert open_clocks(empty).empty


#: L12's assignments (rep, hour on 9 June): a tie at the MQL, a takeover, a tie again
L12_ASSIGNED = [("r1", "07:00"), ("r3", "07:00"), ("r2", "08:00"), ("r3", "09:00"), ("r1", "09:00")]


def test_the_current_owner_of_a_tie_is_the_greatest_rep(sla_week, warehouse) -> None:
    # the latest instant wins, then the greatest rep id
    at = "2025-06-09T{}:00Z"
    ingest_many(
        warehouse,
        {
            "leads": [{"lead_id": "L12", "created_at": at.format("06:00"), "region": "EMEA"}],
            "stage_changes": [{"lead_id": "L12", "stage": "mql", "changed_at": at.format("07:00")}],
            "assignments": [
                {"lead_id": "L12", "rep_id": rep, "assigned_at": at.format(hour)}
                for rep, hour in L12_ASSIGNED
            ],
        },
    )
    clocks = lead_clocks(sla_week.facts, sla_week.policy, period=JUNE, now=sla_week.now)
    l12 = clocks.set_index("lead_id").loc["L12"]
    assert l12.current_rep_id == "r3"
    assert l12.rep_id in {"r1", "r3"}  # either of the tie at the MQL instant
