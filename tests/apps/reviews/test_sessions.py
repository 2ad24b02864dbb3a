"""Goal-setting sessions: participants from both teams, the per-team timer, answers written into
the goals through the goals services, decisions, closing, and the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from alinea.apps.audit.models import AuditEntry
from alinea.apps.reviews import services
from alinea.apps.reviews.meetings import decision_record
from alinea.apps.reviews.models import GoalSession, SessionAnswer
from alinea.apps.reviews.selectors import session_minutes, time_used

from .conftest import NOW

pytestmark = pytest.mark.django_db


def _start(people, goals, **changes) -> GoalSession:
    values = {
        "actor": people["maria"], "title": "Q3 goals", "held_on": NOW.date(), "budget_minutes": 60,
        "participants": [people["maria"], people["sam"]], "goals": goals, "now": NOW, **changes,
    }  # fmt: skip
    return services.session_create(**values)


def _later(seconds: float) -> dt.datetime:
    return NOW + dt.timedelta(seconds=seconds)


def test_a_session_needs_both_teams_and_a_goal(people, goal) -> None:
    with pytest.raises(ValidationError, match="none from sales"):
        _start(people, [goal], participants=[people["maria"], people["mark"]])
    with pytest.raises(ValidationError, match="at least one goal"):
        _start(people, [])
    with pytest.raises(PermissionDenied):
        _start(people, [goal], actor=people["lena"])
    session = _start(people, [goal])
    assert session.seconds_per_team == 30 * 60
    assert AuditEntry.objects.filter(action="session_create", object_id=str(session.pk)).exists()


def test_the_timer_banks_each_teams_time(people, goal) -> None:
    session = _start(people, [goal])
    maria = people["maria"]
    services.session_timer_start(actor=maria, session=session, team="marketing", now=_later(0))
    assert time_used(session, _later(30)) == {"marketing": 30.0, "sales": 0.0}
    # giving the floor to sales stops marketing's clock at 90 s
    services.session_timer_start(actor=maria, session=session, team="sales", now=_later(90))
    services.session_timer_stop(actor=maria, session=session, now=_later(150))
    stored = GoalSession.objects.get(pk=session.pk)  # what a reload reads
    assert (stored.marketing_seconds, stored.sales_seconds) == (90.0, 60.0)
    assert (stored.running_team, stored.running_since) == ("", None)
    assert time_used(stored, _later(999)) == {"marketing": 90.0, "sales": 60.0}
    with pytest.raises(ValidationError):
        services.session_timer_start(actor=maria, session=session, team="board", now=_later(160))


def test_a_running_timer_survives_a_reload(people, goal) -> None:
    session = _start(people, [goal])
    services.session_timer_start(actor=people["sam"], session=session, team="sales", now=_later(10))
    reloaded = GoalSession.objects.get(pk=session.pk)
    assert reloaded.running_team == "sales"
    assert time_used(reloaded, _later(70)) == {"marketing": 0.0, "sales": 60.0}


def test_two_people_at_the_buttons_do_not_lose_time(people, goal) -> None:
    """Two pages loaded before either click: the second click still banks the first one's time."""
    first = _start(people, [goal])
    second = GoalSession.objects.get(pk=first.pk)  # loaded while no clock ran
    services.session_timer_start(actor=people["maria"], session=first, team="marketing", now=NOW)
    services.session_timer_start(actor=people["sam"], session=second, team="sales", now=_later(60))
    services.session_timer_stop(actor=people["maria"], session=first, now=_later(100))
    stored = GoalSession.objects.get(pk=first.pk)
    assert (stored.marketing_seconds, stored.sales_seconds) == (60.0, 40.0)


def test_answers_are_written_into_the_goal(con, people, goal) -> None:
    session = _start(people, [goal])
    answers = services.Answers(
        title=goal.title,  # unchanged: not rewritten
        why="Sales needs pipeline for Q3",
        initiatives=("Website conversion optimisation", " ", "Paid-search strategy"),
        obstacles=("Slow landing pages",),
        resource_kind="data",
        resources=("Spend per keyword",),
        asked_team="sales",
        asks=("Say why each paid-search MQL was rejected",),
    )
    made = services.session_answers_record(
        actor=people["maria"], con=con, session=session, goal=goal, answers=answers, now=NOW
    )
    goal.refresh_from_db()
    assert goal.why == "Sales needs pipeline for Q3"
    assert [i.title for i in goal.initiatives.all()] == [
        "Website conversion optimisation",
        "Paid-search strategy",
    ]
    assert [o.description for o in goal.obstacles.all()] == ["Slow landing pages"]
    assert [(r.kind, r.description) for r in goal.resource_needs.all()] == [
        ("data", "Spend per keyword")
    ]
    assert [(a.asked_team, a.status) for a in goal.asks.all()] == [("sales", "open")]
    assert [(a.question, a.kind) for a in made] == [
        ("what_why", "why"), ("initiatives", ""), ("initiatives", ""), ("obstacles", ""),
        ("resources", "data"), ("help", "sales"),
    ]  # fmt: skip
    (minutes,) = session_minutes(session)
    assert list(minutes.answers) == ["what_why", "initiatives", "obstacles", "resources", "help"]
    audited = AuditEntry.objects.values_list("action", flat=True)
    for action in ("goal_update", "initiative_add", "obstacle_add", "resource_need_add",
                   "ask_create", "session_answer_record"):  # fmt: skip
        assert action in audited


def test_answers_are_all_or_nothing(con, people, goal) -> None:
    """A sales member may not change a marketing goal: nothing is written, not even the minutes."""
    session = _start(people, [goal])
    answers = services.Answers(why="new", initiatives=("One",), obstacles=("Two",))
    with pytest.raises(PermissionDenied):
        services.session_answers_record(
            actor=people["rita"], con=con, session=session, goal=goal, answers=answers, now=NOW
        )
    goal.refresh_from_db()
    assert (goal.why, goal.initiatives.count(), goal.obstacles.count()) == (
        "Sales needs pipeline", 0, 0,
    )  # fmt: skip
    assert not SessionAnswer.objects.exists()


def test_only_goals_on_the_agenda_take_answers(con, people, goal, sales_goal) -> None:
    session = _start(people, [goal])
    with pytest.raises(ValidationError, match="not on the session's agenda"):
        services.session_answers_record(
            actor=people["sam"], con=con, session=session, goal=sales_goal,
            answers=services.Answers(obstacles=("x",)), now=NOW,
        )  # fmt: skip


def test_closing_stops_the_timer_and_freezes_the_session(con, people, goal) -> None:
    session = _start(people, [goal])
    maria = people["maria"]
    services.session_timer_start(actor=maria, session=session, team="marketing", now=_later(0))
    decision_record(actor=maria, session=session, text=" Review paid search weekly ", now=NOW)
    services.session_close(actor=maria, session=session, now=_later(45))
    session.refresh_from_db()
    assert (session.status, session.marketing_seconds, session.running_team) == (
        "closed", 45.0, "",
    )  # fmt: skip
    assert [d.text for d in session.decisions.all()] == ["Review paid search weekly"]
    for late in (
        lambda: services.session_timer_start(actor=maria, session=session, team="sales", now=NOW),
        lambda: decision_record(actor=maria, session=session, text="late", now=NOW),
        lambda: services.session_answers_record(
            actor=maria,
            con=con,
            session=session,
            goal=goal,
            answers=services.Answers(obstacles=("x",)),
            now=NOW,
        ),
    ):
        with pytest.raises(ValidationError, match="closed"):
            late()
