"""The goal pages: the list (with the form to set a goal) and one goal with its SMART/FAST check,
progress chart, initiatives, asks and check-ins. Thin: forms, permissions, rendering."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from alinea.apps.accounts.models import User
from alinea.apps.goals import services
from alinea.apps.goals.charts import progress_chart
from alinea.apps.goals.forms import CheckInForm, GoalForm, InitiativeForm
from alinea.apps.goals.models import Goal
from alinea.apps.goals.selectors import get_goal_for, goal_evaluation, goal_list
from alinea.web.warehouse import get_warehouse

STATUS_LABELS = {
    "on_track": gettext_lazy("on track"),
    "at_risk": gettext_lazy("at risk"),
    "off_track": gettext_lazy("off track"),
    "unknown": gettext_lazy("not known yet"),
}


def _user(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def _goal(request: HttpRequest, goal_id: int) -> Goal:
    try:
        return get_goal_for(_user(request), goal_id)
    except Goal.DoesNotExist:
        raise Http404(_("No such goal.")) from None


def _form_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, problems in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, exc.messages)


def goal_list_page(request: HttpRequest) -> HttpResponse:
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.goal_create(
                actor=_user(request), con=get_warehouse(), now=timezone.now(), **form.goal_fields()
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Goal set."))
            return redirect("goals:detail", goal_id=goal.pk)
    return render(request, "goals/list.html", {"goals": goal_list(), "form": form})


def goal_page(request: HttpRequest, goal_id: int) -> HttpResponse:
    goal = _goal(request, goal_id)
    result = goal_evaluation(get_warehouse(), goal, now=timezone.now())
    context = {
        "goal": goal,
        "result": result,
        "status_label": STATUS_LABELS[result.progress.status],
        "chart": progress_chart(result),
        "can_edit": services.may_edit_goal(_user(request), goal),
        "initiative_form": InitiativeForm(),
        "check_in_form": CheckInForm(),
    }
    return render(request, "goals/goal.html", context)


@require_POST
def goal_add(request: HttpRequest, goal_id: int, what: str) -> HttpResponse:
    """Add an initiative or a check-in from the goal page."""
    goal = _goal(request, goal_id)
    actor = _user(request)
    form: InitiativeForm | CheckInForm
    if what == "initiative":
        form = InitiativeForm(request.POST)
        if form.is_valid():
            services.initiative_add(actor=actor, goal=goal, **form.cleaned_data)
    elif what == "check-in":
        form = CheckInForm(request.POST)
        if form.is_valid():
            services.check_in_record(
                actor=actor, con=get_warehouse(), goal=goal, now=timezone.now(), **form.cleaned_data
            )
    else:
        raise Http404
    if not form.is_valid():
        messages.error(
            request, "; ".join(str(e) for errors in form.errors.values() for e in errors)
        )
    return redirect("goals:detail", goal_id=goal.pk)
