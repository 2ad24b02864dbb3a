"""Facts for the goals app: two paid-search leads a day from 31 December 2024 to 12 May 2025,
every even one an MQL three days later; the clock is frozen at ``NOW`` (13 May 2025).

Q1 holds 180 such leads (the baseline of a Q2 goal); Q2 up to ``NOW`` holds 84.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client

from alinea.apps.accounts.models import Role, User
from alinea.apps.accounts.services import api_token_create
from alinea.warehouse import connect, ingest_many

NOW = dt.datetime(2025, 5, 13, 9, tzinfo=dt.UTC)

GOAL = {
    "title": "More paid-search leads",
    "why": "Sales needs more pipeline in Q2",
    "owner": "marketing",
    "metric": "leads",
    "segment": {"channel": ["paid_search"]},
    "target_kind": "relative",
    "target_amount": 10.0,
    "period_start": "2025-04-01",
    "period_last_day": "2025-06-30",
    "cadence_days": 14,
}


@pytest.fixture
def frozen_now(monkeypatch: pytest.MonkeyPatch) -> dt.datetime:
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    return NOW


@pytest.fixture
def goal_facts(warehouse_url: str) -> None:
    leads, changes = [], []
    start = dt.datetime(2024, 12, 31, 6, tzinfo=dt.UTC)
    for number in range(2 * 133):
        created = start + dt.timedelta(days=number // 2, hours=number % 2)
        lead = f"p{number}"
        leads.append({"lead_id": lead, "created_at": created.isoformat(), "channel": "paid_search"})
        changes.append({"lead_id": lead, "stage": "lead", "changed_at": created.isoformat()})
        if number % 2 == 0:
            mql = (created + dt.timedelta(days=3)).isoformat()
            changes.append({"lead_id": lead, "stage": "mql", "changed_at": mql})
    con = connect(warehouse_url)
    ingest_many(con, {"leads": leads, "stage_changes": changes})
    con.disconnect()


class Api:
    """A client speaking to /api/goals with one user's token."""

    def __init__(self, client: Client, user: User) -> None:
        self.client = client
        self.user = user
        self.auth = {
            "HTTP_AUTHORIZATION": f"Bearer {api_token_create(actor=None, user=user, name='t')}"
        }

    def get(self, path: str, **params: object):
        return self.client.get(f"/api/goals{path}", params, **self.auth)

    def post(self, path: str, body: dict[str, object]):
        return self.client.post(
            f"/api/goals{path}", body, content_type="application/json", **self.auth
        )

    def patch(self, path: str, body: dict[str, object]):
        return self.client.patch(
            f"/api/goals{path}", body, content_type="application/json", **self.auth
        )


@pytest.fixture
def api_as(client: Client, make_user):
    def make(team: str | None, role: Role | None = Role.MEMBER) -> Api:
        return Api(client, make_user(team, role))

    return make


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Evaluations are cached per day; every test starts without any."""
    cache.clear()
