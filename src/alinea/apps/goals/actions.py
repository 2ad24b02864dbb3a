"""What the goal page posts: add an initiative, obstacle, resource need, ask, link or check-in;
change an initiative's status; answer an ask. Thin: form, permission, service, redirect."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alinea.apps.accounts.models import User
from alinea.apps.goals import change_services, services
from alinea.apps.goals.forms import (
    AnswerForm,
    AskForm,
    CheckInForm,
    GoalChangeForm,
    InitiativeForm,
    InitiativeStatusForm,
    LinkForm,
    ObstacleForm,
    ResourceNeedForm,
    SignForm,
)
from alinea.apps.goals.models import Ask, Goal, GoalChange, Initiative
from alinea.apps.goals.selectors import get_ask_for, get_goal_for
from alinea.web.warehouse import get_warehouse


def user_of(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def goal_of(request: HttpRequest, goal_id: int) -> Goal:
    try:
        return get_goal_for(user_of(request), goal_id)
    except Goal.DoesNotExist:
        raise Http404(_("No such goal.")) from None


def _check_in(actor: User, goal: Goal, data: dict[str, Any]) -> object:
    return services.check_in_record(
        actor=actor, con=get_warehouse(), goal=goal, now=timezone.now(), **data
    )


def _link(actor: User, goal: Goal, data: dict[str, Any]) -> object:
    return services.goal_link_add(actor=actor, goal=goal, supports=data["supports"])


def _plain(service: Callable[..., object]) -> Callable[[User, Goal, dict[str, Any]], object]:
    return lambda actor, goal, data: service(actor=actor, goal=goal, **data)


#: ``what`` in the URL → (its form, the service call that adds it).
ADDITIONS: dict[str, tuple[type[forms.Form], Callable[[User, Goal, dict[str, Any]], object]]] = {
    "initiative": (InitiativeForm, _plain(services.initiative_add)),
    "obstacle": (ObstacleForm, _plain(services.obstacle_add)),
    "resource-need": (ResourceNeedForm, _plain(services.resource_need_add)),
    "ask": (AskForm, _plain(services.ask_create)),
    "link": (LinkForm, _link),
    "check-in": (CheckInForm, _check_in),
}


def make_form(what: str, goal: Goal, data: Any = None) -> forms.Form:
    form_class = ADDITIONS[what][0]
    if form_class is LinkForm:
        return LinkForm(data, goal=goal, prefix=what)
    return form_class(data, prefix=what)


def _report(request: HttpRequest, form: forms.Form | None, problem: Exception | None) -> None:
    if isinstance(problem, ValidationError):
        messages.error(request, "; ".join(problem.messages))
    elif form is not None and form.errors:
        messages.error(request, "; ".join(str(e) for err in form.errors.values() for e in err))


@require_POST
def goal_add(request: HttpRequest, goal_id: int, what: str) -> HttpResponse:
    """Add something to a goal from its page."""
    goal = goal_of(request, goal_id)
    if what not in ADDITIONS:
        raise Http404
    form = make_form(what, goal, request.POST)
    if form.is_valid():
        try:
            ADDITIONS[what][1](user_of(request), goal, form.cleaned_data)
        except ValidationError as problem:
            _report(request, None, problem)
        else:
            messages.success(request, _("Saved."))
    else:
        _report(request, form, None)
    return redirect("goals:detail", goal_id=goal.pk)


@require_POST
def initiative_status(request: HttpRequest, goal_id: int, initiative_id: int) -> HttpResponse:
    goal = goal_of(request, goal_id)
    try:
        initiative = goal.initiatives.get(pk=initiative_id)
    except Initiative.DoesNotExist:
        raise Http404 from None
    form = InitiativeStatusForm(request.POST, prefix=f"initiative-{initiative.pk}")
    if form.is_valid():
        services.initiative_set_status(
            actor=user_of(request), initiative=initiative, status=form.cleaned_data["status"]
        )
    _report(request, form, None)
    return redirect("goals:detail", goal_id=goal.pk)


@require_POST
def ask_answer(request: HttpRequest, ask_id: int) -> HttpResponse:
    """The asked team accepts or declines an ask, with a comment."""
    actor = user_of(request)
    try:
        ask = get_ask_for(actor, ask_id)
    except Ask.DoesNotExist:
        raise Http404 from None
    form = AnswerForm(request.POST, prefix=f"ask-{ask.pk}")
    if form.is_valid():
        try:
            services.ask_answer(actor=actor, ask=ask, now=timezone.now(), **form.cleaned_data)
        except ValidationError as problem:
            _report(request, None, problem)
    else:
        _report(request, form, None)
    return redirect("goals:detail", goal_id=ask.goal_id)


@require_POST
def goal_change_propose(request: HttpRequest, goal_id: int) -> HttpResponse:
    """Propose a new target, metric, segment or period for both team leads to sign."""
    goal = goal_of(request, goal_id)
    form = GoalChangeForm.for_goal(goal, data=request.POST)
    if form.is_valid():
        try:
            change_services.goal_change_propose(
                actor=user_of(request), goal=goal, **form.change_fields()
            )
        except ValidationError as problem:
            _report(request, None, problem)
        else:
            messages.success(request, _("Change proposed: both team leads sign it next."))
    else:
        _report(request, form, None)
    return redirect("goals:detail", goal_id=goal.pk)


@require_POST
def goal_change_sign(request: HttpRequest, goal_id: int, change_id: int) -> HttpResponse:
    """A team lead signs a proposed change for their side; the second signature applies it."""
    goal = goal_of(request, goal_id)
    try:
        change = goal.changes.get(pk=change_id)
    except GoalChange.DoesNotExist:
        raise Http404 from None
    form = SignForm(request.POST)
    if form.is_valid():
        try:
            change_services.goal_change_approve(
                actor=user_of(request), con=get_warehouse(), change=change,
                side=form.cleaned_data["side"], now=timezone.now(),
            )  # fmt: skip
        except ValidationError as problem:
            _report(request, None, problem)
        else:
            messages.success(request, _("Signed."))
    else:
        _report(request, form, None)
    return redirect("goals:detail", goal_id=goal.pk)
