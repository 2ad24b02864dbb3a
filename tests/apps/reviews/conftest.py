"""Meetings over a small hand-made warehouse whose agenda numbers are worked out by hand.

``NOW`` is Wednesday 11 June 2025, 12:00 UTC. Facts (every lead from paid search):

| lead | created | stages | sales |
|---|---|---|---|
| S1, S2, S3 | 1 May 09:00 | MQL 1 May 09:00 → SQL 3 May 09:00 | — |
| M1 | 20 May 09:00 | MQL 20 May 09:00 | — |
| X1 | 9 June 09:00 | MQL 9 June 09:00 | rep-a: call 10:00 |
| X2 | 9 June 09:00 | MQL 9 June 09:00 | rep-a: nothing |

- Stalls: the only ended MQL stays last 2 days (S1–S3), so the MQL threshold is 2 days; M1
  (22.125 days), X1 and X2 (2.125 days each) sit in MQL longer: 3 stalled, the oldest 22.125 days.
  SQL has no ended stay, hence no threshold and no stall.
- SLA (``signed_policy``: Monday–Friday 09:00–17:00 UTC, first response in 4 business hours, 2
  attempts in 2 business days, a decision in 3 business days, at risk below a quarter left):
  X1 responded in 1 h (met), X2 not by 13:00 (breached); both made fewer than 2 attempts by
  Wednesday 09:00 (breached); the decision is due Thursday 09:00, 5 of 24 business hours left
  (at risk). M1 (20 May) falls inside the agenda's 28 days (from 15 May) and breached all
  three clocks; S1–S3 are older.
- The goal "More paid-search leads" (June, set 1 June, every 7 days): 2 leads so far (X1, X2);
  its first check-in was due 8 June and is late (2 days of grace ended 10 June).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from alinea.apps.accounts.models import Role, User
from alinea.apps.accounts.services import api_token_create
from alinea.apps.goals.models import Goal
from alinea.apps.goals.services import goal_create
from alinea.apps.sla.models import SlaPolicy
from alinea.apps.sla.services import sla_policy_approve, sla_policy_create, sla_policy_propose
from alinea.apps.sla.terms import CalendarTerms, PolicyTerms
from alinea.warehouse import connect, ingest_many

NOW = dt.datetime(2025, 6, 11, 12, tzinfo=dt.UTC)
GOAL_SET_AT = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)

#: lead → (created and MQL instant, SQL instant or None)
LEADS = {
    "S1": ("2025-05-01T09:00:00Z", "2025-05-03T09:00:00Z"),
    "S2": ("2025-05-01T09:00:00Z", "2025-05-03T09:00:00Z"),
    "S3": ("2025-05-01T09:00:00Z", "2025-05-03T09:00:00Z"),
    "M1": ("2025-05-20T09:00:00Z", None),
    "X1": ("2025-06-09T09:00:00Z", None),
    "X2": ("2025-06-09T09:00:00Z", None),
}


def hand_made_facts() -> dict[str, list[dict[str, object]]]:
    changes: list[dict[str, object]] = []
    for lead, (mql, sql) in LEADS.items():
        changes.append({"lead_id": lead, "stage": "mql", "changed_at": mql})
        if sql:
            changes.append({"lead_id": lead, "stage": "sql", "changed_at": sql})
    people = {"person_id": "rep-a", "name": "Ann", "team": "sales", "role": "sdr",
              "region": "EMEA", "timezone": "UTC", "email": "ann@example.com"}  # fmt: skip
    return {
        "people": [people],
        "leads": [
            {
                "lead_id": lead,
                "created_at": at,
                "channel": "paid_search",
                "segment": "smb",
                "region": "EMEA",
                "owner_id": "rep-a",
            }
            for lead, (at, _) in LEADS.items()
        ],
        "stage_changes": changes,
        "assignments": [
            {"lead_id": lead, "rep_id": "rep-a", "assigned_at": at}
            for lead, (at, _) in LEADS.items()
        ],
        "activities": [
            {
                "activity_id": "act-1",
                "lead_id": "X1",
                "rep_id": "rep-a",
                "occurred_at": "2025-06-09T10:00:00Z",
                "type": "call",
            }
        ],
    }


@pytest.fixture
def facts(warehouse_url: str) -> None:
    con = connect(warehouse_url)
    ingest_many(con, hand_made_facts())
    con.disconnect()


@pytest.fixture
def con(warehouse_url: str, facts: None):
    connection = connect(warehouse_url)
    yield connection
    connection.disconnect()


@pytest.fixture
def people(make_user) -> dict[str, User]:
    return {
        "maria": make_user("marketing", Role.TEAM_LEAD, username="maria"),
        "sam": make_user("sales", Role.TEAM_LEAD, username="sam"),
        "mark": make_user("marketing", Role.MEMBER, username="mark"),
        "rita": make_user("sales", Role.MEMBER, username="rita"),
        "lena": make_user("leadership", Role.VIEWER, username="lena"),
    }


@pytest.fixture
def signed_policy(people: dict[str, User]) -> SlaPolicy:
    terms = PolicyTerms(
        quality_floor=0.5, first_response_hours=4, attempts=2, attempts_within_days=2,
        disposition_within_days=3, calendars=(CalendarTerms("UTC"),),
    )  # fmt: skip
    policy = sla_policy_create(actor=people["mark"], terms=terms)
    sla_policy_propose(actor=people["mark"], policy=policy)
    sla_policy_approve(actor=people["maria"], policy=policy, side="marketing")
    sla_policy_approve(actor=people["sam"], policy=policy, side="sales")
    return policy


@pytest.fixture
def goal(con, people: dict[str, User]) -> Goal:
    return goal_create(
        actor=people["maria"], con=con, now=GOAL_SET_AT, title="More paid-search leads",
        why="Sales needs pipeline", owner="marketing", metric="leads",
        segment={"channel": ["paid_search"]}, target_kind="absolute", target_amount=10.0,
        period_start=dt.date(2025, 6, 1), period_last_day=dt.date(2025, 6, 30), cadence_days=7,
        window_days=90,
    )  # fmt: skip


@pytest.fixture
def sales_goal(con, people: dict[str, User]) -> Goal:
    return goal_create(
        actor=people["sam"], con=con, now=GOAL_SET_AT, title="More SQLs", why="",
        owner="sales", metric="sqls", segment={}, target_kind="absolute", target_amount=5.0,
        period_start=dt.date(2025, 7, 1), period_last_day=dt.date(2025, 9, 30), cadence_days=None,
        window_days=90,
    )  # fmt: skip


@pytest.fixture
def frozen_now(monkeypatch: pytest.MonkeyPatch) -> dt.datetime:
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    return NOW


class Api:
    """A client speaking to /api/reviews with one user's token."""

    def __init__(self, client: Client, user: User) -> None:
        self.client = client
        token = api_token_create(actor=None, user=user, name="t")
        self.auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def get(self, path: str):
        return self.client.get(f"/api/reviews{path}", **self.auth)

    def post(self, path: str, body: dict[str, object] | None = None):
        return self.client.post(
            f"/api/reviews{path}", body or {}, content_type="application/json", **self.auth
        )


@pytest.fixture
def api_as(client: Client, people: dict[str, User]):
    return lambda name: Api(client, people[name])
