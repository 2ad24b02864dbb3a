"""``/api/reviews`` through HTTP with API tokens: sessions and reviews end to end, errors."""

from __future__ import annotations

import pytest

from alinea.apps.goals.models import Goal

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def _session_body(people, goal: Goal) -> dict[str, object]:
    return {"title": "Q3 goals", "held_on": "2025-06-11", "budget_minutes": 30,
            "participants": [people["maria"].pk, people["sam"].pk], "goals": [goal.pk]}  # fmt: skip


def test_a_session_through_the_api(api_as, people, goal) -> None:
    api = api_as("maria")
    made = api.post("/sessions", _session_body(people, goal))
    assert made.status_code == 201, made.content
    session = made.json()
    assert (session["seconds_per_team"], session["goals"]) == (900.0, [goal.pk])
    path = f"/sessions/{session['id']}"
    timer = api.post(f"{path}/timer", {"team": "sales"}).json()
    assert (timer["running_team"], timer["time_used"]) == ("sales", {"marketing": 0, "sales": 0})
    answered = api.post(
        f"{path}/goals/{goal.pk}/answers",
        {"why": "Pipeline", "initiatives": ["Paid-search strategy"], "asked_team": "sales",
         "asks": ["Call back within a day"]},
    )  # fmt: skip
    assert answered.status_code == 200, answered.content
    assert [(a["question"], a["text"]) for a in answered.json()["answers"]] == [
        ("what_why", "Pipeline"), ("initiatives", "Paid-search strategy"),
        ("help", "Call back within a day"),
    ]  # fmt: skip
    assert goal.asks.get().request == "Call back within a day"
    decided = api.post(f"{path}/decisions", {"text": "Meet again in July"})
    assert (decided.status_code, decided.json()["recorded_by"]) == (201, "maria")
    closed = api.post(f"{path}/close").json()
    assert (closed["status"], closed["running_team"]) == ("closed", "")
    assert [s["id"] for s in api.get("/sessions").json()] == [session["id"]]
    assert api.get(path).json()["decisions"][0]["text"] == "Meet again in July"


def test_session_errors(api_as, people, goal, sales_goal) -> None:
    api = api_as("maria")
    one_team = {**_session_body(people, goal), "participants": [people["maria"].pk]}
    assert api.post("/sessions", one_team).status_code == 400
    unknown = {**_session_body(people, goal), "goals": [9999]}
    assert "no goal with id 9999" in api.post("/sessions", unknown).json()["detail"]
    assert api_as("lena").post("/sessions", _session_body(people, goal)).status_code == 403
    session = api.post("/sessions", _session_body(people, goal)).json()
    off_agenda = api.post(f"/sessions/{session['id']}/goals/{sales_goal.pk}/answers", {})
    assert off_agenda.status_code == 404
    refused = api_as("rita").post(
        f"/sessions/{session['id']}/goals/{goal.pk}/answers", {"obstacles": ["x"]}
    )
    assert refused.status_code == 403
    assert api.get("/sessions/9999").status_code == 404
    assert api.client.get("/api/reviews/sessions").status_code == 401


def test_a_review_through_the_api(api_as, people, goal) -> None:
    api = api_as("sam")
    body = {"title": "June review", "scheduled_for": "2025-06-12",
            "participants": [people["maria"].pk, people["sam"].pk]}  # fmt: skip
    made = api.post("", body)
    assert made.status_code == 201, made.content
    review_id = made.json()["id"]
    planned = api.get(f"/{review_id}").json()
    assert planned["status"] == "planned"
    assert [g["id"] for g in planned["agenda"]["goals"]] == [goal.pk]
    assert api.post(f"/{review_id}/decisions", {"text": "early"}).status_code == 400
    opened = api.post(f"/{review_id}/open").json()
    assert opened["agenda"]["taken_at"] == "2025-06-11T12:00:00+00:00"
    assert api.post(f"/{review_id}/decisions", {"text": "Fix landing pages"}).status_code == 201
    closed = api.post(f"/{review_id}/close").json()
    assert closed["status"] == "closed"
    assert closed["closing"]["stalls"] == opened["agenda"]["stalls"]
    assert [d["text"] for d in closed["decisions"]] == ["Fix landing pages"]
    assert [r["id"] for r in api.get("").json()] == [review_id]
    assert api.post(f"/{review_id}/close").status_code == 400
