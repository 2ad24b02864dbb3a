"""What hangs on a goal, through its page: obstacles, resource needs, asks answered by the asked
team, links shown both ways, initiative status; SMART/FAST reasons and the target in Spanish."""

from __future__ import annotations

import pytest
from django.test import Client

from alinea.apps.accounts.models import Role
from alinea.apps.audit.models import AuditEntry
from alinea.apps.goals.models import Ask, Goal, Initiative

from .test_goals_pages import EXAMPLE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("goal_facts", "frozen_now")]


def _login(make_user, team: str, role: Role) -> Client:
    client = Client()
    client.force_login(make_user(team, role))
    return client


@pytest.fixture
def marketer(make_user) -> Client:
    return _login(make_user, "marketing", Role.MEMBER)


@pytest.fixture
def goal(marketer: Client) -> Goal:
    assert marketer.post("/goals/", EXAMPLE).status_code == 302
    return Goal.objects.get()


def _page(client: Client, goal: Goal) -> str:
    return client.get(f"/goals/{goal.pk}/").content.decode()


def test_obstacles_and_resource_needs_are_added_and_shown(marketer: Client, goal: Goal) -> None:
    base = f"/goals/{goal.pk}/add"
    marketer.post(f"{base}/obstacle/", {"obstacle-description": "Slow landing pages"})
    marketer.post(
        f"{base}/resource-need/",
        {"resource-need-kind": "budget", "resource-need-description": "2 000 € for tests"},
    )
    bad = marketer.post(
        f"{base}/resource-need/",
        {"resource-need-kind": "snacks", "resource-need-description": "x"},
        follow=True,
    )
    assert "Select a valid choice" in bad.content.decode()
    assert list(goal.obstacles.values_list("description", flat=True)) == ["Slow landing pages"]
    assert list(goal.resource_needs.values_list("kind", "description")) == [
        ("budget", "2 000 € for tests")
    ]
    html = _page(marketer, goal)
    assert "Slow landing pages" in html
    assert '<li data-kind="budget"><strong>Budget</strong>: 2 000 € for tests</li>' in html
    for kind in ("information", "data", "analysis", "people", "budget"):
        assert f'<option value="{kind}"' in html
    assert AuditEntry.objects.filter(action="obstacle_add").count() == 1


def test_an_ask_is_answered_only_by_the_asked_team_on_the_page(
    marketer: Client, goal: Goal, make_user
) -> None:
    marketer.post(
        f"/goals/{goal.pk}/add/ask/",
        {"ask-asked_team": "sales", "ask-request": "Reject reasons within a week"},
    )
    ask = Ask.objects.get()
    answer = {f"ask-{ask.pk}-accept": "yes", f"ask-{ask.pk}-comment": "From Monday"}
    # the asking team sees the ask but no answer form, and may not answer it
    assert 'data-form="answer"' not in _page(marketer, goal)
    assert marketer.post(f"/goals/asks/{ask.pk}/answer/", answer).status_code == 403
    sales_lead = _login(make_user, "sales", Role.TEAM_LEAD)
    assert 'data-form="answer"' in _page(sales_lead, goal)
    assert sales_lead.post(f"/goals/asks/{ask.pk}/answer/", answer).status_code == 302
    ask.refresh_from_db()
    assert (ask.status, ask.comment) == ("accepted", "From Monday")
    html = _page(sales_lead, goal)
    assert f'data-ask="{ask.pk}" data-ask-status="accepted"' in html
    assert "“From Monday”" in html
    assert 'data-form="answer"' not in html
    again = {**answer, f"ask-{ask.pk}-accept": "no"}
    followed = sales_lead.post(f"/goals/asks/{ask.pk}/answer/", again, follow=True)
    assert "already been answered" in followed.content.decode()
    assert Ask.objects.get().status == "accepted"


