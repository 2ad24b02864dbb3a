"""The review agenda against the numbers worked out by hand in ``conftest``, on DuckDB and on
PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace

import pytest

from alinea.analytics.planning import Gap
from alinea.apps.goals.models import AskStatus
from alinea.apps.goals.services import ask_answer, ask_create, check_in_record, goal_create
from alinea.apps.reviews.agenda import review_agenda
from alinea.apps.reviews.labels import snapshot_context
from alinea.warehouse import ingest_many

from .conftest import GOAL_SET_AT, LEADS, NOW, hand_made_facts

pytestmark = pytest.mark.django_db


@pytest.fixture
def con(warehouse):
    """The hand-made facts on each warehouse engine."""
    ingest_many(warehouse, hand_made_facts())
    return warehouse


def test_goals_with_their_status_and_value(con, goal, sales_goal) -> None:
    agenda = review_agenda(con, now=NOW)
    # only the goal whose period holds NOW (the sales goal starts in July)
    assert [item["id"] for item in agenda["goals"]] == [goal.pk]
    (item,) = agenda["goals"]
    june = [lead for lead, (at, _) in LEADS.items() if at >= "2025-06-01"]
    assert item["current"] == len(june) == 2
    assert item["target"] == 10.0
    assert item["status"] in {"on_track", "at_risk", "off_track", "unknown"}
    assert json.loads(json.dumps(agenda)) == agenda  # storable as it is


def test_late_check_ins_follow_the_cadence(con, goal, people) -> None:
    (late,) = review_agenda(con, now=NOW)["late_check_ins"]
    assert (late["id"], late["missed"], late["first_due"]) == (goal.pk, 1, "2025-06-08")
    # a check-in on 9 June: the next one is due 16 June, nothing is late on 11 June
    check_in_record(
        actor=people["maria"], con=con, goal=goal, confidence=6, comment="",
        now=dt.datetime(2025, 6, 9, tzinfo=dt.UTC),
    )  # fmt: skip
    goal.refresh_from_db()
    assert review_agenda(con, now=NOW)["late_check_ins"] == []


def test_open_asks_only(con, goal, people) -> None:
    waiting = ask_create(actor=people["maria"], goal=goal, asked_team="sales", request="Call back")
    answered = ask_create(actor=people["maria"], goal=goal, asked_team="sales", request="Tag")
    ask_answer(actor=people["sam"], ask=answered, accept=True, comment="ok", now=NOW)
    asks = review_agenda(con, now=NOW)["open_asks"]
    assert [a["id"] for a in asks] == [waiting.pk]
    assert asks[0]["request"] == "Call back"
    assert answered.status == AskStatus.ACCEPTED


def test_sla_breaches_per_clock(con, signed_policy) -> None:
    section = review_agenda(con, now=NOW)["sla"]
    assert section["days"] == 28
    counts = {
        c["clock"]: (c["mqls"], c["met"], c["breached"], c["at_risk"], c["pending"])
        for c in section["clocks"]
    }
    assert counts == {
        "response": (3, 1, 2, 0, 0),
        "attempts": (3, 0, 3, 0, 0),
        "disposition": (3, 0, 1, 2, 0),
    }
    response = next(c for c in section["clocks"] if c["clock"] == "response")
    assert response["compliance_rate"] == pytest.approx(1 / 3)


def test_no_sla_section_without_an_sla_in_force(con) -> None:
    assert review_agenda(con, now=NOW)["sla"] is None


def test_funnel_stalls(con) -> None:
    stalls = {row["stage"]: row for row in review_agenda(con, now=NOW)["stalls"]}
    assert list(stalls) == ["mql", "sql", "opportunity"]
    assert stalls["mql"]["threshold_days"] == pytest.approx(2.0)
    assert stalls["mql"]["stalled"] == 3
    assert stalls["mql"]["oldest_days"] == pytest.approx(22.125)
    assert (stalls["sql"]["stalled"], stalls["sql"]["threshold_days"]) == (0, None)


def _revenue_goal(con, people):
    return goal_create(
        actor=people["sam"], con=con, now=GOAL_SET_AT, title="Revenue", owner="sales",
        metric="revenue_won", segment={}, target_kind="absolute", target_amount=1000.0,
        period_start=dt.date(2025, 6, 1), period_last_day=dt.date(2025, 6, 30),
    )  # fmt: skip


def test_a_plan_that_cannot_be_made_is_left_out(con, people) -> None:
    """No deal in the facts: no win rate, no deal size, no plan."""
    _revenue_goal(con, people)
    assert review_agenda(con, now=NOW)["plan_gaps"] == []


def test_plan_gaps_are_listed_per_goal(con, people, monkeypatch) -> None:
    goal = _revenue_goal(con, people)
    gaps = (Gap("marketing_mqls", 0.72, -5.0, "", ""), Gap("capacity_need", 0.8, -2.0, "", ""))
    monkeypatch.setattr(
        "alinea.apps.reviews.agenda.plan_for", lambda *a, **k: SimpleNamespace(gaps=gaps)
    )
    agenda = review_agenda(con, now=NOW)
    assert [(g["goal_id"], g["about"], g["ratio"]) for g in agenda["plan_gaps"]] == [
        (goal.pk, "marketing_mqls", 0.72), (goal.pk, "capacity_need", 0.8),
    ]  # fmt: skip
    texts = [g["text"] for g in snapshot_context(agenda)["plan_gaps"]]
    assert texts == [
        "Marketing's MQL goal covers 72 % of the MQLs this goal needs.",
        "Sales can work 80 % of the MQLs a week this goal needs.",
    ]
