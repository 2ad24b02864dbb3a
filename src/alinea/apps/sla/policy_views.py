"""The agreement pages: the version in force, every version with its signatures and history, and
the lifecycle actions (new version, edit a draft's terms, propose, approve)."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from alinea.apps.accounts.models import Team
from alinea.apps.accounts.permissions import can_approve_for_team, can_edit_team_item
from alinea.apps.sla import services
from alinea.apps.sla.forms import PolicyNumbersForm
from alinea.apps.sla.models import SlaPolicy
from alinea.apps.sla.policy_forms import PREFIXES, posted, rows_as_terms, term_formsets
from alinea.apps.sla.selectors import (
    active_policy,
    get_sla_policy_for,
    policy_history,
    policy_versions,
)
from alinea.apps.sla.terms import PolicyTerms, terms_of
from alinea.apps.sla.views import signed_in


def _policy(request: HttpRequest, policy_id: int) -> SlaPolicy:
    try:
        return get_sla_policy_for(signed_in(request), policy_id)
    except SlaPolicy.DoesNotExist:
        raise Http404(_("No such SLA version.")) from None


FORMSET_TITLES = {
    "targets": _lazy("Marketing delivers: targets"),
    "reasons": _lazy("Agreed reasons to reject or recycle"),
    "calendars": _lazy("Business calendars"),
}


def _editing_forms(policy: SlaPolicy | None, data: Any = None) -> dict[str, Any]:
    if policy is None or not policy.is_editable:
        return {}
    current = terms_of(policy)
    rows = term_formsets(current.targets, current.reasons, current.calendars, data)
    return {
        "form": PolicyNumbersForm(data, instance=SlaPolicy.objects.get(pk=policy.pk)),
        "formsets": [(prefix, FORMSET_TITLES[prefix], rows[prefix]) for prefix in PREFIXES],
        **rows,
    }


def _render(
    request: HttpRequest, policy: SlaPolicy | None, forms: dict[str, Any], status: int = 200
) -> HttpResponse:
    user = signed_in(request)
    teams = {team.slug: team for team in Team.objects.filter(slug__in=services.SIDES)}
    context = {
        "policy": policy,
        "versions": policy_versions(),
        "history": policy_history(policy)[:50] if policy is not None else [],
        "can_edit": any(can_edit_team_item(user, t) for t in teams.values()),
        "can_approve": {
            side: side in teams and can_approve_for_team(user, teams[side])
            for side in services.SIDES
        },
        "form": None,
        **forms,
    }
    return render(request, "sla/policy.html", context, status=status)


def policy_page(request: HttpRequest, policy_id: int | None = None) -> HttpResponse:
    signed_in(request)
    policy = _policy(request, policy_id) if policy_id is not None else active_policy()
    if policy is None:
        policy = policy_versions().first()
    return _render(request, policy, _editing_forms(policy))


def _edited_terms(policy: SlaPolicy, forms: dict[str, Any], data: Any) -> PolicyTerms | None:
    """The draft's new terms, or ``None`` when a form has errors (shown beside its fields)."""
    present = [prefix for prefix in PREFIXES if posted(data, prefix)]
    if not all(forms[name].is_valid() for name in ["form", *present]):
        return None
    rows: dict[str, Any] = {
        prefix: rows_as_terms(prefix, forms[prefix].rows()) for prefix in present
    }
    return dataclasses.replace(terms_of(policy), **forms["form"].cleaned_data, **rows)


@require_POST
def policy_edit(request: HttpRequest, policy_id: int) -> HttpResponse:
    """Save a draft's terms; with errors the page comes back with them, nothing saved."""
    user = signed_in(request)
    policy = _policy(request, policy_id)
    if not policy.is_editable:
        messages.error(request, _("Only a draft or proposed version can be changed."))
        return redirect("sla:policy_version", policy_id=policy.pk)
    forms = _editing_forms(policy, request.POST)
    terms = _edited_terms(policy, forms, request.POST)
    if terms is None:
        messages.error(request, _("The draft was not saved: correct the fields marked below."))
        return _render(request, policy, forms, status=400)
    try:
        services.sla_policy_update(actor=user, policy=policy, terms=terms)
    except (ValidationError, PermissionDenied) as exc:
        text = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, text)
        return _render(request, policy, forms, status=400)
    messages.success(request, _("SLA v%(version)s updated.") % {"version": policy.version})
    return redirect("sla:policy_version", policy_id=policy.pk)


def _act(request: HttpRequest, policy: SlaPolicy, action: str) -> HttpResponse:
    user = signed_in(request)
    try:
        if action == "new":
            policy = services.sla_policy_new_version(actor=user, source=policy)
        elif action == "propose":
            services.sla_policy_propose(actor=user, policy=policy)
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
    if action not in ("new", "propose", *services.SIDES):
        raise Http404(_("No such action."))
    return _act(request, _policy(request, policy_id), action)
