"""Writes of goal-setting sessions (create, the per-team timer, the answers, close) and reviews
(plan, open, close: opening and closing freeze the agenda's numbers into the review).

Atomic, ``full_clean()``-ed and audited. A session is run by members and team leads of marketing
or sales (and admins); the answers go into the goals through ``alinea.apps.goals.services``, which
check that the actor may change each goal. ``actor=None`` is the system (demo, CLI).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from ibis.backends import BaseBackend

from alinea.apps.accounts.models import User
from alinea.apps.audit.services import audit_record, snapshot
from alinea.apps.goals import services as goals
from alinea.apps.goals.models import Goal
from alinea.apps.reviews.agenda import review_agenda
from alinea.apps.reviews.meetings import check_both_teams, require_runner, save
from alinea.apps.reviews.models import (
    GoalSession,
    Question,
    Review,
    ReviewStatus,
    SessionAnswer,
    SessionGoal,
    SessionStatus,
    Team,
)


@dataclass(frozen=True)
class Answers:
    """What was said about one goal. ``title``/``why``: the new text, ``None`` to leave it; each
    line of the tuples becomes one initiative, obstacle, resource need or ask."""

    title: str | None = None
    why: str | None = None
    initiatives: tuple[str, ...] = ()
    obstacles: tuple[str, ...] = ()
    resource_kind: str = "information"
    resources: tuple[str, ...] = ()
    asked_team: str = ""
    asks: tuple[str, ...] = ()


def session_create(
    *,
    actor: User | None,
    title: str,
    held_on: dt.date,
    budget_minutes: int,
    participants: Sequence[User],
    goals: Sequence[Goal],
    now: dt.datetime,
) -> GoalSession:
    """A session over ``goals`` (in that order) with participants from both teams."""
    require_runner(actor)
    check_both_teams(participants)
    if not goals:
        raise ValidationError({"goals": "put at least one goal on the agenda"})
    session = GoalSession(
        title=title, held_on=held_on, budget_minutes=budget_minutes, created_by=actor,
        created_at=now,
    )  # fmt: skip
    with transaction.atomic():
        save(session)
        session.participants.set(participants)
        for position, goal in enumerate(dict.fromkeys(goals)):
            SessionGoal.objects.create(session=session, goal=goal, position=position)
        audit_record(actor=actor, action="session_create", instance=session, before=None)
    return session


def _require_open(session: GoalSession) -> None:
    if session.status != SessionStatus.OPEN:
        raise ValidationError("this session is closed")


def _bank_running_time(session: GoalSession, now: dt.datetime) -> None:
    """Add the running timer's time to its team and stop it."""
    if session.running_team and session.running_since is not None:
        elapsed = max((now - session.running_since).total_seconds(), 0.0)
        if session.running_team == Team.MARKETING:
            session.marketing_seconds += elapsed
        else:
            session.sales_seconds += elapsed
    session.running_team = ""
    session.running_since = None


#: The fields the timer and closing change; re-read under a row lock before changing them, so
#: that two people pressing the buttons at once never lose a team's time.
_TIMER_FIELDS = ("status", "marketing_seconds", "sales_seconds", "running_team", "running_since")


def _lock(session: GoalSession) -> None:
    """Inside a transaction: lock the session's row and refresh the timer fields from it."""
    fresh = GoalSession.objects.select_for_update().get(pk=session.pk)
    for name in _TIMER_FIELDS:
        setattr(session, name, getattr(fresh, name))


def _timer_change(
    actor: User | None, session: GoalSession, action: str, team: str, now: dt.datetime
) -> GoalSession:
    """Bank the running time, then run ``team``'s clock (none: stop); nothing if no change."""
    require_runner(actor)
    with transaction.atomic():
        _lock(session)
        _require_open(session)
        if session.running_team == team:
            return session
        before = snapshot(session)
        _bank_running_time(session, now)
        if team:
            session.running_team, session.running_since = team, now
        save(session)
        audit_record(actor=actor, action=action, instance=session, before=before)
    return session


def session_timer_start(
    *, actor: User | None, session: GoalSession, team: str, now: dt.datetime
) -> GoalSession:
    """Give the floor to ``team``: its timer runs from ``now`` (the other one stops)."""
    if team not in Team.values:
        raise ValidationError({"team": f"team is one of {', '.join(Team.values)}"})
    return _timer_change(actor, session, "session_timer_start", team, now)


def session_timer_stop(
    *, actor: User | None, session: GoalSession, now: dt.datetime
) -> GoalSession:
    """Stop the running timer; its time is added to its team."""
    return _timer_change(actor, session, "session_timer_stop", "", now)


def _lines(values: Iterable[str]) -> list[str]:
    return [value.strip() for value in values if value.strip()]


