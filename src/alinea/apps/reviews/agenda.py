"""The agenda of a review, built from the data at ``now``: plain JSON-safe values.

A review freezes this when it opens and when it closes (``Review.opening_snapshot`` and
``closing_snapshot``), so the minutes keep the numbers the teams saw. Every number comes from the
goals, SLA and funnel selectors or the analytics core; nothing is computed here but the arranging.

Sections:

- ``goals``: every goal whose period contains ``now``'s day, with its status (on track / at risk /
  off track / unknown), current value, target and probability;
- ``late_check_ins``: those goals whose check-ins are late for their cadence;
- ``open_asks``: asks of the other team still waiting for an answer;
- ``sla``: per sales clock, the MQL events of the last ``SLA_DAYS`` days met, breached, at risk
  and pending under the SLA in force (``None`` without one);
- ``stalls``: per watched funnel stage, the leads sitting there longer than the stage's threshold;
- ``plan_gaps``: for the running revenue and customer goals, the gaps of their alignment plan
  (what the supporting marketing goals, the SLA and sales capacity cover of what the goal needs),
  as ``about`` and ``ratio`` (offered ÷ needed); a goal whose plan cannot be made is left out.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.core.exceptions import ValidationError
from ibis.backends import BaseBackend

from alinea.analytics import sla
from alinea.analytics.facts import Facts
from alinea.analytics.funnel import StallSpec, stall_thresholds, stalls
from alinea.analytics.goals.checks import late_check_ins
from alinea.analytics.run import fetch
from alinea.apps.goals.models import Ask, AskStatus, Goal
from alinea.apps.goals.plan import PLANNABLE, measured_capacity, plan_for, sla_mqls_per_week
from alinea.apps.goals.selectors import goal_evaluation, goal_list
from alinea.apps.goals.specs import goal_spec
from alinea.apps.sla.selectors import active_spec, clocks_for, recent_period

#: The SLA section looks at the MQL events of this many days up to ``now``.
SLA_DAYS = 28
#: Alignment plans measure rates, cycle times and capacity over this many days before ``now``.
PLAN_LOOKBACK_DAYS = 182

Snapshot = dict[str, Any]


def number(value: Any) -> float | None:
    """A JSON-safe number: ``None`` for missing or NaN."""
    if value is None:
        return None
    result = float(value)
    return None if math.isnan(result) else result


def _current_goals(today: dt.date) -> list[Goal]:
    return list(goal_list().filter(period_start__lte=today, period_last_day__gte=today))


def _goal_item(con: BaseBackend, goal: Goal, now: dt.datetime) -> dict[str, Any]:
    result = goal_evaluation(con, goal, now=now)
    return {
        "id": goal.pk,
        "title": goal.title,
        "owner": goal.owner,
        "metric": goal.metric,
        "unit": result.unit,
        "status": result.progress.status,
        "current": number(result.current.value),
        "target": number(result.target),
        "target_text": result.target_text,
        "probability": number(result.forecast.probability),
    }


def _late_item(goal: Goal, now: dt.datetime) -> dict[str, Any] | None:
    if goal.cadence_days is None or goal.created_at > now:
        return None
    missed = late_check_ins(goal_spec(goal), now)
    if not missed:
        return None
    return {
        "id": goal.pk,
        "title": goal.title,
        "cadence_days": goal.cadence_days,
        "missed": len(missed),
        "first_due": missed[0].isoformat(),
    }


def _open_asks() -> list[dict[str, Any]]:
    asks = Ask.objects.filter(status=AskStatus.OPEN).select_related("goal").order_by("id")
    return [
        {"id": a.pk, "goal_id": a.goal_id, "goal": a.goal.title, "asked_team": a.asked_team,
         "request": a.request}
        for a in asks
    ]  # fmt: skip


def _sla_section(con: BaseBackend, now: dt.datetime) -> dict[str, Any] | None:
    policy = active_spec()
    if policy is None:
        return None
    clocks = clocks_for(con, policy, period=recent_period(now, SLA_DAYS), now=now)
    rows = []
    for clock in sla.CLOCKS:
        (total,) = sla.compliance(clocks, clock=clock).to_dict("records")
        counts = {name: int(total[name]) for name in ("mqls", "met", "breached", "at_risk")}
        rows.append({"clock": clock, **counts, "pending": int(total["pending"]),
                     "compliance_rate": number(total["compliance_rate"])})  # fmt: skip
    return {"days": SLA_DAYS, "clocks": rows}


def _stalls_section(con: BaseBackend, now: dt.datetime) -> list[dict[str, Any]]:
    facts, spec = Facts.of(con), StallSpec()
    stalled = fetch(stalls(facts, spec, now))
    limits = fetch(stall_thresholds(facts, spec, now))
    rows = []
    for limit in limits.to_dict("records"):
        mine = stalled[stalled["stage"] == limit["stage"]]
        rows.append({
            "stage": str(limit["stage"]),
            "threshold_days": number(limit["threshold_days"]),
            "stalled": len(mine),
            "oldest_days": number(mine["age_days"].max()) if len(mine) else None,
        })  # fmt: skip
    return rows


def _plan_gaps(con: BaseBackend, goals: list[Goal], now: dt.datetime) -> list[dict[str, Any]]:
    plannable = [goal for goal in goals if goal.metric in PLANNABLE]
    if not plannable:
        return []
    capacity = measured_capacity(con, now=now, lookback_days=PLAN_LOOKBACK_DAYS)
    committed = sla_mqls_per_week()
    rows = []
    for goal in plannable:
        try:
            plan = plan_for(
                con, goal, now=now, lookback_days=PLAN_LOOKBACK_DAYS, sla_mqls_per_week=committed,
                reps=capacity.reps or None, mqls_per_rep_per_week=capacity.per_rep_per_week,
            )  # fmt: skip
        except ValidationError:  # rates or deal size not measurable yet
            continue
        rows += [
            {"goal_id": goal.pk, "title": goal.title, "about": gap.about,
             "ratio": number(gap.ratio), "difference_per_week": number(gap.difference_per_week)}
            for gap in plan.gaps
        ]  # fmt: skip
    return rows


def review_agenda(con: BaseBackend, *, now: dt.datetime) -> Snapshot:
    """The agenda and its numbers at ``now`` (see the module docstring for the sections)."""
    goals = [g for g in _current_goals(now.date()) if g.created_at <= now]
    late = [item for g in goals if (item := _late_item(g, now)) is not None]
    return {
        "taken_at": now.isoformat(),
        "goals": [_goal_item(con, goal, now) for goal in goals],
        "late_check_ins": late,
        "open_asks": _open_asks(),
        "sla": _sla_section(con, now),
        "stalls": _stalls_section(con, now),
        "plan_gaps": _plan_gaps(con, goals, now),
    }
