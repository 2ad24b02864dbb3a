"""The demo company's goals: created once, with the example goal's initiatives and a linked pair."""

from __future__ import annotations

import pytest

from alinea.apps.accounts.services import demo_accounts_setup
from alinea.apps.goals.demo_goals import setup
from alinea.apps.goals.models import Ask, Goal
from alinea.apps.goals.selectors import goal_evaluation
from alinea.warehouse import connect

from .conftest import NOW

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("goal_facts")]


def test_demo_goals_are_created_once(warehouse_url: str) -> None:
    demo_accounts_setup()
    con = connect(warehouse_url)
    goals = setup(con, now=NOW)
    assert [g.owner for g in goals] == ["marketing", "sales", "sales", "joint"]
    assert setup(con, now=NOW) == []
    assert Goal.objects.count() == 4
    mqls, revenue, _cycle, conversion = goals
    assert [i.title for i in conversion.initiatives.all()] == [
        "Website conversion optimisation",
        "Paid-search strategy",
        "Bottom-of-funnel content",
    ]
    assert Ask.objects.get().status == "accepted"
    assert [link.supports for link in mqls.links.all()] == [revenue]
    # kick-off 1 April 10:00 + 2 and 4 weeks; the 6-week check-in (13 May 10:00) is after NOW
    assert [c.at.date().isoformat() for c in mqls.check_ins.all()] == ["2025-04-15", "2025-04-29"]
    assert mqls.baseline_value is not None
    result = goal_evaluation(con, mqls, now=NOW)
    # the next check-in is due on 13 May, with two days of grace: none late yet
    assert result.fast[0].passed is True
    con.disconnect()
