"""The alignment plan page: the reverse funnel of a sales goal beside marketing's goals, the SLA
commitment and sales capacity, with the gaps in words and a goal proposed for each."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from alinea.analytics.planning import AlignmentPlan
from alinea.apps.goals.actions import goal_of
from alinea.apps.goals.forms import PlanForm
from alinea.apps.goals.models import Goal
from alinea.apps.goals.plan import (
    PLANNABLE,
    STAGE_NAMES,
    measured_capacity,
    plan_for,
    proposals,
    sla_mqls_per_week,
)
from alinea.apps.goals.wording import gap_proposal, gap_sentence
from alinea.web.warehouse import get_warehouse

LOOKBACK_DAYS = 182


def _inputs(request: HttpRequest, goal: Goal) -> tuple[PlanForm, dict[str, Any]]:
    """The comparisons asked for, filling what is not given from the SLA and the assignments."""
    form = PlanForm(request.GET or None)
    given = form.cleaned_data if request.GET and form.is_valid() else {}
    lookback = given.get("lookback_days") or LOOKBACK_DAYS
    values: dict[str, Any] = {
        "lookback_days": lookback,
        "sla_mqls_per_week": given.get("sla_mqls_per_week"),
        "reps": given.get("reps"),
        "mqls_per_rep_per_week": given.get("mqls_per_rep_per_week"),
    }
    if values["sla_mqls_per_week"] is None:
        values["sla_mqls_per_week"] = sla_mqls_per_week()
    if values["reps"] is None or values["mqls_per_rep_per_week"] is None:
        capacity = measured_capacity(get_warehouse(), now=timezone.now(), lookback_days=lookback)
        values["reps"] = values["reps"] or capacity.reps or None
        values["mqls_per_rep_per_week"] = (
            values["mqls_per_rep_per_week"] or capacity.per_rep_per_week
        )
    if not form.is_bound:
        form = PlanForm(initial={k: round(v, 1) for k, v in values.items() if v is not None})
    return form, values


def _propose_url(fields: dict[str, Any] | None) -> str | None:
    return None if fields is None else f"{reverse('goals:index')}?{urlencode(fields)}#set-goal"


def _rows(goal: Goal, made: AlignmentPlan) -> tuple[list[dict[str, Any]], str | None]:
    proposed = proposals(goal, made)
    rows = [
        {
            "gap": gap,
            "sentence": gap_sentence(gap),
            "proposal": gap_proposal(gap),
            "propose_url": _propose_url(proposed.get(gap.about)),
        }
        for gap in made.gaps
    ]
    return rows, _propose_url(proposed.get("missing_mqls"))


def goal_plan_page(request: HttpRequest, goal_id: int) -> HttpResponse:
    goal = goal_of(request, goal_id)
    context: dict[str, Any] = {"goal": goal, "plannable": goal.metric in PLANNABLE}
    if context["plannable"]:
        form, values = _inputs(request, goal)
        context["form"] = form
        try:
            made = plan_for(get_warehouse(), goal, now=timezone.now(), **values)
        except ValidationError as problem:
            context["problem"] = "; ".join(problem.messages)
        else:
            rows, missing = _rows(goal, made)
            needs = [{"need": n, "name": STAGE_NAMES[n.stage]} for n in made.needs]
            context.update(plan=made, needs=needs, gaps=rows, propose_missing=missing)
            context["supporting"] = [link.goal for link in goal.supported_by.select_related("goal")]
    return render(request, "goals/plan.html", context)
