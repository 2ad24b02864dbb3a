"""``/api/reviews``: goal-setting sessions (timer, answers, decisions, close) and joint reviews
(plan, open and close — which freeze the agenda's numbers — and decisions)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router, Status
from ninja.errors import HttpError

from alinea.apps.accounts.api_auth import api_user
from alinea.apps.accounts.models import User
from alinea.apps.goals.models import Goal
from alinea.apps.reviews import services
from alinea.apps.reviews.meetings import decision_record
from alinea.apps.reviews.models import Decision, GoalSession, Review
from alinea.apps.reviews.schemas import (
    AnswersIn,
    DecisionIn,
    DecisionOut,
    ReviewDetailOut,
    ReviewIn,
    ReviewOut,
    SessionDetailOut,
    SessionIn,
    SessionOut,
    TimerIn,
)
from alinea.apps.reviews.selectors import (
    agenda_goals,
    get_review_for,
    get_session_for,
    review_list,
    review_numbers,
    session_list,
    time_used,
)
from alinea.web.warehouse import get_warehouse

router = Router()


def _call(service: Callable[..., Any], **kwargs: Any) -> Any:
    """Run a service: invalid input is a 400, a refusal a 403."""
    try:
        return service(**kwargs)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            parts = [f"{field}: {'; '.join(m)}" for field, m in exc.message_dict.items()]
            raise HttpError(400, "; ".join(parts)) from None
        raise HttpError(400, "; ".join(exc.messages)) from None
    except PermissionDenied as exc:
        raise HttpError(403, str(exc) or "Not allowed.") from None


def _users(ids: list[int]) -> list[User]:
    found = {u.pk: u for u in User.objects.filter(pk__in=ids, is_active=True)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise HttpError(400, f"participants: no active user with id {missing[0]}")
    return [found[i] for i in ids]


def _goals(ids: list[int]) -> list[Goal]:
    found = Goal.objects.in_bulk(ids)
    missing = [i for i in ids if i not in found]
    if missing:
        raise HttpError(400, f"goals: no goal with id {missing[0]}")
    return [found[i] for i in ids]


def _session(request: HttpRequest, session_id: int) -> GoalSession:
    try:
        return get_session_for(api_user(request), session_id)
    except GoalSession.DoesNotExist:
        raise Http404(f"No session with id {session_id}.") from None


def _review(request: HttpRequest, review_id: int) -> Review:
    try:
        return get_review_for(api_user(request), review_id)
    except Review.DoesNotExist:
        raise Http404(f"No review with id {review_id}.") from None


def _decision(decision: Decision) -> dict[str, Any]:
    by = decision.recorded_by
    return {"id": decision.pk, "text": decision.text, "recorded_at": decision.recorded_at,
            "recorded_by": str(by) if by is not None else None}  # fmt: skip


def _session_out(session: GoalSession) -> dict[str, Any]:
    return {
        **{name: getattr(session, name) for name in ("id", "title", "held_on", "status")},
        "budget_minutes": session.budget_minutes,
        "seconds_per_team": session.seconds_per_team,
        "running_team": session.running_team,
        "goals": [goal.pk for goal in agenda_goals(session)],
        "participants": [user.pk for user in session.participants.all()],
    }


def _session_detail(session: GoalSession) -> dict[str, Any]:
    return {
        **_session_out(session),
        "time_used": time_used(session, timezone.now()),
        "answers": list(session.answers.all()),
        "decisions": [_decision(d) for d in session.decisions.all()],
        "closed_at": session.closed_at,
    }


@router.get("/sessions", response=list[SessionOut], summary="Every goal-setting session")
def sessions(request: HttpRequest) -> list[dict[str, Any]]:
    return [_session_out(session) for session in session_list()]


@router.post("/sessions", response={201: SessionDetailOut}, summary="Start a goal-setting session")
def session_create(request: HttpRequest, body: SessionIn) -> Status:
    made = _call(
        services.session_create, actor=api_user(request), title=body.title, held_on=body.held_on,
        budget_minutes=body.budget_minutes, participants=_users(body.participants),
        goals=_goals(body.goals), now=timezone.now(),
    )  # fmt: skip
    return Status(201, _session_detail(made))


@router.get(
    "/sessions/{session_id}", response=SessionDetailOut, summary="A session with its minutes"
)
def session_detail(request: HttpRequest, session_id: int) -> dict[str, Any]:
    return _session_detail(_session(request, session_id))


@router.post(
    "/sessions/{session_id}/goals/{goal_id}/answers",
    response=SessionDetailOut,
    summary="Answer the five questions for a goal (written into the goal)",
)
def session_answers(
    request: HttpRequest, session_id: int, goal_id: int, body: AnswersIn
) -> dict[str, Any]:
    session = _session(request, session_id)
    goal = next((g for g in agenda_goals(session) if g.pk == goal_id), None)
    if goal is None:
        raise Http404(f"Goal {goal_id} is not on the agenda of session {session_id}.")
    answers = services.Answers(**{**body.dict(), **{
        name: tuple(getattr(body, name))
        for name in ("initiatives", "obstacles", "resources", "asks")
    }})  # fmt: skip
    _call(
        services.session_answers_record, actor=api_user(request), con=get_warehouse(),
        session=session, goal=goal, answers=answers, now=timezone.now(),
    )  # fmt: skip
    return _session_detail(session)


@router.post(
    "/sessions/{session_id}/timer",
    response=SessionDetailOut,
    summary="Start a team's timer (the other one stops), or stop it",
)
def session_timer(request: HttpRequest, session_id: int, body: TimerIn) -> dict[str, Any]:
    session, actor, now = _session(request, session_id), api_user(request), timezone.now()
    if body.team:
        _call(services.session_timer_start, actor=actor, session=session, team=body.team, now=now)
    else:
        _call(services.session_timer_stop, actor=actor, session=session, now=now)
    return _session_detail(session)


@router.post(
    "/sessions/{session_id}/decisions", response={201: DecisionOut}, summary="Record a decision"
)
def session_decision(request: HttpRequest, session_id: int, body: DecisionIn) -> Status:
    made = _call(
        decision_record, actor=api_user(request), session=_session(request, session_id),
        text=body.text, now=timezone.now(),
    )  # fmt: skip
    return Status(201, _decision(made))


@router.post("/sessions/{session_id}/close", response=SessionDetailOut, summary="Close a session")
def session_close(request: HttpRequest, session_id: int) -> dict[str, Any]:
    session = _session(request, session_id)
    _call(services.session_close, actor=api_user(request), session=session, now=timezone.now())
    return _session_detail(session)


def _review_out(review: Review) -> dict[str, Any]:
    return {
        **{
            name: getattr(review, name) for name in ReviewOut.model_fields if name != "participants"
        },
        "participants": [user.pk for user in review.participants.all()],
    }


def _review_detail(review: Review) -> dict[str, Any]:
    return {
        **_review_out(review),
        "agenda": review_numbers(get_warehouse(), review, now=timezone.now()),
        "closing": review.closing_snapshot,
        "decisions": [_decision(d) for d in review.decisions.all()],
    }


@router.get("", response=list[ReviewOut], summary="Every joint review")
def reviews(request: HttpRequest) -> list[dict[str, Any]]:
    return [_review_out(review) for review in review_list()]


@router.post("", response={201: ReviewOut}, summary="Plan a review")
def review_create(request: HttpRequest, body: ReviewIn) -> Status:
    made = _call(
        services.review_create, actor=api_user(request), title=body.title,
        scheduled_for=body.scheduled_for, participants=_users(body.participants),
        now=timezone.now(),
    )  # fmt: skip
    return Status(201, _review_out(made))


@router.get(
    "/{review_id}", response=ReviewDetailOut, summary="A review with its agenda and decisions"
)
def review_detail(request: HttpRequest, review_id: int) -> dict[str, Any]:
    return _review_detail(_review(request, review_id))


def _review_step(request: HttpRequest, review_id: int, service: Callable[..., Any]) -> Any:
    review = _review(request, review_id)
    _call(service, actor=api_user(request), con=get_warehouse(), review=review, now=timezone.now())
    return _review_detail(review)


@router.post(
    "/{review_id}/open",
    response=ReviewDetailOut,
    summary="Open a review: the agenda and its numbers are frozen into it",
)
def review_open(request: HttpRequest, review_id: int) -> dict[str, Any]:
    return _review_step(request, review_id, services.review_open)


@router.post(
    "/{review_id}/close",
    response=ReviewDetailOut,
    summary="Close a review: the numbers of that moment are frozen beside the opening ones",
)
def review_close(request: HttpRequest, review_id: int) -> dict[str, Any]:
    return _review_step(request, review_id, services.review_close)


@router.post(
    "/{review_id}/decisions", response={201: DecisionOut}, summary="Record a review's decision"
)
def review_decision(request: HttpRequest, review_id: int, body: DecisionIn) -> Status:
    made = _call(
        decision_record, actor=api_user(request), review=_review(request, review_id),
        text=body.text, now=timezone.now(),
    )  # fmt: skip
    return Status(201, _decision(made))
