from __future__ import annotations

import pytest
from django.test import Client

from alinea.apps.accounts.models import Role
from alinea.apps.accounts.services import api_token_create


@pytest.fixture
def token(make_user) -> str:
    user = make_user("sales", Role.MEMBER)
    return api_token_create(actor=None, user=user, name="tests")


def test_scoreboard_endpoint(client: Client, token: str, hand_facts) -> None:
    response = client.get(
        "/api/scoreboard", {"today": "2025-05-14"}, HTTP_AUTHORIZATION=f"Bearer {token}"
    )

    assert response.status_code == 200
    body = response.json()
    assert body["today"] == "2025-05-14"
    assert body["current_period"] == {
        "start": "2025-04-01",
        "end": "2025-05-15",
        "last_day": "2025-05-14",
    }
    assert body["previous_period"]["start"] == "2025-01-01"
    assert body["previous_period"]["last_day"] == "2025-02-13"
    got = {m["metric"]: (m["current"], m["previous"]) for m in body["metrics"]}
    assert got == hand_facts.expected
    teams = {m["metric"]: m["team"] for m in body["metrics"]}
    assert teams["mqls"] == "marketing"
    assert teams["won_revenue"] == "sales"
    changes = {m["metric"]: m["change_pct"] for m in body["metrics"]}
    assert changes["leads"] == pytest.approx(50.0)
    assert changes["customers"] is None


def test_trend_endpoint(client: Client, token: str, hand_facts) -> None:
    response = client.get(
        "/api/scoreboard/trend", {"today": "2025-05-14"}, HTTP_AUTHORIZATION=f"Bearer {token}"
    )

    assert response.status_code == 200
    points = response.json()["points"]
    assert len(points) == 12 * 6
    leads = {p["month"]: p["value"] for p in points if p["metric"] == "leads"}
    assert leads["2025-04-01"] == 2
    assert leads["2024-06-01"] == 0


def test_a_logged_in_browser_may_call_the_api(client: Client, make_user, hand_facts) -> None:
    make_user("marketing", Role.VIEWER, username="viewer")
    client.login(username="viewer", password="correct horse battery")
    response = client.get("/api/scoreboard", {"today": "2025-05-14"})
    assert response.status_code == 200
    assert len(response.json()["metrics"]) == 6
