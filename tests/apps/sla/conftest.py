"""A signed SLA and a hand-built fortnight of MQLs (June 2025) whose clocks are worked out by hand.

Calendar: Monday–Friday 09:00–17:00 UTC, no holidays (8 business hours a day). Policy: first
response within 4 business hours, 2 contact attempts within 2 business days, a decision within
3 business days, at risk below a quarter of the time left. ``NOW`` is Wednesday 11 June, 12:00.

| event | rep | MQL | facts | response | attempts | disposition |
|---|---|---|---|---|---|---|
| A1 | a | Mon 9 09:00 | call 10:00, email 11:00, accepted Tue 09:00 | met | met | met |
| A2 | a | Mon 9 09:00 | call 15:00 (6 h) | breached | breached | at risk (0.625 of 3 days left) |
| A3 | a | Wed 11 10:00 | nothing | pending | pending | pending |
| A4 | a | Tue 10 16:30 | nothing | at risk (0.5 h left) | pending | pending |
| C2 | a | Tue 3 09:00 | rejected "spam" 10:00 | breached | breached | met |
| B1 | b | Fri 6 16:00 | call Mon 11:00 (3 h), meeting 12:00, rejected Tue | met | met | met |
| B2 | b | Thu 5 09:00 | recycled not_ready Wed 11 09:00 | breached | breached | breached (late) |
| C1 | c | Mon 9 09:00 | calls Mon 09:30, Tue 09:30, rejected Mon 17:00 | met | met | met |
"""

from __future__ import annotations

import datetime as dt

import pytest
from ibis.backends import BaseBackend

from alinea.apps.accounts.models import Role, User
from alinea.apps.sla.models import SlaPolicy
from alinea.apps.sla.services import (
    sla_policy_approve,
    sla_policy_create,
    sla_policy_propose,
)
from alinea.apps.sla.terms import CalendarTerms, PolicyTerms, ReasonTerms, TargetTerms
from alinea.warehouse import connect, ingest_many

NOW = dt.datetime(2025, 6, 11, 12, tzinfo=dt.UTC)

#: clock → status → count, from the table above.
EXPECTED = {
    "response": {"met": 3, "breached": 3, "at_risk": 1, "pending": 1},
    "attempts": {"met": 3, "breached": 3, "at_risk": 0, "pending": 2},
    "disposition": {"met": 4, "breached": 1, "at_risk": 1, "pending": 2},
}
#: rep-a's inbox, most urgent first.
INBOX_A = ["A2", "A4", "A3"]


def terms(**changes: object) -> PolicyTerms:
    base = PolicyTerms(
        quality_floor=0.5,
        first_response_hours=4,
        attempts=2,
        attempts_within_days=2,
        disposition_within_days=3,
        calendars=(CalendarTerms("UTC"),),
        targets=(TargetTerms(3, "week"),),
        reasons=(
            ReasonTerms("rejected", "no_budget"),
            ReasonTerms("rejected", "competitor"),
            ReasonTerms("recycled", "not_ready"),
        ),
    )
    return PolicyTerms(**{**vars(base), **changes})  # type: ignore[arg-type]


@pytest.fixture
def leads(make_user) -> dict[str, User]:
    """The two team leads, members of each team and a viewer."""
    return {
        "marketing_lead": make_user("marketing", Role.TEAM_LEAD, username="mlead"),
        "sales_lead": make_user("sales", Role.TEAM_LEAD, username="slead"),
        "marketer": make_user("marketing", Role.MEMBER, username="marketer"),
        "rep": make_user("sales", Role.MEMBER, username="ann"),
        "viewer": make_user("leadership", Role.VIEWER, username="vic"),
    }


@pytest.fixture
def signed_policy(leads: dict[str, User]) -> SlaPolicy:
    policy = sla_policy_create(actor=leads["marketer"], terms=terms())
    sla_policy_propose(actor=leads["marketer"], policy=policy)
    sla_policy_approve(actor=leads["marketing_lead"], policy=policy, side="marketing")
    sla_policy_approve(actor=leads["sales_lead"], policy=policy, side="sales")
    policy.refresh_from_db()
    return policy


