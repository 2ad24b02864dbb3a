"""Changes to what a goal promises — its target, metric, segment or period — once it is set:
proposed by the owning team, signed by both team leads (``alinea.apps.approval``), then applied
to the goal with its baseline re-measured. Atomic and audited, with the values before and after.

Everything else about a goal (title, why, cadence, what hangs on it) is changed directly with
``goal_update``; ``goal_update`` refuses these fields from a user and names this way instead.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from ibis.backends import BaseBackend

from alinea.apps.accounts.models import User
from alinea.apps.approval import services as approval
from alinea.apps.approval.models import Status
from alinea.apps.audit.services import audit_record, snapshot
from alinea.apps.goals.models import Goal, GoalChange
from alinea.apps.goals.services import SIGNED_FIELDS, refresh_baseline, require_goal_editor
from alinea.apps.goals.specs import check_goal_terms

DATE_FIELDS = frozenset({"period_start", "period_last_day"})


def _replaced(change: GoalChange) -> Any:
    return GoalChange.objects.filter(goal_id=change.goal_id).exclude(pk=change.pk)


SIGNING = approval.Signing(action="goal_change", what="goal changes", replaces=_replaced)


def _stored(name: str, value: Any) -> Any:
    return value.isoformat() if name in DATE_FIELDS and value is not None else value


def _loaded(name: str, value: Any) -> Any:
    return dt.date.fromisoformat(value) if name in DATE_FIELDS and value is not None else value


def goal_change_propose(
    *, actor: User | None, goal: Goal, reason: str = "", **fields: Any
) -> GoalChange:
    """Propose new values for some of ``SIGNED_FIELDS``; both team leads then sign it."""
    unknown = set(fields) - set(SIGNED_FIELDS)
    if unknown:
        raise ValidationError(f"only {', '.join(SIGNED_FIELDS)} are changed this way")
    changed = {k: v for k, v in fields.items() if getattr(goal, k) != v}
    if not changed:
        raise ValidationError("nothing changes: give at least one new value")
    require_goal_editor(actor, goal)
    trial = Goal(**{f.name: getattr(goal, f.name) for f in Goal._meta.concrete_fields})
    for name, value in changed.items():
        setattr(trial, name, value)
    check_goal_terms(trial)
    change = GoalChange(
        goal=goal,
        created_by=actor,
        reason=reason,
        changes={k: _stored(k, v) for k, v in changed.items()},
        before={k: _stored(k, getattr(goal, k)) for k in changed},
    )
    with transaction.atomic():
        change.full_clean()
        change.save()
        audit_record(actor=actor, action="goal_change_create", instance=change, before=None)
        approval.propose(actor=actor, item=change, signing=SIGNING)
    return change


def goal_change_approve(
    *, actor: User | None, con: BaseBackend, change: GoalChange, side: str, now: dt.datetime
) -> GoalChange:
    """Sign ``change`` for ``side`` (its team lead only); with both signatures it is applied."""
    with transaction.atomic():
        approval.approve(actor=actor, item=change, side=side, signing=SIGNING)  # type: ignore[arg-type]
        if change.status == Status.ACTIVE:
            _apply(actor, con, change, now)
    return change


def _apply(actor: User | None, con: BaseBackend, change: GoalChange, now: dt.datetime) -> None:
    goal = Goal.objects.select_for_update().get(pk=change.goal_id)
    stale = [k for k, v in change.before.items() if _stored(k, getattr(goal, k)) != v]
    if stale:
        raise ValidationError(
            f"the goal changed since this was proposed ({', '.join(stale)}): propose it again"
        )
    before = snapshot(goal)
    for name, value in change.changes.items():
        setattr(goal, name, _loaded(name, value))
    check_goal_terms(goal)
    if {"metric", "segment", "period_start", "period_last_day"} & set(change.changes):
        refresh_baseline(con, goal, now)
    goal.full_clean()
    goal.save()
    audit_record(actor=actor, action="goal_change_apply", instance=goal, before=before)
    change.applied_at = now
    change.save(update_fields=["applied_at"])
