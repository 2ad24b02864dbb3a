"""The SLA pages: scorecard, the rep's MQL inbox and the agreement. Thin: permissions, forms,
rendering; numbers come from selectors, writes from services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alinea.apps.accounts.models import User
from alinea.apps.sla import charts, scorecard_tables
from alinea.apps.sla.forms import AttemptForm, DispositionForm
from alinea.apps.sla.inbox import contact_attempt_record, mql_disposition_record
from alinea.apps.sla.labels import CLOCK_LABELS, STATUS_LABELS
from alinea.apps.sla.scorecard import scorecard_for
from alinea.apps.sla.selectors import active_spec, inbox_for
from alinea.web.warehouse import get_warehouse

EVERY = ("week", "month")


def signed_in(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def scorecard_page(request: HttpRequest) -> HttpResponse:
    every = request.GET.get("every", "week")
    if every not in EVERY:
        raise Http404(_("Periods are weeks or months."))
    policy = active_spec()
    if policy is None:
        return render(request, "sla/no_policy.html", status=200)
    con = get_warehouse()
    card = scorecard_for(con, policy, now=timezone.now(), every=every)  # type: ignore[arg-type]
    context: dict[str, Any] = {
        "card": card,
        "every": every,
        "policy": policy,
        "tables": scorecard_tables.tables(con, card),
        "charts": {
            "delivery": charts.delivery_chart(card),
            "acceptance": charts.acceptance_chart(card),
            "compliance": charts.compliance_chart(card),
            "histogram": charts.histogram_chart(card),
            "pareto": charts.pareto_chart(card),
        },
    }
    return render(request, "sla/scorecard.html", context)


def inbox_page(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    policy = active_spec()
    if policy is None:
        return render(request, "sla/no_policy.html")
    items = []
    if user.person_id:
        items = inbox_for(get_warehouse(), policy, person_id=user.person_id, now=timezone.now())
    context = {
        "items": [
            {
                "item": item,
                "clock_label": CLOCK_LABELS[item.clock],
                "status_label": STATUS_LABELS[item.status],
            }
            for item in items
        ],
        "linked": bool(user.person_id),
        "reject_reasons": policy.recycling.agreed("rejected"),
        "recycle_reasons": policy.recycling.agreed("recycled"),
        "attempt_form": AttemptForm(),
        "policy": policy,
    }
    return render(request, "sla/inbox.html", context)


def _fail(request: HttpRequest, exc: Exception) -> None:
    text = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    messages.error(request, text or _("You are not allowed to do this."))


@require_POST
def inbox_decide(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    form = DispositionForm(request.POST)
    policy = active_spec()
    if policy is None or not form.is_valid():
        messages.error(request, _("Choose a decision, and a reason to reject or recycle."))
        return redirect("sla:inbox")
    data = form.cleaned_data
    try:
        mql_disposition_record(
            actor=user,
            con=get_warehouse(),
            policy=policy,
            lead_id=data["lead_id"],
            outcome=data["outcome"],
            reason=data["reason"],
            now=timezone.now(),
        )
    except (ValidationError, PermissionDenied) as exc:
        _fail(request, exc)
    else:
        messages.success(
            request, _("Lead %(lead)s: decision recorded.") % {"lead": data["lead_id"]}
        )
    return redirect("sla:inbox")


@require_POST
def inbox_attempt(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    form = AttemptForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the kind of contact."))
        return redirect("sla:inbox")
    data = form.cleaned_data
    try:
        contact_attempt_record(
            actor=user,
            con=get_warehouse(),
            lead_id=data["lead_id"],
            kind=data["kind"],
            outcome=data["outcome"],
            now=timezone.now(),
        )
    except (ValidationError, PermissionDenied) as exc:
        _fail(request, exc)
    else:
        messages.success(
            request, _("Lead %(lead)s: contact attempt logged.") % {"lead": data["lead_id"]}
        )
    return redirect("sla:inbox")