def _what_why(
    actor: User | None, con: BaseBackend, goal: Goal, answers: Answers, now: dt.datetime
) -> list[tuple[str, str, str]]:
    changes = {
        name: value.strip()
        for name, value in (("title", answers.title), ("why", answers.why))
        if value is not None and value.strip() and value.strip() != getattr(goal, name)
    }
    if changes:
        goals.goal_update(actor=actor, con=con, goal=goal, now=now, **changes)
    return [(Question.WHAT_WHY, name, value) for name, value in changes.items()]


def _attachments(actor: User | None, goal: Goal, answers: Answers) -> list[tuple[str, str, str]]:
    added: list[tuple[str, str, str]] = []
    for title in _lines(answers.initiatives):
        goals.initiative_add(actor=actor, goal=goal, title=title)
        added.append((Question.INITIATIVES, "", title))
    for text in _lines(answers.obstacles):
        goals.obstacle_add(actor=actor, goal=goal, description=text)
        added.append((Question.OBSTACLES, "", text))
    for text in _lines(answers.resources):
        goals.resource_need_add(
            actor=actor, goal=goal, kind=answers.resource_kind, description=text
        )
        added.append((Question.RESOURCES, answers.resource_kind, text))
    for text in _lines(answers.asks):
        goals.ask_create(actor=actor, goal=goal, asked_team=answers.asked_team, request=text)
        added.append((Question.HELP, answers.asked_team, text))
    return added


def session_answers_record(
    *,
    actor: User | None,
    con: BaseBackend,
    session: GoalSession,
    goal: Goal,
    answers: Answers,
    now: dt.datetime,
) -> list[SessionAnswer]:
    """Write the answers into ``goal`` (through the goals services) and into the minutes.

    All or nothing: if the actor may not change the goal, or one answer is invalid, nothing is
    written."""
    require_runner(actor)
    _require_open(session)
    if not session.agenda.filter(goal=goal).exists():
        raise ValidationError({"goal": "this goal is not on the session's agenda"})
    made = []
    with transaction.atomic():
        done = _what_why(actor, con, goal, answers, now) + _attachments(actor, goal, answers)
        for question, kind, text in done:
            answer = SessionAnswer(
                session=session, goal=goal, question=question, kind=kind, text=text,
                recorded_by=actor, recorded_at=now,
            )  # fmt: skip
            save(answer)
            audit_record(actor=actor, action="session_answer_record", instance=answer, before=None)
            made.append(answer)
    return made


def session_close(*, actor: User | None, session: GoalSession, now: dt.datetime) -> GoalSession:
    """End the session: the running timer stops; the minutes are final."""
    require_runner(actor)
    with transaction.atomic():
        _lock(session)
        _require_open(session)
        before = snapshot(session)
        _bank_running_time(session, now)
        session.status, session.closed_at = SessionStatus.CLOSED, now
        save(session)
        audit_record(actor=actor, action="session_close", instance=session, before=before)
    return session


def review_create(
    *,
    actor: User | None,
    title: str,
    scheduled_for: dt.date,
    participants: Sequence[User],
    now: dt.datetime,
) -> Review:
    """Plan a review with participants from both teams; its agenda is built when it opens."""
    require_runner(actor)
    check_both_teams(participants)
    review = Review(title=title, scheduled_for=scheduled_for, created_by=actor, created_at=now)
    with transaction.atomic():
        save(review)
        review.participants.set(participants)
        audit_record(actor=actor, action="review_create", instance=review, before=None)
    return review


def review_open(
    *, actor: User | None, con: BaseBackend, review: Review, now: dt.datetime
) -> Review:
    """Start the meeting: the agenda and its numbers at ``now`` are frozen into the review."""
    require_runner(actor)
    if review.status != ReviewStatus.PLANNED:
        raise ValidationError("this review has already been opened")
    agenda = review_agenda(con, now=now)
    with transaction.atomic():
        before = snapshot(review)
        review.status, review.opened_at, review.opening_snapshot = ReviewStatus.OPEN, now, agenda
        save(review)
        audit_record(actor=actor, action="review_open", instance=review, before=before)
    return review


def review_close(
    *, actor: User | None, con: BaseBackend, review: Review, now: dt.datetime
) -> Review:
    """End the meeting: the numbers at ``now`` are frozen beside the opening ones."""
    require_runner(actor)
    if review.status != ReviewStatus.OPEN:
        raise ValidationError("only a review in progress can be closed")
    agenda = review_agenda(con, now=now)
    with transaction.atomic():
        before = snapshot(review)
        review.status, review.closed_at, review.closing_snapshot = ReviewStatus.CLOSED, now, agenda
        save(review)
        audit_record(actor=actor, action="review_close", instance=review, before=before)
    return review


def demo_reviews_setup() -> list[Review]:
    """The demo company's past review (see ``alinea.apps.reviews.demo``); nothing if one exists."""
    from alinea.apps.reviews.demo import setup
    from alinea.warehouse import connect

    con = connect()
    try:
        return setup(con)
    finally:
        con.disconnect()
