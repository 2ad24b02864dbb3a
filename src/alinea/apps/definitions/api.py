"""``/api/definitions``: stage definitions (read, write a draft, propose, approve), the diff
between versions, the backtest beside the active version and why a lead is (not) at a stage."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pandas as pd
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.errors import HttpError

from alinea.apps.accounts.api_auth import api_user
from alinea.apps.accounts.models import User
from alinea.apps.definitions import services
from alinea.apps.definitions.models import StageDefinition
from alinea.apps.definitions.schemas import (
    ApproveIn,
    BacktestQuery,
    CreateIn,
    DefinitionOut,
    DiffOut,
    EditIn,
    ExplainQuery,
    ExplanationOut,
    StageOut,
)
from alinea.apps.definitions.selectors import (
    active_definition,
    definition_backtest,
    definition_spec,
    definition_versions,
    get_stage_definition_for,
    lead_explanation,
    previous_version,
    stage_overview,
    version_diff,
)
from alinea.web.warehouse import get_warehouse

router = Router()


def _name(user: User | None) -> str | None:
    return user.get_username() if user is not None else None


def definition_out(definition: StageDefinition) -> dict[str, Any]:
    return {
        "id": definition.pk,
        "stage": definition.stage,
        "version": definition.version,
        "status": definition.status,
        "note": definition.note,
        "document": definition.document,
        "criteria": list(definition_spec(definition).criterion_names),
        "created_by": _name(definition.created_by),
        "created_at": definition.created_at,
        "proposed_at": definition.proposed_at,
        "marketing_approved_by": _name(definition.marketing_approved_by),
        "marketing_approved_at": definition.marketing_approved_at,
        "sales_approved_by": _name(definition.sales_approved_by),
        "sales_approved_at": definition.sales_approved_at,
        "activated_at": definition.activated_at,
        "retired_at": definition.retired_at,
    }


def _definition(request: HttpRequest, definition_id: int) -> StageDefinition:
    try:
        return get_stage_definition_for(api_user(request), definition_id)
    except StageDefinition.DoesNotExist:
        raise Http404(f"No definition version with id {definition_id}.") from None


def _invalid(exc: ValidationError) -> HttpError:
    """Lifecycle conflicts (wrong status) are 409, invalid content 400."""
    codes = {getattr(e, "code", None) for e in exc.error_list} if hasattr(exc, "error_list") else ()
    return HttpError(409 if "state" in codes else 400, "; ".join(exc.messages))


def _now(value: dt.datetime | None) -> dt.datetime:
    if value is not None and value.tzinfo is None:
        raise HttpError(422, "now must carry a time zone, e.g. 2025-06-02T10:00:00Z")
    return value or timezone.now()


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = json.loads(frame.to_json(orient="records", date_format="iso"))
    return records


@router.get("/", response=list[StageOut], summary="Every stage with a definition")
def stages(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "stage": row["stage"],
            "active": row["active"] and definition_out(row["active"]),
            "latest": definition_out(row["latest"]),
        }
        for row in stage_overview()
    ]


@router.get(
    "/stages/{stage}/versions",
    response=list[DefinitionOut],
    summary="Every version of one stage's definition, newest first",
)
def stage_versions(request: HttpRequest, stage: str) -> list[dict[str, Any]]:
    return [definition_out(d) for d in definition_versions(stage).order_by("-version")]


@router.get("/versions/{definition_id}", response=DefinitionOut, summary="One version")
def detail(request: HttpRequest, definition_id: int) -> dict[str, Any]:
    return definition_out(_definition(request, definition_id))


@router.get(
    "/versions/{definition_id}/diff",
    response=DiffOut,
    summary="What changed against another version (the previous one by default)",
)
def diff(request: HttpRequest, definition_id: int, against: int | None = None) -> dict[str, Any]:
    new = _definition(request, definition_id)
    old = _definition(request, against) if against is not None else previous_version(new)
    if old is None:
        raise HttpError(409, f"{new.label} is the first version: there is nothing to compare.")
    return {"old": old.pk, "new": new.pk, "lines": version_diff(old, new)}


@router.post("/versions", response={201: DefinitionOut}, summary="Write a new draft version")
def create(request: HttpRequest, body: CreateIn) -> Status[dict[str, Any]]:
    try:
        created = services.definition_create(
            actor=api_user(request), stage=body.stage, document=body.document, note=body.note
        )
    except ValidationError as exc:
        raise _invalid(exc) from None
    return Status(201, definition_out(created))


@router.put(
    "/versions/{definition_id}",
    response=DefinitionOut,
    summary="Change a draft or proposed version (a proposed one goes back to draft, unsigned)",
)
def edit(request: HttpRequest, definition_id: int, body: EditIn) -> dict[str, Any]:
    try:
        changed = services.definition_update(
            actor=api_user(request),
            definition=_definition(request, definition_id),
            document=body.document,
            note=body.note,
        )
    except ValidationError as exc:
        raise _invalid(exc) from None
    return definition_out(changed)


@router.post("/versions/{definition_id}/propose", response=DefinitionOut, summary="Propose")
def propose(request: HttpRequest, definition_id: int) -> dict[str, Any]:
    try:
        proposed = services.definition_propose(
            actor=api_user(request), definition=_definition(request, definition_id)
        )
    except ValidationError as exc:
        raise _invalid(exc) from None
    return definition_out(proposed)


@router.post(
    "/versions/{definition_id}/approve",
    response=DefinitionOut,
    summary="Sign a proposed version for your team (active once both sides signed)",
)
def approve(request: HttpRequest, definition_id: int, body: ApproveIn) -> dict[str, Any]:
    try:
        approved = services.definition_approve(
            actor=api_user(request), definition=_definition(request, definition_id), side=body.side
        )
    except ValidationError as exc:
        raise _invalid(exc) from None
    return definition_out(approved)


@router.get(
    "/versions/{definition_id}/backtest",
    summary="The version replayed over past months, beside the active one",
)
def backtest(
    request: HttpRequest, definition_id: int, query: Query[BacktestQuery]
) -> dict[str, Any]:
    if not 1 <= query.months <= 36:
        raise HttpError(400, "months must be between 1 and 36")
    now = _now(query.now)
    result = definition_backtest(
        get_warehouse(), _definition(request, definition_id), months=query.months, now=now
    )
    return {
        "now": now,
        "versions": result.versions,
        "months": _records(result.months),
        "recall": _records(result.recall),
        "rep_load": _records(result.rep_load),
    }


@router.get(
    "/stages/{stage}/leads/{lead_id}",
    response=ExplanationOut,
    summary="Why a lead is or is not at the stage now, under the active version",
)
def explain(
    request: HttpRequest, stage: str, lead_id: str, query: Query[ExplainQuery]
) -> dict[str, Any]:
    current = active_definition(stage)
    if current is None:
        raise HttpError(409, f"No {stage} definition is active yet.")
    result = lead_explanation(get_warehouse(), current, lead_id=lead_id, now=_now(query.now))
    if not result.found:
        raise Http404(f"No lead {lead_id} existed at that time.")
    return {
        "lead_id": result.lead_id,
        "version": result.version,
        "qualified": result.qualified,
        "score": result.score,
        "reasons": [{"criterion": c, "met": m} for c, m in result.reasons],
        "factors": [{"factor": f, "points": p} for f, p in result.factors],
    }
