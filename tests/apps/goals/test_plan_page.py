"""The alignment plan page through HTTP: needs per stage and week, gaps both ways in words, the
SLA commitment when one is in force, and "propose a goal" opening the goal form prefilled."""

from __future__ import annotations

import html as htmlmod
import math
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from alinea.apps.accounts.models import Role
from alinea.apps.goals.models import Goal
from alinea.apps.goals.plan import sla_mqls_per_week
from alinea.apps.sla.models import DeliveryTarget, SlaPolicy

from .conftest import GOAL
from .test_goals_plan_api import deal_facts  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("goal_facts", "frozen_now", "deal_facts"),
]

REVENUE = {**GOAL, "title": "Revenue", "owner": "sales", "metric": "revenue_won", "segment": {},
           "target_kind": "absolute", "target_amount": 100_000.0}  # fmt: skip


@pytest.fixture
def goals(api_as) -> tuple[dict, object]:
    sales = api_as("sales", Role.TEAM_LEAD)
    revenue = sales.post("", REVENUE).json()
    marketer = api_as("marketing")
    mqls = {**GOAL, "metric": "mqls", "segment": {}, "target_kind": "absolute", "target_amount": 30}
    mql_goal = marketer.post("", mqls).json()
    marketer.post(f"/{mql_goal['id']}/links", {"supports": revenue["id"]})
    return revenue, sales


def _client(make_user, team: str) -> Client:
    client = Client()
    client.force_login(make_user(team, Role.TEAM_LEAD))
    return client


def test_plan_page_shows_needs_gaps_and_proposals(goals, make_user) -> None:
    revenue, api = goals
    expected = api.get(f"/{revenue['id']}/plan").json()
    needs = {n["stage"]: n for n in expected["needs"]}
    assert (needs["deals"]["total"], needs["opportunities"]["total"]) == (
        pytest.approx(10),
        pytest.approx(25),
    )
    page = _client(make_user, "sales").get(f"/goals/{revenue['id']}/plan/").content.decode()
    for stage in ("deals", "opportunities", "sqls", "mqls", "leads"):
        row = re.search(rf'data-stage="{stage}">(.*?)</tr>', page).group(1)
        per_week = re.search(r"<td data-per-week>([\d.,]+)</td>", row).group(1)
        assert float(per_week) == pytest.approx(needs[stage]["per_week"], abs=0.05)
    sentence = (
        f"marketing&#x27;s MQL goal covers {round(30 / needs['mqls']['total'] * 100)} % of what "
        f"the revenue goal needs (30 of {needs['mqls']['total']:,.0f} MQLs)"
    )
    assert sentence in page
    link = re.search(r'href="([^"]+)" data-propose="marketing_mqls"', page).group(1)
    fields = parse_qs(urlsplit(htmlmod.unescape(link)).query)
    assert fields["metric"] == ["mqls"]
    assert fields["owner"] == ["marketing"]
    assert fields["target_kind"] == ["absolute"]
    assert float(fields["target_amount"][0]) == math.ceil(needs["mqls"]["total"])
    assert (fields["period_start"], fields["period_last_day"]) == (["2025-04-01"], ["2025-06-30"])
    # no SLA in force and no assignments: nothing else to compare with
    assert 'data-gap="sla"' not in page
    assert 'data-gap="capacity_need"' not in page


def test_proposal_opens_the_goal_form_prefilled(goals, make_user) -> None:
    revenue, _api = goals
    marketer = _client(make_user, "marketing")
    page = marketer.get(f"/goals/{revenue['id']}/plan/").content.decode()
    link = htmlmod.unescape(re.search(r'href="([^"]+)" data-propose="marketing_mqls"', page)[1])
    form = marketer.get(link).content.decode()
    assert re.search(r'<option value="mqls" selected>', form)
    amount = parse_qs(urlsplit(link).query)["target_amount"][0]
    assert f'name="target_amount" value="{amount}"' in form
    fields = {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}
    assert marketer.post("/goals/", fields).status_code == 302
    made = Goal.objects.get(title=fields["title"])
    assert (made.metric, made.owner, made.target_amount) == ("mqls", "marketing", float(amount))


def test_more_than_needed_proposes_a_higher_sales_goal(goals, make_user) -> None:
    revenue, _api = goals
    mql_goal = Goal.objects.get(metric="mqls")
    mql_goal.target_amount = 10_000
    mql_goal.save()
    page = _client(make_user, "sales").get(f"/goals/{revenue['id']}/plan/").content.decode()
    assert "MQLs more than needed: the revenue goal could go up" in page
    link = htmlmod.unescape(re.search(r'href="([^"]+)" data-propose="marketing_mqls"', page)[1])
    fields = parse_qs(urlsplit(link).query)
    ratio = float(re.search(r'data-gap="marketing_mqls" data-ratio="([\d.]+)"', page)[1])
    assert (fields["metric"], fields["owner"]) == (["revenue_won"], ["sales"])
    assert float(fields["target_amount"][0]) == pytest.approx(100_000 * ratio, rel=1e-3)


def test_sla_commitment_and_capacity_are_compared(goals, make_user) -> None:
    revenue, api = goals
    policy = SlaPolicy.objects.create(
        version=1, status="active", quality_floor=0.5, first_response_hours=4, attempts=3,
        attempts_within_days=3, disposition_within_days=5,
    )  # fmt: skip
    DeliveryTarget.objects.create(policy=policy, mqls=52, every="month")
    DeliveryTarget.objects.create(policy=policy, mqls=100, every="week", segment="enterprise")
    assert sla_mqls_per_week() == pytest.approx(12.0)  # 52 a month = 12 a week
    client = _client(make_user, "sales")
    page = client.get(f"/goals/{revenue['id']}/plan/").content.decode()
    needs = {n["stage"]: n for n in api.get(f"/{revenue['id']}/plan").json()["needs"]}
    per_week = needs["mqls"]["per_week"]
    assert f"the SLA commitment covers {round(12 / per_week * 100)} %" in page
    asked = client.get(
        f"/goals/{revenue['id']}/plan/", {"reps": "2", "mqls_per_rep_per_week": "5"}
    ).content.decode()
    assert f"sales can work {round(10 / per_week * 100)} % of the MQLs the goal needs" in asked


def test_plan_page_in_spanish_and_for_other_goals(goals, make_user) -> None:
    revenue, _api = goals
    client = _client(make_user, "marketing")
    client.cookies["django_language"] = "es"
    page = client.get(f"/goals/{revenue['id']}/plan/").content.decode()
    assert "el objetivo de MQL de marketing cubre" in page
    assert "Proponer un objetivo que cierre esta brecha" in page
    mqls = Goal.objects.get(metric="mqls")
    other = client.get(f"/goals/{mqls.pk}/plan/").content.decode()
    assert "data-not-plannable" in other
    assert client.get("/goals/999/plan/").status_code == 404