def _at(text: str) -> str:
    return f"2025-06-{text}:00Z"


def _people() -> list[dict[str, object]]:
    return [
        {
            "person_id": p,
            "name": name,
            "team": "sales",
            "role": "sdr",
            "region": region,
            "manager_id": manager,
            "timezone": "UTC",
            "email": f"{p}@example.com",
        }
        for p, name, region, manager in [
            ("rep-a", "Ann", "EMEA", "mgr-1"),
            ("rep-b", "Bob", "EMEA", "mgr-1"),
            ("rep-c", "Cid", "North America", "mgr-2"),
        ]
    ] + [
        {
            "person_id": "mgr-1",
            "name": "Meg",
            "team": "sales",
            "role": "manager",
            "region": "EMEA",
            "timezone": "UTC",
            "email": "meg@example.com",
        }
    ]


EVENTS = {  # lead → (rep, MQL instant)
    "A1": ("rep-a", "09T09:00"),
    "A2": ("rep-a", "09T09:00"),
    "A3": ("rep-a", "11T10:00"),
    "A4": ("rep-a", "10T16:30"),
    "C2": ("rep-a", "03T09:00"),
    "B1": ("rep-b", "06T16:00"),
    "B2": ("rep-b", "05T09:00"),
    "C1": ("rep-c", "09T09:00"),
}
ACTIVITIES = [
    ("A1", "09T10:00", "call"),
    ("A1", "09T11:00", "email"),
    ("A2", "09T15:00", "call"),
    ("B1", "09T11:00", "call"),
    ("B1", "09T12:00", "meeting"),
    ("C1", "09T09:30", "call"),
    ("C1", "10T09:30", "call"),
]
DISPOSITIONS = [
    ("A1", "10T09:00", "accepted", None),
    ("C2", "03T10:00", "rejected", "spam"),
    ("B1", "10T10:00", "rejected", "no_budget"),
    ("B2", "11T09:00", "recycled", "not_ready"),
    ("C1", "09T17:00", "rejected", "competitor"),
]


def fill(con: BaseBackend) -> None:
    ingest_many(
        con,
        {
            "people": _people(),
            "leads": [
                {
                    "lead_id": lead,
                    "created_at": _at(at),
                    "segment": "smb",
                    "region": "EMEA",
                    "company": f"Company {lead}",
                    "owner_id": rep,
                }
                for lead, (rep, at) in EVENTS.items()
            ],
            "stage_changes": [
                {"lead_id": lead, "stage": "mql", "changed_at": _at(at)}
                for lead, (_, at) in EVENTS.items()
            ],
            "assignments": [
                {"lead_id": lead, "rep_id": rep, "assigned_at": _at(at)}
                for lead, (rep, at) in EVENTS.items()
            ],
            "activities": [
                {
                    "activity_id": f"act-{i}",
                    "lead_id": lead,
                    "rep_id": EVENTS[lead][0],
                    "occurred_at": _at(at),
                    "type": kind,
                }
                for i, (lead, at, kind) in enumerate(ACTIVITIES)
            ],
            "dispositions": [
                {
                    "lead_id": lead,
                    "rep_id": EVENTS[lead][0],
                    "decided_at": _at(at),
                    "outcome": outcome,
                    "reason": reason,
                }
                for lead, at, outcome, reason in DISPOSITIONS
            ],
        },
    )


@pytest.fixture
def hand_warehouse(warehouse_url: str) -> BaseBackend:
    """The test's warehouse file (``ALINEA_WAREHOUSE``), filled with the fortnight above."""
    con = connect(warehouse_url)
    fill(con)
    return con


@pytest.fixture
def rep_user(leads: dict[str, User]) -> User:
    """``ann``, a sales member linked to ``rep-a``."""
    user = leads["rep"]
    user.person_id = "rep-a"
    user.save(update_fields=["person_id"])
    return user
