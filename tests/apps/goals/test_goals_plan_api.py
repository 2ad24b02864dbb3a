"""``/api/goals/<id>/plan``: the reverse funnel of a revenue goal and its gap to marketing."""

from __future__ import annotations

import datetime as dt

import pytest

from alinea.apps.accounts.models import Role
from alinea.warehouse import connect, ingest_many

from .conftest import GOAL

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("goal_facts", "frozen_now")]


@pytest.fixture
def deal_facts(goal_facts: None, warehouse_url: str) -> None:
    """Ten MQLs of early January reach SQL five days later, five of them an opportunity ten days
    later; those five are deals: two won (10 000 each), three lost, all closed in February."""
    start = dt.datetime(2024, 12, 31, 6, tzinfo=dt.UTC)
    changes, deals = [], []
    for n in range(10):
        created = start + dt.timedelta(days=n)
        lead = f"p{2 * n}"
        changes.append(
            {
                "lead_id": lead,
                "stage": "sql",
                "changed_at": (created + dt.timedelta(days=5)).isoformat(),
            }
        )
        if n < 5:
            opened = created + dt.timedelta(days=10)
            changes.append(
                {"lead_id": lead, "stage": "opportunity", "changed_at": opened.isoformat()}
            )
            deals.append({"deal_id": f"d{n}", "lead_id": lead, "created_at": opened.isoformat(),
                          "closed_at": (opened + dt.timedelta(days=30)).isoformat(),
                          "status": "won" if n < 2 else "lost", "amount": 10_000.0})  # fmt: skip
    con = connect(warehouse_url)
    ingest_many(con, {"stage_changes": changes, "deals": deals})
    con.disconnect()


def test_plan_of_a_revenue_goal(api_as, deal_facts) -> None:
    sales = api_as("sales", Role.TEAM_LEAD)
    revenue = {**GOAL, "title": "Revenue", "owner": "sales", "metric": "revenue_won",
               "segment": {}, "target_kind": "absolute", "target_amount": 100_000.0}  # fmt: skip
    goal = sales.post("", revenue).json()
    marketer = api_as("marketing")
    mqls = {**GOAL, "metric": "mqls", "segment": {}, "target_kind": "absolute", "target_amount": 30}
    mql_goal = marketer.post("", mqls).json()
    assert marketer.post(f"/{mql_goal['id']}/links", {"supports": goal["id"]}).status_code == 201
    response = sales.get(f"/{goal['id']}/plan", reps=2, mqls_per_rep_per_week=5)
    assert response.status_code == 200, response.json()
    plan = response.json()
    assert (plan["goal_kind"], plan["goal"], plan["average_deal_size"]) == (
        "revenue",
        100_000,
        10_000,
    )
    assert plan["rates"]["win_rate"] == pytest.approx(0.4)
    needs = {n["stage"]: n["total"] for n in plan["needs"]}
    assert (needs["deals"], needs["opportunities"]) == (pytest.approx(10), pytest.approx(25))
    sentences = [g["sentence"] for g in plan["gaps"]]
    assert sentences[0].startswith("marketing's MQL goal covers ")
    assert sentences[0].endswith(f"(30 of {needs['mqls']:,.0f} MQLs)")
    assert sentences[1].startswith("sales can work ")


def test_plan_needs_a_revenue_or_customers_goal(api_as) -> None:
    marketer = api_as("marketing")
    goal = marketer.post("", GOAL).json()
    response = marketer.get(f"/{goal['id']}/plan")
    assert response.status_code == 400
    assert (
        "a plan starts from a revenue_won or customers goal, not leads" in response.json()["detail"]
    )
