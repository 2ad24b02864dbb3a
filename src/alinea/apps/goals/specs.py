"""Goals as the analytics core sees them (``GoalSpec``), and the checks of a goal's terms."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

from alinea.analytics.goals import GoalSpec, TargetError, make_target
from alinea.analytics.goals.target import check_target
from alinea.analytics.metrics import METRICS, SUBJECTS
from alinea.analytics.periods import Period
from alinea.apps.goals.models import Goal


def goal_period(goal: Goal) -> Period:
    return Period(goal.period_start, goal.period_last_day + dt.timedelta(days=1))


def check_goal_terms(goal: Goal) -> None:
    """``ValidationError`` naming the field when metric, segment, target or period do not fit."""
    problems: dict[str, str] = {}
    metric = METRICS.get(goal.metric)
    if metric is None:
        problems["metric"] = f"unknown metric {goal.metric!r}; known: {', '.join(METRICS)}"
    elif not isinstance(goal.segment, dict):
        problems["segment"] = "the segment is {dimension: [values]}"
    else:
        known = SUBJECTS[metric.subject].dimensions
        for dimension, values in goal.segment.items():
            if dimension not in known:
                problems["segment"] = f"{goal.metric} has no dimension {dimension!r}"
            elif not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                problems["segment"] = f"segment {dimension!r}: give a list of values"
        try:
            check_target(make_target(goal.target_kind, goal.target_amount), metric.unit)
        except TargetError as problem:
            problems["target_amount"] = str(problem)
    if goal.period_start and goal.period_last_day and goal.period_last_day < goal.period_start:
        problems["period_last_day"] = "the last day comes before the first day"
    if problems:
        raise ValidationError(problems)


def goal_spec(goal: Goal) -> GoalSpec:
    """The frozen spec ``alinea.analytics.goals`` evaluates."""
    return GoalSpec(
        metric=goal.metric,
        target=make_target(goal.target_kind, goal.target_amount),
        period=goal_period(goal),
        set_at=goal.created_at,
        owner=goal.owner,
        filters={name: list(values) for name, values in goal.segment.items()},
        cadence_days=goal.cadence_days,
        check_ins=tuple(c.at for c in goal.check_ins.all()),
        window_days=goal.window_days,
    )
