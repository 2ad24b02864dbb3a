"""The definitions pages: every stage, one version (criteria in plain words, signatures, history,
diff, backtest) with its lifecycle buttons, and the rule builder for a draft. Thin: permissions,
forms, rendering; numbers come from selectors, writes from services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alinea.apps.accounts.models import Team, User
from alinea.apps.accounts.permissions import can_approve_for_team, can_edit_team_item
from alinea.apps.definitions import services
from alinea.apps.definitions.charts import backtest_chart
from alinea.apps.definitions.forms import (
    ROWS,
    RuleBuilderForm,
    document_rows,
    initial_from_document,
    submitted_rows,
    with_added_row,
)
from alinea.apps.definitions.models import STAGES, StageDefinition
from alinea.apps.definitions.plain import plain_definition
from alinea.apps.definitions.selectors import (
    active_definition,
    definition_backtest,
    definition_history,
    definition_spec,
    definition_versions,
    get_stage_definition_for,
    lead_explanation,
    previous_version,
    stage_overview,
    version_diff,
)
from alinea.web.warehouse import get_warehouse

BACKTEST_MONTHS, MAX_MONTHS = 12, 36
ACTIONS = ("new", "propose", *services.SIDES)


def _signed_in(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def _definition(request: HttpRequest, definition_id: int) -> StageDefinition:
    try:
        return get_stage_definition_for(_signed_in(request), definition_id)
    except StageDefinition.DoesNotExist:
        raise Http404(_("No such definition version.")) from None


def _rights(user: User) -> dict[str, Any]:
    teams = {team.slug: team for team in Team.objects.filter(slug__in=services.SIDES)}
    return {
        "can_edit": any(can_edit_team_item(user, t) for t in teams.values()),
        "can_approve": {
            side: side in teams and can_approve_for_team(user, teams[side])
            for side in services.SIDES
        },
    }


def index_page(request: HttpRequest) -> HttpResponse:
    user = _signed_in(request)
    overview = stage_overview()
    defined = {row["stage"] for row in overview}
    context = {
        "stages": overview,
        "undefined": [s for s in STAGES if s not in defined],
        **_rights(user),
    }
    return render(request, "definitions/index.html", context)


def _months(request: HttpRequest) -> int:
    """The backtest span (``?months=``, 1 to 36; 12 by default)."""
    text = request.GET.get("months", "")
    return int(text) if text.isdigit() and 1 <= int(text) <= MAX_MONTHS else BACKTEST_MONTHS


def _as_of(request: HttpRequest) -> dt.date | None:
    """The day the backtest is replayed from (``?as_of=YYYY-MM-DD``; today when absent or
    unreadable), as the API's ``now`` is."""
    try:
        return dt.date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        return None


def lead_page(request: HttpRequest) -> HttpResponse:
    """Why a lead is or is not at a stage right now, under the stage's active version."""
    _signed_in(request)
    stage = request.GET.get("stage", "mql")
    lead_id = request.GET.get("lead_id", "").strip()
    active = active_definition(stage) if stage in STAGES else None
    explanation = None
    if active is not None and lead_id:
        explanation = lead_explanation(get_warehouse(), active, lead_id=lead_id, now=timezone.now())
    context = {
        "stages": STAGES,
        "stage": stage,
        "lead_id": lead_id,
        "active": active,
        "explanation": explanation,
    }
    return render(request, "definitions/lead.html", context)


def _backtest(definition: StageDefinition, months: int, as_of: dt.date | None) -> dict[str, Any]:
    """The backtest at the last second (UTC) of ``as_of``, or now."""
    now = timezone.now()
    if as_of is not None:
        now = dt.datetime.combine(as_of, dt.time(23, 59, 59), dt.UTC)
    result = definition_backtest(get_warehouse(), definition, months=months, now=now)
    rows = result.months.to_dict("records")
    return {
        "months": rows,
        "recall": result.recall.to_dict("records"),
        "chart": backtest_chart(result.months) if rows else "",
    }


def version_page(request: HttpRequest, definition_id: int) -> HttpResponse:
    user = _signed_in(request)
    definition = _definition(request, definition_id)
    previous = previous_version(definition)
    months = _months(request)
    as_of = _as_of(request)
    context = {
        "definition": definition,
        "plain": plain_definition(definition_spec(definition)),
        "versions": definition_versions(definition.stage).order_by("-version"),
        "history": definition_history(definition)[:50],
        "previous": previous,
        "diff": version_diff(previous, definition) if previous is not None else None,
        "backtest": _backtest(definition, months, as_of),
        "backtest_months": months,
        "backtest_as_of": as_of,
        "month_choices": (3, 6, 12, 24, 36),
        **_rights(user),
    }
    return render(request, "definitions/version.html", context)


def _saved(request: HttpRequest, definition: StageDefinition) -> HttpResponse:
    messages.success(request, _("%(label)s saved.") % {"label": definition.label})
    return redirect("definitions:version", definition_id=definition.pk)


def _builder_form(request: HttpRequest, definition: StageDefinition) -> RuleBuilderForm:
    """The stored rules; what was submitted; or, for ``add=<kind>`` (the "add a row" button
    without JavaScript), what was typed so far with one more row of that kind, saving nothing."""
    if request.method != "POST":
        initial = initial_from_document(definition.document, definition.note)
        return RuleBuilderForm(initial=initial, rows=document_rows(definition.document))
    kind = request.POST.get("add", "")
    if kind in ROWS:
        rows = with_added_row(submitted_rows(request.POST), kind)
        return RuleBuilderForm(initial=request.POST.dict(), rows=rows)
    return RuleBuilderForm(request.POST)


def edit_page(request: HttpRequest, definition_id: int) -> HttpResponse:
    user = _signed_in(request)
    definition = _definition(request, definition_id)
    if not definition.is_editable:
        messages.error(request, _("Only a draft or a proposed version can be changed."))
        return redirect("definitions:version", definition_id=definition.pk)
    form = _builder_form(request, definition)
    if form.is_bound and form.is_valid():
        try:
            services.definition_update(
                actor=user,
                definition=definition,
                document=form.document,
                note=form.cleaned_data["note"],
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, "; ".join(getattr(exc, "messages", [str(exc)])))
        else:
            return _saved(request, definition)
    context = {
        "definition": definition,
        "form": form,
    }
    return render(request, "definitions/edit.html", context)


@require_POST
def new_draft(request: HttpRequest, stage: str) -> HttpResponse:
    """A first draft of a stage without a definition (every lead created counts), to be edited."""
    user = _signed_in(request)
    if stage not in STAGES:
        raise Http404(_("No such stage."))
    document = {"engagement": [{"source": "touchpoints", "at_least": 1, "window_days": 30}]}
    try:
        created = services.definition_create(actor=user, stage=stage, document=document)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "; ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("definitions:index")
    return redirect("definitions:edit", definition_id=created.pk)


@require_POST
def version_action(request: HttpRequest, definition_id: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404(_("No such action."))
    user = _signed_in(request)
    definition = _definition(request, definition_id)
    try:
        if action == "new":
            definition = services.definition_new_version(actor=user, source=definition)
            return redirect("definitions:edit", definition_id=definition.pk)
        if action == "propose":
            services.definition_propose(actor=user, definition=definition)
        else:
            services.definition_approve(actor=user, definition=definition, side=action)  # type: ignore[arg-type]
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "; ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("definitions:version", definition_id=definition.pk)
    return _saved(request, definition)
