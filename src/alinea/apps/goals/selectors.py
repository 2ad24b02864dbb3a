"""Reads of goals for the pages, the API and the CLI; the numbers come from the analytics core."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from ibis.backends import BaseBackend

from alinea.analytics.facts import Facts
from alinea.analytics.goals import (
    GoalEvaluation,
    TargetError,
    evaluate_goal,
    make_target,
    measure_periods,
    previous_period,
    target_value,
)
from alinea.analytics.goals.baseline import Baseline, describe_baseline
from alinea.analytics.goals.version import data_version
from alinea.analytics.metrics import METRICS
from alinea.analytics.periods import Period
from alinea.apps.accounts.permissions import AnyUser, can_view
from alinea.apps.goals.models import Ask, Goal
from alinea.apps.goals.specs import check_goal_terms, goal_period, goal_spec
from alinea.apps.goals.wording import target_statement


def goal_list() -> QuerySet[Goal]:
    """Every goal (goals are never private), earliest period first."""
    return Goal.objects.prefetch_related("check_ins", "initiatives", "asks")


def get_goal_for(user: AnyUser, goal_id: int) -> Goal:
    """The goal, if ``user`` may see it (every active user may). ``Goal.DoesNotExist`` otherwise."""
    goal = goal_list().get(pk=goal_id)
    if not can_view(user, goal):
        raise PermissionDenied
    return goal


def baseline_for(con: BaseBackend, goal: Goal, *, now: dt.datetime) -> Baseline:
    """The goal's metric over the comparable period before the goal's period, at ``now``."""
    before, how = previous_period(goal_period(goal))
    filters = _filters(goal)
    (measured,) = measure_periods(
        Facts.of(con), goal.metric, [before], now=now, filters=filters, window_days=goal.window_days
    )
    segment = segment_text(goal)
    unit = METRICS[goal.metric].unit
    return describe_baseline(
        measured, metric=goal.metric, unit=unit, segment=segment, how=how,
        window_days=goal.window_days,
    )  # fmt: skip


def _filters(goal: Goal) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple(sorted((k, tuple(sorted(v))) for k, v in goal.segment.items()))


def segment_text(goal: Goal) -> str:
    """The segment in words, ``all`` without one."""
    if not goal.segment:
        return "all"
    return "; ".join(f"{k} = {', '.join(v)}" for k, v in sorted(goal.segment.items()))


def current_value_for(con: BaseBackend, goal: Goal, *, now: dt.datetime) -> float | None:
    """The metric over the goal's period up to ``now`` (what a check-in records)."""
    period = goal_period(goal)
    start, today = period.start, now.date()
    if today < start:
        return None
    end = min(period.end, today + dt.timedelta(days=1))
    filters = _filters(goal)
    (measured,) = measure_periods(
        Facts.of(con), goal.metric, [Period(start, end)], now=now, filters=filters,
        window_days=goal.window_days,
    )  # fmt: skip
    return measured.value


#: How long an evaluation is kept; the key also holds the day, so it is recomputed daily anyway.
EVALUATION_SECONDS = 24 * 3600


def goal_evaluation(con: BaseBackend, goal: Goal, *, now: dt.datetime) -> GoalEvaluation:
    """Baseline, target, probability, progress and SMART/FAST of ``goal`` at ``now``.

    Kept in Django's cache per (goal terms and check-ins, facts version, day of ``now``): a
    second look the same day on the same facts costs one small query, not a simulation. Within a
    day the answer is the one computed at the first look. The metric's values of past (mature)
    periods are kept in the cache too, so a new day, a check-in or another goal on the same metric
    and segment only measures the periods still open.
    """
    facts = Facts.of(con)
    spec = goal_spec(goal)
    version = data_version(facts)
    parts = (repr(spec), version, now.date().isoformat())
    key = "goals:evaluation:" + hashlib.sha256("|".join(parts).encode()).hexdigest()
    found = cache.get(key)
    if isinstance(found, GoalEvaluation):
        return found
    result = evaluate_goal(facts, spec, now=now, keep=(cache, version))
    cache.set(key, result, EVALUATION_SECONDS)
    return result


def preview_text(con: BaseBackend, fields: dict[str, Any], *, now: dt.datetime) -> str:
    """What a goal with these ``goal_create`` fields would aim at, in words, before it is set:
    its target kind and, for a change, the baseline measured now and the value to reach."""
    goal = Goal(created_at=now, **fields)
    try:
        check_goal_terms(goal)
    except ValidationError as problem:
        return "; ".join(problem.messages)
    unit = METRICS[goal.metric].unit
    baseline = baseline_for(con, goal, now=now).value
    try:
        target: float | None = target_value(
            make_target(goal.target_kind, goal.target_amount), baseline=baseline, unit=unit
        )
    except TargetError as problem:
        return str(problem)
    return target_statement(
        goal.target_kind, goal.target_amount, baseline=baseline, target=target, unit=unit
    )


def get_ask_for(user: AnyUser, ask_id: int) -> Ask:
    """The ask, if ``user`` may see it (every active user may). ``Ask.DoesNotExist`` otherwise."""
    ask = Ask.objects.select_related("goal").get(pk=ask_id)
    if not can_view(user, ask):
        raise PermissionDenied
    return ask
