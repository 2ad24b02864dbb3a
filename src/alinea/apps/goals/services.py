"""Writes to goals and what hangs on them. Atomic, ``full_clean()``-ed and audited.

Who may do what (``alinea.apps.accounts.permissions``): members and team leads of the owning team
write a goal and everything attached to it (a joint goal: either team); only the asked team answers
an ask. ``actor=None`` is the system (demo, CLI).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from ibis.backends import BaseBackend

from alinea.apps.accounts.models import Team, User
from alinea.apps.accounts.permissions import can_edit_team_item
from alinea.apps.audit.services import audit_record, snapshot
from alinea.apps.goals.models import (
    Ask,
    AskStatus,
    CheckIn,
    Goal,
    GoalLink,
    Initiative,
    Obstacle,
    Owner,
    ResourceNeed,
)
from alinea.apps.goals.selectors import baseline_for, current_value_for
from alinea.apps.goals.specs import check_goal_terms

#: Fields of a goal that ``goal_create`` / ``goal_update`` take.
GOAL_FIELDS: tuple[str, ...] = (
    "title", "why", "owner", "metric", "segment", "target_kind", "target_amount",
    "period_start", "period_last_day", "cadence_days", "window_days",
)  # fmt: skip


#: What a goal promises: once it is set, these change only with both team leads' signatures
#: (``alinea.apps.goals.change_services``).
SIGNED_FIELDS: tuple[str, ...] = (
    "metric", "segment", "target_kind", "target_amount", "period_start", "period_last_day",
)  # fmt: skip


def _teams_of(owner: str) -> list[str]:
    return ["marketing", "sales"] if owner == Owner.JOINT else [owner]


def may_edit_goal(actor: User | None, goal: Goal) -> bool:
    if actor is None:
        return True
    return any(can_edit_team_item(actor, Team.objects.get(slug=s)) for s in _teams_of(goal.owner))


def require_goal_editor(actor: User | None, goal: Goal) -> None:
    if not may_edit_goal(actor, goal):
        raise PermissionDenied("only the owning team's members may change this goal")


def _save(instance: models.Model) -> None:
    instance.full_clean()
    instance.save()


def refresh_baseline(con: BaseBackend, goal: Goal, now: dt.datetime) -> None:
    baseline = baseline_for(con, goal, now=now)
    goal.baseline_value = baseline.value
    goal.baseline_description = baseline.description


def goal_create(*, actor: User | None, con: BaseBackend, now: dt.datetime, **fields: Any) -> Goal:
    """A new goal; its baseline is measured now from the facts."""
    goal = Goal(created_by=actor, created_at=now, **fields)
    require_goal_editor(actor, goal)
    goal.full_clean(exclude=["baseline_value"])
    check_goal_terms(goal)
    refresh_baseline(con, goal, now)
    with transaction.atomic():
        _save(goal)
        audit_record(actor=actor, action="goal_create", instance=goal, before=None)
    return goal


def goal_update(
    *, actor: User | None, con: BaseBackend, goal: Goal, now: dt.datetime, **fields: Any
) -> Goal:
    """Change some of ``GOAL_FIELDS``; a new metric, segment or period re-measures the baseline.

    A user changes the target, metric, segment or period only through a change both team leads
    sign (``goal_change_propose``); the system (``actor=None``: demo, CLI) changes them directly.
    """
    unknown = set(fields) - set(GOAL_FIELDS)
    if unknown:
        raise ValidationError(f"unknown goal fields: {', '.join(sorted(unknown))}")
    require_goal_editor(actor, goal)
    signed = [k for k in SIGNED_FIELDS if k in fields and fields[k] != getattr(goal, k)]
    if actor is not None and signed:
        message = "changing it needs both team leads: propose a goal change"
        raise ValidationError(dict.fromkeys(signed, message))
    with transaction.atomic():
        before = snapshot(goal)
        for name, value in fields.items():
            setattr(goal, name, value)
        require_goal_editor(actor, goal)
        check_goal_terms(goal)
        if {"metric", "segment", "period_start", "period_last_day", "window_days"} & set(fields):
            refresh_baseline(con, goal, now)
        _save(goal)
        audit_record(actor=actor, action="goal_update", instance=goal, before=before)
    return goal


def _attach(actor: User | None, goal: Goal, item: models.Model, action: str) -> Any:
    require_goal_editor(actor, goal)
    with transaction.atomic():
        _save(item)
        audit_record(actor=actor, action=action, instance=item, before=None)
    return item


def initiative_add(
    *, actor: User | None, goal: Goal, title: str, owner: str = "", due: dt.date | None = None
) -> Initiative:
    item = Initiative(goal=goal, title=title, owner=owner, due=due)
    return _attach(actor, goal, item, "initiative_add")


def initiative_set_status(*, actor: User | None, initiative: Initiative, status: str) -> Initiative:
    require_goal_editor(actor, initiative.goal)
    with transaction.atomic():
        before = snapshot(initiative)
        initiative.status = status
        _save(initiative)
        audit_record(
            actor=actor, action="initiative_set_status", instance=initiative, before=before
        )
    return initiative


def obstacle_add(*, actor: User | None, goal: Goal, description: str) -> Obstacle:
    item = Obstacle(goal=goal, description=description)
    return _attach(actor, goal, item, "obstacle_add")


def resource_need_add(
    *, actor: User | None, goal: Goal, kind: str, description: str
) -> ResourceNeed:
    item = ResourceNeed(goal=goal, kind=kind, description=description)
    return _attach(actor, goal, item, "resource_need_add")


def ask_create(*, actor: User | None, goal: Goal, asked_team: str, request: str) -> Ask:
    item = Ask(goal=goal, asked_team=asked_team, request=request)
    return _attach(actor, goal, item, "ask_create")


def may_answer_ask(actor: User | None, ask: Ask) -> bool:
    """Only the asked team (or an admin) answers an ask."""
    if actor is None:
        return True
    return can_edit_team_item(actor, Team.objects.get(slug=ask.asked_team))


def ask_answer(
    *, actor: User | None, ask: Ask, accept: bool, comment: str, now: dt.datetime
) -> Ask:
    """The asked team accepts or declines, with a comment; an answer is final."""
    if not may_answer_ask(actor, ask):
        raise PermissionDenied(f"only {ask.asked_team} answers this ask")
    if ask.status != AskStatus.OPEN:
        raise ValidationError("this ask has already been answered")
    with transaction.atomic():
        before = snapshot(ask)
        ask.status = AskStatus.ACCEPTED if accept else AskStatus.DECLINED
        ask.comment = comment
        ask.answered_by = actor
        ask.answered_at = now
        _save(ask)
        audit_record(actor=actor, action="ask_answer", instance=ask, before=before)
    return ask


def goal_link_add(*, actor: User | None, goal: Goal, supports: Goal) -> GoalLink:
    """``goal`` supports ``supports``."""
    item = GoalLink(goal=goal, supports=supports)
    return _attach(actor, goal, item, "goal_link_add")


def check_in_record(
    *,
    actor: User | None,
    con: BaseBackend,
    goal: Goal,
    confidence: int,
    comment: str,
    now: dt.datetime,
) -> CheckIn:
    """A check-in with the metric's value computed from the facts at ``now``."""
    value = current_value_for(con, goal, now=now)
    item = CheckIn(
        goal=goal, at=now, metric_value=value, confidence=confidence, comment=comment, by=actor
    )
    return _attach(actor, goal, item, "check_in_record")


def demo_goals_setup() -> list[Goal]:
    """The demo company's goals (see ``alinea.apps.goals.demo_goals``); nothing if goals exist."""
    from alinea.apps.goals.demo_goals import setup
    from alinea.warehouse import connect

    con = connect()
    try:
        return setup(con)
    finally:
        con.disconnect()