def test_a_declined_ask_needs_a_comment(marketer: Client, goal: Goal, make_user) -> None:
    marketer.post(f"/goals/{goal.pk}/add/ask/", {"ask-asked_team": "sales", "ask-request": "x"})
    ask = Ask.objects.get()
    rep = _login(make_user, "sales", Role.MEMBER)
    rep.post(f"/goals/asks/{ask.pk}/answer/", {f"ask-{ask.pk}-accept": "no"})
    assert Ask.objects.get().status == "open"
    rep.post(
        f"/goals/asks/{ask.pk}/answer/",
        {f"ask-{ask.pk}-accept": "no", f"ask-{ask.pk}-comment": "No time this quarter"},
    )
    assert Ask.objects.get().status == "declined"


def test_links_are_shown_both_ways(marketer: Client, goal: Goal) -> None:
    marketer.post("/goals/", {**EXAMPLE, "title": "More MQLs", "metric": "mqls"})
    other = Goal.objects.get(title="More MQLs")
    marketer.post(f"/goals/{other.pk}/add/link/", {"link-supports": str(goal.pk)})
    assert list(other.links.values_list("supports_id", flat=True)) == [goal.pk]
    assert f'data-supports="{goal.pk}"' in _page(marketer, other)
    assert f'data-supported-by="{other.pk}"' in _page(marketer, goal)
    # a goal cannot support itself, nor the same goal twice (not offered, refused if posted)
    marketer.post(f"/goals/{other.pk}/add/link/", {"link-supports": str(other.pk)})
    marketer.post(f"/goals/{other.pk}/add/link/", {"link-supports": str(goal.pk)})
    assert other.links.count() == 1


def test_initiative_status_changes_by_the_owning_team_only(
    marketer: Client, goal: Goal, make_user
) -> None:
    marketer.post(f"/goals/{goal.pk}/add/initiative/", {"initiative-title": "Paid-search strategy"})
    item = Initiative.objects.get()
    url = f"/goals/{goal.pk}/initiatives/{item.pk}/status/"
    field = f"initiative-{item.pk}-status"
    rep = _login(make_user, "sales", Role.MEMBER)
    assert rep.post(url, {field: "done"}).status_code == 403
    assert marketer.post(url, {field: "in_progress"}).status_code == 302
    assert Initiative.objects.get().status == "in_progress"
    assert 'data-initiative-status="in_progress">In progress<' in _page(marketer, goal)
    entry = AuditEntry.objects.get(action="initiative_set_status")
    assert (entry.before["status"], entry.after["status"]) == ("planned", "in_progress")


def test_reasons_and_target_in_spanish(marketer: Client, goal: Goal) -> None:
    marketer.cookies["django_language"] = "es"
    html = _page(marketer, goal)
    assert (
        "Cambio relativo (%): +5 % de la línea base, de la línea base 47.6 % a la meta 50.0 %"
        in html
    )
    assert "lead_to_mql_rate para channel = paid_search, de Marketing" in html
    assert "visible para marketing y ventas: en alinea los objetivos nunca son privados" in html
    assert "no es ambicioso: 100% de probabilidad de alcanzarlo si todo sigue igual" in html
    assert "visible to marketing and sales" not in html


def test_the_form_explains_the_target_kinds_and_previews_the_target(marketer: Client) -> None:
    listing = marketer.get("/goals/").content.decode()
    assert "Percentage points: for rates only, +5 turns 20 % into 25 %." in listing
    assert "data-target-preview" in listing
    fields = {k: v for k, v in EXAMPLE.items() if k not in ("title", "why")}
    preview = marketer.get("/goals/preview/", {**fields, "title": "t"}).json()
    # the baseline of a Q3 goal is Q2 so far: 40 of 84 leads became MQLs (see test_goals_pages)
    assert preview["text"] == (
        "Relative change (%): +5 % of the baseline, from baseline 47.6 % to target 50.0 %"
    )
    points = marketer.get(
        "/goals/preview/", {**fields, "title": "t", "target_kind": "points"}
    ).json()
    assert points["text"].endswith("from baseline 47.6 % to target 52.6 %")
    refused = marketer.get(
        "/goals/preview/", {**fields, "title": "t", "metric": "leads", "target_kind": "points"}
    ).json()
    assert "percentage points only applies to a rate" in refused["text"]
