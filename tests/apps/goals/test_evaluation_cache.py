"""A goal's evaluation is computed once per goal terms, facts and day, then read from the cache."""

from __future__ import annotations

import datetime as dt

import pytest

from alinea.apps.goals import selectors, services
from alinea.apps.goals.models import Goal
from alinea.warehouse import connect, ingest

from .conftest import NOW

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("goal_facts", "frozen_now")]


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = selectors.evaluate_goal

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(selectors, "evaluate_goal", counting)
    return calls


def _goal(con) -> Goal:
    return services.goal_create(
        actor=None, con=con, now=NOW, title="Leads", owner="marketing", metric="leads",
        segment={"channel": ["paid_search"]}, target_kind="relative", target_amount=10.0,
        period_start=dt.date(2025, 4, 1), period_last_day=dt.date(2025, 6, 30), cadence_days=14,
    )  # fmt: skip


def test_cached_until_terms_check_ins_facts_or_day_change(warehouse_url, counted) -> None:
    con = connect(warehouse_url)
    goal = _goal(con)
    first = selectors.goal_evaluation(con, goal, now=NOW)
    again = selectors.goal_evaluation(con, goal, now=NOW + dt.timedelta(hours=3))
    assert len(counted) == 1
    assert again.current.value == first.current.value == 84.0
    services.goal_update(actor=None, con=con, goal=goal, now=NOW, target_amount=20.0)
    assert selectors.goal_evaluation(con, goal, now=NOW).target == pytest.approx(216.0)
    assert len(counted) == 2
    services.check_in_record(actor=None, con=con, goal=goal, confidence=5, comment="", now=NOW)
    goal = Goal.objects.get(pk=goal.pk)
    selectors.goal_evaluation(con, goal, now=NOW)
    assert len(counted) == 3
    lead = {"lead_id": "late", "created_at": "2025-05-12T10:00:00+00:00", "channel": "paid_search"}
    ingest(con, "leads", [lead])
    assert selectors.goal_evaluation(con, goal, now=NOW).current.value == 85.0
    assert len(counted) == 4
    selectors.goal_evaluation(con, goal, now=NOW + dt.timedelta(days=1))
    assert len(counted) == 5
    con.disconnect()
