"""``/api/goals`` through HTTP: create, evaluate, attach, answer asks, check in; who may do what."""

from __future__ import annotations

import pytest

from alinea.apps.accounts.models import Role
from alinea.apps.audit.models import AuditEntry

from .conftest import GOAL

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("goal_facts", "frozen_now")]


def test_create_measures_the_baseline_and_evaluates_the_goal(api_as) -> None:
    marketer = api_as("marketing")
    created = marketer.post("", GOAL)
    assert created.status_code == 201, created.json()
    goal = created.json()
    assert goal["baseline_value"] == 180.0
    assert (
        "2025-01-01 to 2025-03-31 (the same days of the previous quarter)"
        in (goal["baseline_description"])
    )
    detail = marketer.get(f"/{goal['id']}", now="2025-05-13T00:00:00Z")
    assert detail.status_code == 200
    result = detail.json()["evaluation"]
    assert result["target"] == pytest.approx(198.0)
    assert result["target_text"] == "+10 % relative to the baseline (180 → 198)"
    assert (result["current"], result["forecast"], result["probability"]) == (84.0, 182.0, 0.0)
    assert result["status"] == "off_track"
    letters = {(c["letter"], c["name"]): c["passed"] for c in result["smart"]}
    assert letters[("R", "realistic")] is False
    assert letters[("S", "specific")] is True
    assert result["fast"][3]["reason"].endswith("goals in alinea are never private")
    assert AuditEntry.objects.filter(action="goal_create", object_id=str(goal["id"])).exists()


def test_points_are_refused_for_a_count(api_as) -> None:
    response = api_as("marketing").post("", {**GOAL, "target_kind": "points"})
    assert response.status_code == 400
    assert "percentage points only applies to a rate" in response.json()["detail"]


def test_unknown_segment_dimension_is_refused(api_as) -> None:
    response = api_as("marketing").post("", {**GOAL, "segment": {"colour": ["red"]}})
    assert response.status_code == 400
    assert "leads has no dimension 'colour'" in response.json()["detail"]


def test_only_the_owning_team_writes_but_everyone_reads(api_as) -> None:
    goal = api_as("marketing").post("", GOAL).json()
    rep = api_as("sales")
    assert rep.post("", GOAL).status_code == 403
    assert rep.patch(f"/{goal['id']}", {"title": "mine"}).status_code == 403
    assert rep.post(f"/{goal['id']}/obstacles", {"description": "x"}).status_code == 403
    viewer = api_as(None, None)
    assert [g["id"] for g in viewer.get("").json()] == [goal["id"]]
    assert viewer.get(f"/{goal['id']}").status_code == 200
    assert viewer.get("/999").status_code == 404


def test_asks_are_answered_by_the_asked_team_only(api_as) -> None:
    marketer = api_as("marketing")
    goal = marketer.post("", GOAL).json()
    ask = marketer.post(
        f"/{goal['id']}/asks", {"asked_team": "sales", "request": "Tag the source of every deal"}
    )
    assert ask.status_code == 201
    ask_id = ask.json()["id"]
    assert marketer.post(f"/asks/{ask_id}/answer", {"accept": True}).status_code == 403
    rep = api_as("sales")
    answer = rep.post(f"/asks/{ask_id}/answer", {"accept": False, "comment": "Not this quarter"})
    assert answer.status_code == 200
    assert (answer.json()["status"], answer.json()["comment"]) == ("declined", "Not this quarter")
    again = rep.post(f"/asks/{ask_id}/answer", {"accept": True})
    assert again.status_code == 400
    assert "already been answered" in again.json()["detail"]


def test_attachments_links_and_check_ins(api_as) -> None:
    marketer = api_as("marketing", Role.TEAM_LEAD)
    goal = marketer.post("", GOAL).json()
    other = marketer.post("", {**GOAL, "title": "MQLs", "metric": "mqls"}).json()
    gid = goal["id"]
    for title in (
        "Website conversion optimisation",
        "Paid-search strategy",
        "Bottom-of-funnel content",
    ):
        assert marketer.post(f"/{gid}/initiatives", {"title": title}).status_code == 201
    assert marketer.post(f"/{gid}/obstacles", {"description": "Small budget"}).status_code == 201
    need = {"kind": "data", "description": "Spend per keyword"}
    assert marketer.post(f"/{gid}/resource-needs", need).status_code == 201
    bad = marketer.post(f"/{gid}/resource-needs", {"kind": "luck", "description": "x"})
    assert bad.status_code == 400
    assert marketer.post(f"/{gid}/links", {"supports": other["id"]}).status_code == 201
    assert marketer.post(f"/{gid}/links", {"supports": gid}).status_code == 400
    check = marketer.post(f"/{gid}/check-ins", {"confidence": 6, "comment": "slow April"})
    assert check.status_code == 201
    # the value at that moment: Q2 leads up to 13 May 09:00 UTC = 84 (no lead on 13 May)
    assert check.json()["metric_value"] == 84.0
    assert marketer.post(f"/{gid}/check-ins", {"confidence": 11}).status_code == 422
    detail = marketer.get(f"/{gid}").json()
    assert next(i["title"] for i in detail["initiatives"]) == "Website conversion optimisation"
    assert (detail["obstacles"], detail["supports"]) == (["Small budget"], [other["id"]])
    assert [c["confidence"] for c in detail["check_ins"]] == [6]


def test_target_changes_need_both_leads_over_the_api(api_as) -> None:
    marketer = api_as("marketing")
    goal = marketer.post("", GOAL).json()
    refused = marketer.patch(f"/{goal['id']}", {"target_amount": 20.0})
    assert refused.status_code == 400
    assert "needs both team leads" in refused.json()["detail"]
    proposed = marketer.post(f"/{goal['id']}/changes", {"target_amount": 20.0, "reason": "r"})
    assert proposed.status_code == 201, proposed.json()
    change = proposed.json()
    assert (change["status"], change["before"], change["changes"]) == (
        "proposed", {"target_amount": 10.0}, {"target_amount": 20.0},
    )  # fmt: skip
    sign = f"/{goal['id']}/changes/{change['id']}/sign"
    assert marketer.post(sign, {"side": "marketing"}).status_code == 403
    assert api_as("sales", Role.TEAM_LEAD).post(sign, {"side": "sales"}).status_code == 200
    done = api_as("marketing", Role.TEAM_LEAD).post(sign, {"side": "marketing"}).json()
    assert done["status"] == "active"
    assert done["applied_at"] is not None
    assert marketer.get(f"/{goal['id']}").json()["target_amount"] == 20.0
