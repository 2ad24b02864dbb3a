"""A small hand-built warehouse for the funnel page and API, and the question asked of it.

Eight leads around the first quarter of 2025, seen on 2025-06-01 with a 30-day window, so every
monthly cohort of the quarter is mature. ``reference.py`` computes every number independently with
pandas from the same rows (``FACTS``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from alinea.apps.accounts.models import Role
from alinea.apps.accounts.services import api_token_create
from alinea.warehouse import connect, ingest_many

NOW = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
#: The funnel question of most tests (the page and the API read the same parameters).
QUESTION = {
    "now": NOW.isoformat(),
    "start": "2025-01-01",
    "end": "2025-03-31",
    "window_days": "30",
    "stall_days": "10",
}

_LEADS = [
    # lead, created, channel, owner
    ("A1", "2025-01-05T09:00:00Z", "email", "R1"),
    ("A2", "2025-01-08T09:00:00Z", "email", "R1"),
    ("A3", "2025-02-03T09:00:00Z", "paid_search", "R2"),
    ("A4", "2025-02-14T09:00:00Z", "paid_search", "R2"),
    ("A5", "2025-03-02T09:00:00Z", "events", None),
    ("A6", "2024-12-20T09:00:00Z", "referral", "R1"),
    ("A7", "2025-03-15T09:00:00Z", "email", "R2"),
    ("A8", "2025-03-20T09:00:00Z", None, "R1"),
]

_CHANGES = [
    ("A1", "lead", "2025-01-05T09:00:00Z"),
    ("A1", "mql", "2025-01-10T12:00:00Z"),
    ("A1", "sql", "2025-01-20T12:00:00Z"),
    ("A1", "opportunity", "2025-02-01T12:00:00Z"),
    ("A1", "customer", "2025-02-20T12:00:00Z"),  # after the 30-day window: not counted
    ("A2", "lead", "2025-01-08T09:00:00Z"),
    ("A2", "mql", "2025-01-09T09:00:00Z"),
    ("A3", "lead", "2025-02-03T09:00:00Z"),
    ("A3", "sql", "2025-02-10T09:00:00Z"),  # skipped MQL: passes it in "any" mode
    ("A4", "lead", "2025-02-14T09:00:00Z"),
    ("A5", "lead", "2025-03-02T09:00:00Z"),
    ("A5", "mql", "2025-03-03T09:00:00Z"),
    ("A5", "sql", "2025-03-05T21:00:00Z"),
    ("A5", "opportunity", "2025-03-10T09:00:00Z"),
    ("A5", "customer", "2025-03-20T09:00:00Z"),
    ("A6", "lead", "2024-12-20T09:00:00Z"),  # entered before the period
    ("A6", "mql", "2025-01-03T09:00:00Z"),
    ("A7", "mql", "2025-03-15T09:00:00Z"),  # no lead stage: reaches step 1 as an MQL
    ("A8", "lead", "2025-03-20T09:00:00Z"),
    ("A8", "mql", "2025-03-21T09:00:00Z"),
    ("A8", "lead", "2025-04-02T09:00:00Z"),  # recycled
    ("A8", "mql", "2025-07-01T09:00:00Z"),  # after now: ignored
]

_PEOPLE = [
    {"person_id": "R1", "name": "Rosa Uno", "team": "sales", "role": "sdr", "region": "EMEA"},
    {"person_id": "R2", "name": "Raúl Dos", "team": "sales", "role": "ae", "region": "LATAM"},
]


def _a1_story() -> dict[str, list[dict[str, Any]]]:
    return {
        "touchpoints": [
            {
                "touchpoint_id": "T1",
                "lead_id": "A1",
                "occurred_at": "2025-01-04T08:00:00Z",
                "type": "ad_click",
                "channel": "email",
                "campaign": "winter-webinar",
            }
        ],
        "assignments": [
            {"lead_id": "A1", "rep_id": "R1", "assigned_at": "2025-01-10T13:00:00Z"},
        ],
        "activities": [
            {
                "activity_id": "C1",
                "lead_id": "A1",
                "rep_id": "R1",
                "occurred_at": "2025-01-11T10:00:00Z",
                "type": "call",
                "outcome": "connected",
            }
        ],
        "dispositions": [
            {
                "lead_id": "A1",
                "rep_id": "R1",
                "decided_at": "2025-01-12T10:00:00Z",
                "outcome": "accepted",
            }
        ],
        "deals": [
            {
                "deal_id": "D1",
                "lead_id": "A1",
                "rep_id": "R1",
                "created_at": "2025-02-01T12:00:00Z",
                "closed_at": "2025-02-20T12:00:00Z",
                "status": "won",
                "amount": 12000.0,
                "currency": "EUR",
            }
        ],
    }


def facts_rows() -> dict[str, list[dict[str, Any]]]:
    return {
        "people": [dict(p) for p in _PEOPLE],
        "leads": [
            {"lead_id": lead, "created_at": at, "channel": channel, "owner_id": owner}
            for lead, at, channel, owner in _LEADS
        ],
        "stage_changes": [
            {"lead_id": lead, "stage": stage, "changed_at": at} for lead, stage, at in _CHANGES
        ],
        **_a1_story(),
    }


@pytest.fixture
def funnel_facts(warehouse_url: str) -> dict[str, list[dict[str, Any]]]:
    """The test's warehouse file (``ALINEA_WAREHOUSE``), filled with the rows above."""
    rows = facts_rows()
    con = connect(warehouse_url)
    ingest_many(con, rows)
    con.disconnect()
    return rows


@pytest.fixture
def maria(client: Client, make_user) -> Client:
    make_user("marketing", Role.TEAM_LEAD, username="maria")
    client.login(username="maria", password="correct horse battery")
    return client


@pytest.fixture
def bearer(make_user) -> dict[str, str]:
    user = make_user("sales", Role.VIEWER)
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(actor=None, user=user, name='t')}"}
