"""The goal pages: the list (with the form to set a goal) and one goal with its SMART/FAST check,
progress chart, initiatives, obstacles, resource needs, asks, links and check-ins. Thin: forms,
permissions, rendering. What the goal page posts is in ``actions``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alinea.apps.accounts.models import Team, User
from alinea.apps.accounts.permissions import can_approve_for_team
from alinea.apps.approval.models import Status
from alinea.apps.goals import services
from alinea.apps.goals.actions import ADDITIONS, goal_of, make_form, user_of
from alinea.apps.goals.charts import progress_chart
from alinea.apps.goals.forms import AnswerForm, GoalChangeForm, GoalForm, InitiativeStatusForm
from alinea.apps.goals.models import Goal
from alinea.apps.goals.plan import PLANNABLE
from alinea.apps.goals.selectors import goal_evaluation, goal_list, preview_text
from alinea.apps.goals.wording import change_lines, letters, target_statement
from alinea.web.warehouse import get_warehouse

STATUS_LABELS = {
    "on_track": gettext_lazy("on track"),
    "at_risk": gettext_lazy("at risk"),
    "off_track": gettext_lazy("off track"),
    "unknown": gettext_lazy("not known yet"),
}


def _form_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, problems in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, exc.messages)


def goal_list_page(request: HttpRequest) -> HttpResponse:
    form = GoalForm(request.POST or None, initial=_prefill(request))
    if request.method == "POST" and form.is_valid():
        try:
            fields = form.goal_fields()
            goal = services.goal_create(
                actor=user_of(request), con=get_warehouse(), now=timezone.now(), **fields
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Goal set."))
            return redirect("goals:detail", goal_id=goal.pk)
    return render(request, "goals/list.html", {"goals": goal_list(), "form": form})


def _prefill(request: HttpRequest) -> dict[str, str]:
    """Fields given in the query string (the plan page's "propose a goal" links)."""
    return {name: request.GET[name] for name in GoalForm.base_fields if name in request.GET}


def _asks(goal: Goal, user: User) -> list[dict[str, Any]]:
    return [
        {
            "ask": ask,
            "may_answer": ask.status == "open" and services.may_answer_ask(user, ask),
            "form": AnswerForm(prefix=f"ask-{ask.pk}"),
        }
        for ask in goal.asks.all()
    ]


def _initiatives(goal: Goal) -> list[dict[str, Any]]:
    return [
        {
            "item": item,
            "form": InitiativeStatusForm(
                initial={"status": item.status}, prefix=f"initiative-{item.pk}"
            ),
        }
        for item in goal.initiatives.all()
    ]


def _changes(goal: Goal, user: User) -> list[dict[str, Any]]:
    rows = []
    for change in goal.changes.select_related("marketing_approved_by", "sales_approved_by"):
        can_sign = [
            side
            for side in ("marketing", "sales")
            if change.status == Status.PROPOSED
            and not change.approved_by_team(side)
            and can_approve_for_team(user, Team.objects.get(slug=side))
        ]
        rows.append({"change": change, "lines": change_lines(change), "can_sign": can_sign})
    return rows


def goal_page(request: HttpRequest, goal_id: int) -> HttpResponse:
    goal = goal_of(request, goal_id)
    user = user_of(request)
    result = goal_evaluation(get_warehouse(), goal, now=timezone.now())
    context = {
        "goal": goal,
        "result": result,
        "target_text": target_statement(
            goal.target_kind,
            goal.target_amount,
            baseline=result.baseline.value,
            target=result.target,
            unit=result.unit,
        ),
        "smart": letters(result.smart),
        "fast": letters(result.fast),
        "status_label": STATUS_LABELS[result.progress.status],
        "chart": progress_chart(result),
        "can_edit": services.may_edit_goal(user, goal),
        "plannable": goal.metric in PLANNABLE,
        "forms": {what.replace("-", "_"): make_form(what, goal) for what in ADDITIONS},
        "initiatives": _initiatives(goal),
        "asks": _asks(goal, user),
        "supports": [link.supports for link in goal.links.select_related("supports")],
        "change_form": GoalChangeForm.for_goal(goal),
        "changes": _changes(goal, user),
        "supported_by": [link.goal for link in goal.supported_by.select_related("goal")],
    }
    return render(request, "goals/goal.html", context)


def goal_preview(request: HttpRequest) -> JsonResponse:
    """The target in words for the goal form's live preview: "from baseline X to target Y"."""
    user_of(request)
    form = GoalForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"text": _("Fill in the metric, the target and the period.")})
    text = preview_text(get_warehouse(), form.goal_fields(), now=timezone.now())
    return JsonResponse({"text": text})
