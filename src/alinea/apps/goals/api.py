"""``/api/goals``: goals and what hangs on them, each with its SMART/FAST check and progress."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.errors import HttpError

from alinea.analytics.goals import GoalEvaluation
from alinea.apps.accounts.api_auth import api_user
from alinea.apps.goals import change_services, services
from alinea.apps.goals.models import Ask, Goal, GoalChange
from alinea.apps.goals.plan import plan_for, proposals
from alinea.apps.goals.schemas import (
    AnswerIn,
    AskIn,
    AskOut,
    ChangeIn,
    ChangeOut,
    CheckInIn,
    CheckInOut,
    GoalDetailOut,
    GoalIn,
    GoalOut,
    GoalPatch,
    InitiativeIn,
    InitiativeOut,
    LinkIn,
    NowQuery,
    PlanOut,
    PlanQuery,
    ResourceNeedIn,
    SignIn,
    TextIn,
)
from alinea.apps.goals.selectors import get_ask_for, get_goal_for, goal_evaluation, goal_list
from alinea.web.warehouse import get_warehouse

router = Router()


def _goal(request: HttpRequest, goal_id: int) -> Goal:
    try:
        return get_goal_for(api_user(request), goal_id)
    except Goal.DoesNotExist:
        raise Http404(f"No goal with id {goal_id}.") from None


def _invalid(exc: ValidationError) -> HttpError:
    if hasattr(exc, "error_dict"):
        parts = [f"{field}: {'; '.join(m)}" for field, m in exc.message_dict.items()]
        return HttpError(400, "; ".join(parts))
    return HttpError(400, "; ".join(exc.messages))


def _now(value: dt.datetime | None) -> dt.datetime:
    if value is not None and value.tzinfo is None:
        raise HttpError(422, "now must carry a time zone, e.g. 2025-06-02T10:00:00Z")
    return value or timezone.now()


def _evaluation(result: GoalEvaluation, now: dt.datetime) -> dict[str, Any]:
    forecast, progress = result.forecast, result.progress
    return {
        "now": now,
        "unit": result.unit,
        "direction": result.direction,
        "baseline": result.baseline.value,
        "baseline_description": result.baseline.description,
        "target": result.target,
        "target_text": result.target_text,
        "current": result.current.value,
        "probability": forecast.probability,
        "forecast": forecast.forecast,
        "forecast_low": forecast.low,
        "forecast_high": forecast.high,
        "interval": forecast.interval,
        "status": progress.status,
        "maturing": progress.maturing,
        "points": [dataclasses.asdict(p) for p in progress.points],
        "smart": [dataclasses.asdict(c) for c in result.smart],
        "fast": [dataclasses.asdict(c) for c in result.fast],
    }


def _detail(goal: Goal, now: dt.datetime) -> dict[str, Any]:
    return {
        **vars(goal),
        "initiatives": list(goal.initiatives.all()),
        "obstacles": [o.description for o in goal.obstacles.all()],
        "resource_needs": list(goal.resource_needs.all()),
        "asks": list(goal.asks.all()),
        "supports": [link.supports_id for link in goal.links.all()],
        "check_ins": list(goal.check_ins.all()),
        "evaluation": _evaluation(goal_evaluation(get_warehouse(), goal, now=now), now),
    }


@router.get("", response=list[GoalOut], summary="Every goal (goals are never private)")
def goals(request: HttpRequest) -> list[Goal]:
    return list(goal_list())


@router.post("", response={201: GoalOut}, summary="Set a goal (its baseline is measured now)")
def goal_create(request: HttpRequest, body: GoalIn) -> Status:
    try:
        goal = services.goal_create(
            actor=api_user(request), con=get_warehouse(), now=timezone.now(), **body.dict()
        )
    except ValidationError as exc:
        raise _invalid(exc) from None
    return Status(201, goal)


@router.get(
    "/{goal_id}", response=GoalDetailOut, summary="A goal with its SMART/FAST check and progress"
)
def goal_detail(request: HttpRequest, goal_id: int, query: Query[NowQuery]) -> dict[str, Any]:
    return _detail(_goal(request, goal_id), _now(query.now))


@router.patch("/{goal_id}", response=GoalOut, summary="Change a goal")
def goal_update(request: HttpRequest, goal_id: int, body: GoalPatch) -> Goal:
    changes = body.dict(exclude_unset=True)
    try:
        return services.goal_update(
            actor=api_user(request),
            con=get_warehouse(),
            goal=_goal(request, goal_id),
            now=timezone.now(),
            **changes,
        )
    except ValidationError as exc:
        raise _invalid(exc) from None


def _attached(call: Any, **kwargs: Any) -> Any:
    try:
        return call(**kwargs)
    except ValidationError as exc:
        raise _invalid(exc) from None


@router.post("/{goal_id}/initiatives", response={201: InitiativeOut}, summary="Add an initiative")
def initiative_add(request: HttpRequest, goal_id: int, body: InitiativeIn) -> Status:
    goal = _goal(request, goal_id)
    made = _attached(services.initiative_add, actor=api_user(request), goal=goal, **body.dict())
    return Status(201, made)


@router.post("/{goal_id}/obstacles", response={201: TextIn}, summary="Add an obstacle")
def obstacle_add(request: HttpRequest, goal_id: int, body: TextIn) -> Status:
    goal = _goal(request, goal_id)
    made = _attached(services.obstacle_add, actor=api_user(request), goal=goal, **body.dict())
    return Status(201, made)


@router.post(
    "/{goal_id}/resource-needs", response={201: ResourceNeedIn}, summary="Add a resource need"
)
def resource_need_add(request: HttpRequest, goal_id: int, body: ResourceNeedIn) -> Status:
    goal = _goal(request, goal_id)
    made = _attached(services.resource_need_add, actor=api_user(request), goal=goal, **body.dict())
    return Status(201, made)


@router.post("/{goal_id}/asks", response={201: AskOut}, summary="Ask the other team for help")
def ask_create(request: HttpRequest, goal_id: int, body: AskIn) -> Status:
    goal = _goal(request, goal_id)
    made = _attached(services.ask_create, actor=api_user(request), goal=goal, **body.dict())
    return Status(201, made)


@router.post("/asks/{ask_id}/answer", response=AskOut, summary="Accept or decline an ask")
def ask_answer(request: HttpRequest, ask_id: int, body: AnswerIn) -> Any:
    try:
        ask = get_ask_for(api_user(request), ask_id)
    except Ask.DoesNotExist:
        raise Http404(f"No ask with id {ask_id}.") from None
    return _attached(
        services.ask_answer, actor=api_user(request), ask=ask, now=timezone.now(), **body.dict()
    )


@router.post("/{goal_id}/links", response={201: LinkIn}, summary="Say this goal supports another")
def link_add(request: HttpRequest, goal_id: int, body: LinkIn) -> Status:
    goal, other = _goal(request, goal_id), _goal(request, body.supports)
    _attached(services.goal_link_add, actor=api_user(request), goal=goal, supports=other)
    return Status(201, {"supports": other.pk})


@router.post("/{goal_id}/check-ins", response={201: CheckInOut}, summary="Record a check-in")
def check_in(request: HttpRequest, goal_id: int, body: CheckInIn) -> Status:
    goal = _goal(request, goal_id)
    made = _attached(
        services.check_in_record,
        actor=api_user(request),
        con=get_warehouse(),
        goal=goal,
        now=timezone.now(),
        **body.dict(),
    )
    return Status(201, made)


@router.get(
    "/{goal_id}/plan",
    response=PlanOut,
    summary="Alignment plan: the leads, MQLs, SQLs and opportunities a revenue goal needs",
)
def plan(request: HttpRequest, goal_id: int, query: Query[PlanQuery]) -> dict[str, Any]:
    """The reverse funnel from a ``revenue_won`` or ``customers`` goal, measured rates and cycle
    times, and the gaps to the marketing goals that support it, the SLA and sales capacity."""
    goal = _goal(request, goal_id)
    try:
        made = plan_for(
            get_warehouse(),
            goal,
            now=_now(query.now),
            lookback_days=query.lookback_days,
            sla_mqls_per_week=query.sla_mqls_per_week,
            reps=query.reps,
            mqls_per_rep_per_week=query.mqls_per_rep_per_week,
        )
    except ValidationError as exc:
        raise _invalid(exc) from None
    spec = made.spec
    return {
        "goal_kind": spec.goal_kind,
        "goal": spec.goal,
        "average_deal_size": spec.average_deal_size,
        "rates": dataclasses.asdict(spec.rates),
        "cycle_days": dataclasses.asdict(spec.cycle_days),
        "needs": [dataclasses.asdict(n) for n in made.needs],
        "gaps": [dataclasses.asdict(g) for g in made.gaps],
        "proposals": proposals(goal, made),
    }


@router.post(
    "/{goal_id}/changes",
    response={201: ChangeOut},
    summary="Propose a new target, metric, segment or period (both team leads sign it)",
)
def change_propose(request: HttpRequest, goal_id: int, body: ChangeIn) -> Status:
    goal = _goal(request, goal_id)
    fields = body.dict(exclude_unset=True)
    made = _attached(
        change_services.goal_change_propose, actor=api_user(request), goal=goal, **fields
    )
    return Status(201, made)


@router.post(
    "/{goal_id}/changes/{change_id}/sign",
    response=ChangeOut,
    summary="Sign a proposed change for your side; the second signature applies it",
)
def change_sign(request: HttpRequest, goal_id: int, change_id: int, body: SignIn) -> Any:
    goal = _goal(request, goal_id)
    try:
        change = goal.changes.get(pk=change_id)
    except GoalChange.DoesNotExist:
        raise Http404(f"No change {change_id} of goal {goal_id}.") from None
    return _attached(
        change_services.goal_change_approve, actor=api_user(request), con=get_warehouse(),
        change=change, side=body.side, now=timezone.now(),
    )  # fmt: skip
