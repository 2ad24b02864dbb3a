"""The alignment plan of a sales goal: the reverse funnel from its target, beside the marketing
goals that support it, the SLA commitment and sales capacity (``alinea.analytics.planning``)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from ibis.backends import BaseBackend

from alinea.analytics.facts import Facts
from alinea.analytics.goals import TargetError, make_target, target_value
from alinea.analytics.goals.plan_inputs import measure_funnel
from alinea.analytics.metrics import METRICS
from alinea.analytics.periods import Period
from alinea.analytics.planning import AlignmentPlan, PlanSpec, alignment_plan
from alinea.apps.goals.models import Goal
from alinea.apps.goals.specs import goal_period

#: Metrics a plan can start from, and what kind of goal they make.
PLANNABLE: dict[str, str] = {"revenue_won": "revenue", "customers": "deals"}


def goal_target(goal: Goal) -> float:
    """The number ``goal`` aims at (from its stored baseline for a change)."""
    target = make_target(goal.target_kind, goal.target_amount)
    unit = METRICS[goal.metric].unit
    return target_value(target, baseline=goal.baseline_value, unit=unit)


def _supporting_target(goal: Goal, metric: str) -> float | None:
    """The target of a goal on ``metric`` that supports ``goal`` over the same period."""
    for link in goal.supported_by.select_related("goal"):
        other = link.goal
        same = (other.period_start, other.period_last_day) == (
            goal.period_start,
            goal.period_last_day,
        )
        if other.metric == metric and same:
            try:
                return goal_target(other)
            except TargetError:
                return None
    return None


def plan_for(
    con: BaseBackend,
    goal: Goal,
    *,
    now: dt.datetime,
    lookback_days: int = 182,
    sla_mqls_per_week: float | None = None,
    reps: int | None = None,
    mqls_per_rep_per_week: float | None = None,
) -> AlignmentPlan:
    """The plan from ``goal`` (revenue won or new customers), with rates measured over the
    ``lookback_days`` before ``now``. ``ValidationError`` when the plan cannot be made."""
    kind = PLANNABLE.get(goal.metric)
    if kind is None:
        raise ValidationError(
            f"a plan starts from a revenue_won or customers goal, not {goal.metric}"
        )
    try:
        target = goal_target(goal)
        lookback = Period(now.date() - dt.timedelta(days=lookback_days), now.date())
        measured = measure_funnel(Facts.of(con), lookback, now=now, window_days=goal.window_days)
        spec = PlanSpec(
            period=goal_period(goal),
            goal_kind=kind,
            goal=target,
            rates=measured.rates(),
            cycle_days=measured.cycle_days(),
            average_deal_size=measured.average_deal_size,
            marketing_mql_goal=_supporting_target(goal, "mqls"),
            marketing_lead_goal=_supporting_target(goal, "leads"),
            sla_mqls_per_week=sla_mqls_per_week,
            reps=reps,
            mqls_per_rep_per_week=mqls_per_rep_per_week,
        )
    except ValueError as problem:  # TargetError is a ValueError
        raise ValidationError(str(problem)) from None
    return alignment_plan(spec)
