"""The alignment plan of a sales goal: the reverse funnel from its target, beside the marketing
goals that support it, the SLA commitment and sales capacity (``alinea.analytics.planning``)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ibis.backends import BaseBackend

from alinea.analytics.facts import Facts
from alinea.analytics.goals import TargetError, make_target, target_value
from alinea.analytics.goals.plan_inputs import Capacity, measure_capacity, measure_funnel
from alinea.analytics.metrics import METRICS
from alinea.analytics.periods import Period
from alinea.analytics.planning import AlignmentPlan, PlanSpec, alignment_plan
from alinea.apps.goals.models import Goal
from alinea.apps.goals.specs import goal_period

#: The stages of the plan, for people.
STAGE_NAMES: dict[str, Promise] = {
    "deals": gettext_lazy("deals"),
    "opportunities": gettext_lazy("opportunities"),
    "sqls": gettext_lazy("SQLs"),
    "mqls": gettext_lazy("MQLs"),
    "leads": gettext_lazy("leads"),
}

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


#: Weeks in a month, for an SLA commitment stated per month.
WEEKS_PER_MONTH = 52 / 12


def sla_mqls_per_week() -> float | None:
    """MQLs a week marketing commits to in the SLA in force (its company-wide delivery targets,
    or the sum of its segment targets when it has no company-wide one); ``None`` without an SLA."""
    from alinea.apps.sla.selectors import active_policy

    policy = active_policy()
    if policy is None:
        return None
    targets = list(policy.targets.all())
    overall = [t for t in targets if not t.segment and not t.region] or targets
    if not overall:
        return None
    return sum(t.mqls if t.every == "week" else t.mqls / WEEKS_PER_MONTH for t in overall)


def measured_capacity(con: BaseBackend, *, now: dt.datetime, lookback_days: int) -> Capacity:
    """Reps and the leads each has shown they can work a week, over the look-back period."""
    lookback = Period(now.date() - dt.timedelta(days=lookback_days), now.date())
    return measure_capacity(Facts.of(con), lookback, now=now)


def _proposal(goal: Goal, title: str, owner: str, metric: str, amount: float) -> dict[str, Any]:
    return {
        "title": title,
        "owner": owner,
        "metric": metric,
        "target_kind": "absolute",
        "target_amount": round(amount, 2),
        "period_start": goal.period_start.isoformat(),
        "period_last_day": goal.period_last_day.isoformat(),
        "cadence_days": goal.cadence_days or 14,
    }


def _marketing_proposal(goal: Goal, stage: str, needed: float) -> dict[str, Any]:
    amount = math.ceil(needed)
    title = _("{amount} {stage} for “{goal}”").format(
        amount=f"{amount:,}", stage=STAGE_NAMES[stage], goal=goal.title
    )
    return _proposal(goal, title, "marketing", stage, amount)


def proposals(goal: Goal, plan: AlignmentPlan) -> dict[str, dict[str, Any]]:
    """For each gap (by ``about``), the goal that would close it, as goal-form fields: a marketing
    goal on the MQLs or leads the plan needs when marketing falls short, a sales goal scaled by
    the coverage when marketing offers more or sales cannot work what is needed; and a marketing
    MQL goal under ``missing_mqls`` when none supports this goal yet."""
    needs = {need.stage: need.total for need in plan.needs}
    target = plan.spec.goal
    found: dict[str, dict[str, Any]] = {}
    for gap in plan.gaps:
        stage = "leads" if gap.about == "marketing_leads" else "mqls"
        short = gap.about in ("marketing_mqls", "marketing_leads", "sla") and gap.ratio < 1
        surplus = gap.about in ("marketing_mqls", "marketing_leads") and gap.ratio > 1
        if short:
            found[gap.about] = _marketing_proposal(goal, stage, needs[stage])
        elif surplus or (gap.about == "capacity_need" and gap.ratio < 1):
            scaled = target * gap.ratio
            found[gap.about] = _proposal(goal, goal.title, goal.owner, goal.metric, scaled)
    if plan.spec.marketing_mql_goal is None:
        found["missing_mqls"] = _marketing_proposal(goal, "mqls", needs["mqls"])
    return found
