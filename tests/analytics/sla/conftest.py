"""A hand-built SLA week (2–11 June 2025) on every engine, and the policy it is judged by.

Reps: ``r1`` (EMEA, Madrid), ``r2`` (EMEA, works Madrid's hours in Lisbon), ``r3`` (North America
team, New York calendar). Office hours 09:00–13:00 and 14:00–18:00 in Madrid; 09:00–17:00 in New
York. ``NOW`` is Wednesday 11 June, 10:00 UTC (12:00 in Madrid, 11:00 in Lisbon, 06:00 in New
York). The expected clocks are worked out by hand in ``test_clocks.py``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from alinea.analytics.facts import Facts
from alinea.analytics.periods import Period
from alinea.analytics.sla.calendar import BusinessCalendar
from alinea.analytics.sla.policy import (
    CalendarRules,
    DeliveryTarget,
    MarketingCommitment,
    ReasonCode,
    Recycling,
    SalesCommitment,
    SlaPolicy,
)
from alinea.warehouse import ingest_many

NOW = dt.datetime(2025, 6, 11, 10, tzinfo=dt.UTC)
JUNE = Period(dt.date(2025, 6, 1), dt.date(2025, 7, 1))
MADRID = BusinessCalendar.weekdays(
    "Europe/Madrid", "09:00-13:00", "14:00-18:00", country="ES", subdivision="MD"
)
NEW_YORK = BusinessCalendar.weekdays("America/New_York", "09:00-17:00", country="US")
POLICY = SlaPolicy(
    marketing=MarketingCommitment(
        targets=(
            DeliveryTarget(mqls=3, every="week"),
            DeliveryTarget(mqls=2, every="month", segment="enterprise", region="EMEA"),
        ),
        quality_floor=0.6,
    ),
    sales=SalesCommitment(
        first_response_hours=4, attempts=3, attempts_within_days=2, disposition_within_days=3
    ),
    calendars=CalendarRules(default=MADRID, by_team={"mgr-na": NEW_YORK}),
    recycling=Recycling(
        reasons=(ReasonCode("no_budget", "rejected"), ReasonCode("not_ready", "recycled")),
        unworked_after_days=2,
    ),
)


def _person(person_id: str, region: str, manager: str, zone: str) -> dict[str, str]:
    return {"person_id": person_id, "name": person_id.upper(), "team": "sales", "role": "sdr",
            "region": region, "manager_id": manager, "timezone": zone}  # fmt: skip


def _lead(lead_id: str, segment: str, region: str) -> dict[str, str]:
    return {"lead_id": lead_id, "created_at": "2025-05-01T00:00:00Z", "segment": segment,
            "region": region}  # fmt: skip


def _mql(lead_id: str, at: str) -> dict[str, str]:
    return {"lead_id": lead_id, "stage": "mql", "changed_at": f"2025-{at}:00Z"}


def _assign(lead_id: str, rep: str, at: str) -> dict[str, str]:
    return {"lead_id": lead_id, "rep_id": rep, "assigned_at": f"2025-{at}:00Z"}


def _activity(number: int, lead_id: str, rep: str, at: str, kind: str = "call") -> dict:
    return {"activity_id": f"act-{number}", "lead_id": lead_id, "rep_id": rep,
            "occurred_at": f"2025-{at}:00Z", "type": kind}  # fmt: skip


def _decide(lead_id: str, at: str, outcome: str, reason: str | None = None) -> dict:
    return {"lead_id": lead_id, "rep_id": "r1", "decided_at": f"2025-{at}:00Z",
            "outcome": outcome, "reason": reason}  # fmt: skip


FACTS = {
    "people": [
        _person("r1", "EMEA", "mgr-emea", "Europe/Madrid"),
        _person("r2", "EMEA", "mgr-emea", "Europe/Lisbon"),
        _person("r3", "North America", "mgr-na", "America/New_York"),
    ],
    "leads": [
        _lead("L1", "enterprise", "EMEA"),
        _lead("L2", "smb", "EMEA"),
        _lead("L3", "enterprise", "EMEA"),
        _lead("L4", "mid_market", "North America"),
        _lead("L5", "smb", "EMEA"),
        _lead("L6", "smb", "EMEA"),
        _lead("L8", "enterprise", "EMEA"),
        _lead("L9", "smb", "EMEA"),
        _lead("L10", "smb", "EMEA"),
        _lead("L11", "smb", "EMEA"),
    ],
    "stage_changes": [
        _mql("L1", "06-02T07:00"),
        _mql("L2", "06-06T15:00"),
        _mql("L3", "06-11T08:30"),
        _mql("L4", "06-10T20:00"),
        _mql("L5", "06-10T15:30"),
        _mql("L6", "06-09T12:00"),
        _mql("L8", "06-02T07:00"),
        _mql("L8", "06-09T07:00"),  # rejected, then qualified again: a second event
        _mql("L9", "05-30T10:00"),  # May: outside the period
        _mql("L9", "06-11T11:00"),  # after NOW: not yet known
        _mql("L10", "05-20T10:00"),
        _mql("L11", "05-21T10:00"),
    ],
    "assignments": [
        _assign("L1", "r1", "06-02T06:00"),
        _assign("L2", "r1", "06-06T15:00"),
        _assign("L3", "r2", "06-11T08:30"),
        _assign("L4", "r3", "06-10T20:00"),
        _assign("L5", "r1", "06-10T16:30"),  # an hour after the MQL, after office hours
        _assign("L8", "r1", "06-01T10:00"),
        _assign("L8", "r2", "06-11T09:00"),  # reassigned since: the current owner
    ],
    "activities": [
        _activity(1, "L1", "r1", "06-02T09:30"),
        _activity(2, "L1", "r1", "06-03T08:00", "email"),
        _activity(3, "L1", "r1", "06-04T07:00"),
        _activity(4, "L1", "r1", "06-04T07:30", "note"),
        _activity(5, "L2", "r1", "06-09T10:30"),
        _activity(6, "L3", "r2", "06-11T09:00", "note"),  # a note is not a contact attempt
        _activity(7, "L8", "r1", "06-01T12:00"),  # before the MQL
        _activity(8, "L8", "r1", "06-09T07:30"),
        _activity(9, "L5", "r1", "06-11T10:30"),  # after NOW
    ],
    "dispositions": [
        _decide("L1", "06-03T10:00", "accepted"),
        _decide("L8", "06-02T08:00", "rejected", "no_budget"),
        _decide("L9", "06-02T08:00", "recycled", "not_ready"),  # the May event
        _decide("L10", "05-20T11:00", "rejected", "wrong_fit"),  # not an agreed reason
        _decide("L11", "05-21T11:00", "rejected", "no_budget"),
    ],
}


@dataclass(frozen=True)
class SlaWeek:
    facts: Facts
    policy: SlaPolicy = POLICY
    now: dt.datetime = NOW
    period: Period = JUNE


@pytest.fixture
def sla_week(warehouse) -> SlaWeek:
    """The hand-built week, ingested into the engine under test, with its policy and ``now``."""
    ingest_many(warehouse, FACTS)
    return SlaWeek(Facts.of(warehouse))
