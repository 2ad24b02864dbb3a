"""The agreement pages: the version in force, every version with its signatures and history, and
the lifecycle actions (new version, edit a draft, propose, approve)."""

from __future__ import annotations

import dataclasses

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alinea.apps.accounts.models import Team
from alinea.apps.accounts.permissions import can_approve_for_team, can_edit_team_item
from alinea.apps.sla import services
from alinea.apps.sla.forms import PolicyNumbersForm
from alinea.apps.sla.models import SlaPolicy
from alinea.apps.sla.selectors import (
    active_policy,
    get_sla_policy_for,
    policy_history,
    policy_versions,
)
from alinea.apps.sla.terms import terms_of
from alinea.apps.sla.views import signed_in


def _policy(request: HttpRequest, policy_id: int) -> SlaPolicy:
    try:
        return get_sla_policy_for(signed_in(request), policy_id)
    except SlaPolicy.DoesNotExist:
        raise Http404(_("No such SLA version.")) from None


def policy_page(request: HttpRequest, policy_id: int | None = None) -> HttpResponse:
    user = signed_in(request)
    policy = _policy(request, policy_id) if policy_id is not None else active_policy()
    if policy is None:
        policy = policy_versions().first()
    teams = {team.slug: team for team in Team.objects.filter(slug__in=services.SIDES)}
    can_edit = any(can_edit_team_item(user, t) for t in teams.values())
    context = {
        "policy": policy,
        "versions": policy_versions(),
        "history": policy_history(policy)[:50] if policy is not None else [],
        "can_edit": can_edit,
        "can_approve": {
            side: side in teams and can_approve_for_team(user, teams[side])
            for side in services.SIDES
        },
        "form": PolicyNumbersForm(instance=policy) if policy and policy.is_editable else None,
    }
    return render(request, "sla/policy.html", context)


def _act(request: HttpRequest, policy: SlaPolicy, action: str) -> HttpResponse:
    user = signed_in(request)
    try:
        if action == "new":
            policy = services.sla_policy_new_version(actor=user, source=policy)
        elif action == "propose":
            services.sla_policy_propose(actor=user, policy=policy)
        elif action == "edit":
            form = PolicyNumbersForm(request.POST, instance=SlaPolicy.objects.get(pk=policy.pk))
            if not form.is_valid():
                raise ValidationError([str(e) for errors in form.errors.values() for e in errors])
            terms = dataclasses.replace(terms_of(policy), **form.cleaned_data)
            services.sla_policy_update(actor=user, policy=policy, terms=terms)
        else:
            services.sla_policy_approve(actor=user, policy=policy, side=action)  # type: ignore[arg-type]
    except (ValidationError, PermissionDenied) as exc:
        text = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, text)
    else:
        messages.success(request, _("SLA v%(version)s updated.") % {"version": policy.version})
    return redirect("sla:policy_version", policy_id=policy.pk)


@require_POST
def policy_action(request: HttpRequest, policy_id: int, action: str) -> HttpResponse:
    if action not in ("new", "propose", "edit", *services.SIDES):
        raise Http404(_("No such action."))
    return _act(request, _policy(request, policy_id), action)
