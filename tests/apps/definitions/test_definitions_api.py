"""``/api/definitions`` through real HTTP (the live server) with API tokens."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlencode

import pytest

from alinea.apps.accounts.models import User
from alinea.apps.accounts.services import api_token_create

from .conftest import HAND_LEADS, LOOSE, NOW, STRICT, loose_qualifies, recent_touches

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
        url = f"{self.base}/api/definitions{path}" + (f"?{urlencode(query)}" if query else "")
        request = urllib.request.Request(
            url,
            data=json.dumps(body).encode() if body is not None else None,
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
def api(live_server, leads) -> Api:
    return Api(live_server.url, leads)


def _signed(api: Api, document: dict[str, Any]) -> dict[str, Any]:
    status, created = api("marketer", "POST", "/versions", {"stage": "mql", "document": document})
    assert status == 201, created
    assert api("marketer", "POST", f"/versions/{created['id']}/propose")[0] == 200
    for who, side in (("marketing_lead", "marketing"), ("sales_lead", "sales")):
        status, body = api(who, "POST", f"/versions/{created['id']}/approve", {"side": side})
        assert status == 200, body
    return body


def test_the_lifecycle_through_the_api(api: Api) -> None:
    status, draft = api(
        "marketer", "POST", "/versions", {"stage": "mql", "document": STRICT, "note": "first"}
    )
    assert status == 201
    assert (draft["status"], draft["version"], draft["criteria"]) == (
        "draft",
        1,
        ["segment in enterprise", "≥ 2 touchpoints in 30 days"],
    )
    path = f"/versions/{draft['id']}"
    assert api("viewer", "POST", f"{path}/propose")[0] == 403
    assert api("marketer", "POST", f"{path}/propose")[1]["status"] == "proposed"
    status, body = api("sales_lead", "POST", f"{path}/approve", {"side": "marketing"})
    assert status == 403
    assert "marketing team lead" in body["detail"]
    status, body = api("sales_lead", "POST", f"{path}/approve", {"side": "sales"})
    assert (status, body["status"], body["sales_approved_by"]) == (200, "proposed", "slead")
    assert api("sales_lead", "POST", f"{path}/approve", {"side": "sales"})[0] == 409
    status, edited = api("marketer", "PUT", path, {"document": LOOSE})
    assert (status, edited["status"], edited["sales_approved_by"]) == (200, "draft", None)
    api("marketer", "POST", f"{path}/propose")
    api("sales_lead", "POST", f"{path}/approve", {"side": "sales"})
    status, active = api("marketing_lead", "POST", f"{path}/approve", {"side": "marketing"})
    assert (status, active["status"], active["marketing_approved_by"]) == (200, "active", "mlead")
    status, body = api("marketer", "PUT", path, {"document": STRICT})
    assert status == 409
    assert "new version" in body["detail"]
    status, stages = api("viewer", "GET", "/")
    assert status == 200
    assert [(s["stage"], s["active"]["id"]) for s in stages] == [("mql", draft["id"])]


def test_errors_are_clear_json(api: Api) -> None:
    status, body = api("marketer", "POST", "/versions", {"stage": "mql", "document": {}})
    assert status == 400
    assert "at least one criterion" in body["detail"]
    bad = {"fit": [{"attribute": "shoe_size", "any_of": ["42"]}]}
    status, body = api("marketer", "POST", "/versions", {"stage": "mql", "document": bad})
    assert status == 400
    assert "shoe_size" in body["detail"]
    status, body = api("viewer", "POST", "/versions", {"stage": "mql", "document": STRICT})
    assert status == 403
    assert body["detail"]
    status, body = api("marketer", "GET", "/versions/999")
    assert status == 404
    assert body["detail"]
    status, body = api("marketer", "GET", "/stages/mql/leads/L01")
    assert status == 409
    assert "No mql definition" in body["detail"]
    status, draft = api("marketer", "POST", "/versions", {"stage": "mql", "document": STRICT})
    status, body = api("marketer", "GET", f"/versions/{draft['id']}/diff")
    assert status == 409
    assert "first version" in body["detail"]
    status, body = api("sales_lead", "POST", f"/versions/{draft['id']}/approve", {"side": "sales"})
    assert status == 409
    assert "only a proposed version" in body["detail"]


def test_versions_and_diff(api: Api) -> None:
    first = _signed(api, STRICT)
    status, second = api("marketer", "POST", "/versions", {"stage": "mql", "document": LOOSE})
    status, versions = api("viewer", "GET", "/stages/mql/versions")
    assert [(v["version"], v["status"]) for v in versions] == [(2, "draft"), (1, "active")]
    status, diff = api("viewer", "GET", f"/versions/{second['id']}/diff")
    assert status == 200
    assert diff["old"] == first["id"]
    assert "- criterion: segment in enterprise" in diff["lines"]
    assert "+ threshold = score ≥ 10" in diff["lines"]


def test_backtest_and_lead_explanation(api: Api, hand_warehouse) -> None:
    active = _signed(api, LOOSE)
    status, result = api(
        "viewer", "GET", f"/versions/{active['id']}/backtest", months="3", now=NOW.isoformat()
    )
    assert status == 200
    assert result["versions"] == ["v1"]
    assert sum(r["mqls"] for r in result["months"]) == sum(r["mqls"] for r in result["rep_load"])
    assert api("viewer", "GET", f"/versions/{active['id']}/backtest", months="99")[0] == 400
    lead = next(lead for lead in HAND_LEADS if recent_touches(lead, NOW) > 0)
    status, why = api("viewer", "GET", f"/stages/mql/leads/{lead.lead_id}", now=NOW.isoformat())
    assert status == 200
    assert why["qualified"] == loose_qualifies(lead, NOW)
    assert why["reasons"][0] == {"criterion": "≥ 1 touchpoints in 30 days", "met": True}
    assert {"factor": "touchpoints", "points": 5.0 * recent_touches(lead, NOW)} in why["factors"]
    status, _body = api("viewer", "GET", "/stages/mql/leads/nobody")
    assert status == 404
