"""Reads of goals for the pages, the API and the CLI; the numbers come from the analytics core."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from ibis.backends import BaseBackend

from alinea.analytics.facts import Facts
from alinea.analytics.goals import GoalEvaluation, evaluate_goal, measure_periods, previous_period
from alinea.analytics.goals.baseline import Baseline, describe_baseline
from alinea.analytics.metrics import METRICS
from alinea.analytics.periods import Period
from alinea.apps.accounts.permissions import AnyUser, can_view
from alinea.apps.goals.models import Ask, Goal
from alinea.apps.goals.specs import goal_period, goal_spec


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


def goal_evaluation(con: BaseBackend, goal: Goal, *, now: dt.datetime) -> GoalEvaluation:
    """Baseline, target, probability, progress and SMART/FAST of ``goal`` at ``now``."""
    return evaluate_goal(Facts.of(con), goal_spec(goal), now=now)


def get_ask_for(user: AnyUser, ask_id: int) -> Ask:
    """The ask, if ``user`` may see it (every active user may). ``Ask.DoesNotExist`` otherwise."""
    ask = Ask.objects.select_related("goal").get(pk=ask_id)
    if not can_view(user, ask):
        raise PermissionDenied
    return ask
