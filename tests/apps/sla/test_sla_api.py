"""``/api/sla`` through real HTTP (the live server) with API tokens."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlencode

import pytest

from alinea.apps.accounts.models import User
from alinea.apps.accounts.services import api_token_create

from .conftest import EXPECTED, INBOX_A, NOW

pytestmark = pytest.mark.django_db(transaction=True)


class Api:
    def __init__(self, base: str, users: dict[str, User]) -> None:
        self.base = base
        self.tokens = {
            name: api_token_create(actor=None, user=u, name="t") for name, u in users.items()
        }

    def __call__(
        self, who: str, method: str, path: str, body: Any = None, **query: str
    ) -> tuple[int, Any]:
        url = f"{self.base}/api/sla{path}" + (f"?{urlencode(query, doseq=True)}" if query else "")
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            url,
            data=data,
            method=method,
            headers={
                "Authorization": f"Bearer {self.tokens[who]}",
                "Content-Type": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())


@pytest.fixture
def api(live_server, leads, rep_user) -> Api:
    return Api(live_server.url, leads)


def _body() -> dict[str, Any]:
    return {
        "quality_floor": 0.6,
        "first_response_hours": 4,
        "attempts": 2,
        "attempts_within_days": 2,
        "disposition_within_days": 3,
        "calendars": [{"timezone": "UTC", "hours": {"monday": ["09:00-17:00"]}}],
        "targets": [{"mqls": 10, "every": "month", "region": "EMEA"}],
        "reasons": [{"outcome": "rejected", "code": "no_budget"}],
    }


def test_a_policy_is_written_proposed_and_signed_over_http(api) -> None:
    assert api("rep", "GET", "/policy")[0] == 404
    status, created = api("marketer", "POST", "/policies", _body())
    assert status == 201
    assert (created["status"], created["version"]) == ("draft", 1)
    assert created["targets"] == [{"mqls": 10, "every": "month", "segment": "", "region": "EMEA"}]
    assert api("viewer", "POST", "/policies", _body())[0] == 403
    pid = created["id"]
    assert api("marketer", "POST", f"/policies/{pid}/propose")[1]["status"] == "proposed"
    status, refused = api("sales_lead", "POST", f"/policies/{pid}/approve", {"side": "marketing"})
    assert status == 403
    assert "marketing team lead" in refused["detail"]
    api("sales_lead", "POST", f"/policies/{pid}/approve", {"side": "sales"})
    status, signed = api(
        "marketing_lead", "POST", f"/policies/{pid}/approve", {"side": "marketing"}
    )
    assert (status, signed["status"]) == (200, "active")
    assert signed["sales_approved_by"] == "slead"
    assert api("viewer", "GET", "/policy")[1]["id"] == pid
    assert [p["version"] for p in api("viewer", "GET", "/policies")[1]] == [1]


def test_bad_terms_are_a_400_with_the_reason(api) -> None:
    body = _body() | {
        "calendars": [{"timezone": "Mars/Olympus", "hours": {"friday": ["09:00-12:00"]}}]
    }
    status, error = api("marketer", "POST", "/policies", body)
    assert status == 400
    assert "Mars/Olympus" in error["detail"]
    assert api("marketer", "POST", "/policies", _body() | {"attempts": 0})[0] == 422


def test_numbers_and_inbox_over_http(api, hand_warehouse, signed_policy) -> None:
    at = NOW.isoformat()
    status, card = api("viewer", "GET", "/scorecard", now=at)
    assert status == 200
    totals = {row["clock"]: row for row in card["sales"]["compliance"]}
    for clock, counts in EXPECTED.items():
        assert {s: totals[clock][s] for s in counts} == counts
    assert {r["reason"]: r["count"] for r in card["reasons"]} == {
        "spam": 1,
        "no_budget": 1,
        "competitor": 1,
        "not_ready": 1,
    }
    status, by_rep = api("viewer", "GET", "/compliance", now=at, by=["rep"], clock="response")
    assert {r["rep_id"]: r["met"] for r in by_rep["rows"]} == {"rep-a": 1, "rep-b": 1, "rep-c": 1}
    assert len(api("viewer", "GET", "/clocks", now=at)[1]["clocks"]) == 8

    status, inbox = api("rep", "GET", "/inbox", now=at)
    assert [i["lead_id"] for i in inbox] == INBOX_A
    assert api("viewer", "GET", "/inbox")[0] == 409  # not linked to a rep

    status, fact = api("rep", "POST", "/inbox/A4/attempts", {"kind": "call"})
    assert (status, fact["table"], fact["row"]["rep_id"]) == (201, "activities", "rep-a")
    body = {"outcome": "recycled", "reason": "no_budget"}  # agreed only for rejections
    assert api("rep", "POST", "/inbox/A4/disposition", body)[0] == 400
    body = {"outcome": "rejected", "reason": "no_budget"}
    status, fact = api("rep", "POST", "/inbox/A4/disposition", body)
    assert (status, fact["row"]["outcome"]) == (201, "rejected")
    assert api("rep", "POST", "/inbox/C1/disposition", {"outcome": "accepted"})[0] == 403
    stored = hand_warehouse.con.execute(
        "SELECT outcome, reason FROM dispositions WHERE lead_id = 'A4'"
    ).fetchall()
    assert stored == [("rejected", "no_budget")]


def test_numbers_need_a_policy_in_force(api) -> None:
    status, error = api("viewer", "GET", "/scorecard")
    assert status == 409
    assert "No SLA is in force" in error["detail"]
