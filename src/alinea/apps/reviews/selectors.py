"""Reads of sessions and reviews for the pages and the API: lists, one meeting for a user, the time
each team used, the minutes, and the next review."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from ibis.backends import BaseBackend

from alinea.apps.accounts.models import User
from alinea.apps.accounts.permissions import AnyUser, can_view
from alinea.apps.goals.models import Goal
from alinea.apps.reviews.agenda import Snapshot, review_agenda
from alinea.apps.reviews.meetings import MEETING_TEAMS, teams_of
from alinea.apps.reviews.models import (
    GoalSession,
    Question,
    Review,
    ReviewStatus,
    SessionAnswer,
    Team,
)


def session_list() -> QuerySet[GoalSession]:
    """Every session, latest first (meetings are visible to both teams)."""
    return GoalSession.objects.prefetch_related("participants", "agenda__goal")


def get_session_for(user: AnyUser, session_id: int) -> GoalSession:
    """The session if ``user`` may see it; ``GoalSession.DoesNotExist`` when there is none."""
    session = session_list().get(pk=session_id)
    if not can_view(user, session):
        raise PermissionDenied
    return session


def review_list() -> QuerySet[Review]:
    """Every review, latest first."""
    return Review.objects.prefetch_related("participants", "decisions")


def get_review_for(user: AnyUser, review_id: int) -> Review:
    """The review if ``user`` may see it; ``Review.DoesNotExist`` when there is none."""
    review = review_list().get(pk=review_id)
    if not can_view(user, review):
        raise PermissionDenied
    return review


def next_review(today: dt.date) -> Review | None:
    """The earliest review not closed yet that is planned for ``today`` or later."""
    upcoming = Review.objects.exclude(status=ReviewStatus.CLOSED)
    return upcoming.filter(scheduled_for__gte=today).order_by("scheduled_for", "id").first()


def time_used(session: GoalSession, now: dt.datetime) -> dict[str, float]:
    """Seconds each team has used at ``now``, counting the running timer."""
    used = {
        Team.MARKETING.value: session.marketing_seconds,
        Team.SALES.value: session.sales_seconds,
    }
    if session.running_team and session.running_since is not None:
        used[session.running_team] += max((now - session.running_since).total_seconds(), 0.0)
    return used


def agenda_goals(session: GoalSession) -> list[Goal]:
    return [item.goal for item in session.agenda.all()]


def participants_by_team(users: list[User]) -> dict[str, list[User]]:
    """``marketing``/``sales``/``other`` → the participants in that team (a user in both is in
    both)."""
    teams = teams_of(users)
    grouped: dict[str, list[User]] = {team: [] for team in (*MEETING_TEAMS, "other")}
    for user in users:
        for slug in teams[user.pk] or ["other"]:
            grouped[slug].append(user)
    return grouped


@dataclass(frozen=True)
class GoalMinutes:
    goal: Goal
    answers: dict[str, list[SessionAnswer]]  # question → what was added, in order


def session_minutes(session: GoalSession) -> list[GoalMinutes]:
    """What each goal on the agenda got in the session, question by question."""
    answers = list(session.answers.select_related("recorded_by"))
    minutes = []
    for goal in agenda_goals(session):
        mine = [a for a in answers if a.goal_id == goal.pk]
        by_question = {q: [a for a in mine if a.question == q] for q in Question.values}
        minutes.append(GoalMinutes(goal, {q: a for q, a in by_question.items() if a}))
    return minutes


def review_numbers(con: BaseBackend, review: Review, *, now: dt.datetime) -> Snapshot:
    """The agenda to show: frozen at opening once the review opened, else built from the data
    at ``now``."""
    if review.opening_snapshot is not None:
        frozen: dict[str, Any] = review.opening_snapshot
        return frozen
    return review_agenda(con, now=now)
