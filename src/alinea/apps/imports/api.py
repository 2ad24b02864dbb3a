"""``/api/imports``: batches of facts per table (idempotent), signed webhook events, the import
history and rollback.

- ``POST /api/imports/{table}`` with a JSON array of fact rows and an ``Idempotency-Key`` header:
  every row is written or none (422 lists every problem by row and column); the same key with the
  same rows answers the first result again and writes nothing; with other rows it is a 409.
- ``POST /api/imports/webhook``: one event signed with HMAC-SHA256 (see ``webhooks``); no token,
  the signature authenticates it. Unsigned, badly signed or stale requests get 401, replays 409.
  Its facts are recorded in the day's ``webhook`` import (see ``received``), which the history
  lists and rollback removes like any other.
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja import Body, Router, Status
from ninja.errors import HttpError

from alinea.apps.accounts.api_auth import api_user
from alinea.apps.imports import received, services, webhooks
from alinea.apps.imports.models import ImportRecord, MappingProfile
from alinea.apps.imports.schemas import (
    BatchOut,
    ImportOut,
    MappingChangeIn,
    MappingCopyIn,
    MappingOut,
    ProblemOut,
    ProblemsOut,
    WebhookOut,
)
from alinea.apps.imports.selectors import (
    MappingChoice,
    get_import_record_for,
    get_mapping_profile_for,
    import_history,
    mapping_choices,
    mapping_named,
)
from alinea.importing import PROFILES
from alinea.warehouse import FACT_TABLES, IngestError
from alinea.web.warehouse import get_warehouse

router = Router()
IDEMPOTENCY_HEADER = "Idempotency-Key"
ROWS = Body(..., description="The fact rows, as JSON objects with the table's columns.")


def _problems(error: IngestError) -> dict[str, Any]:
    problems = [ProblemOut(**vars(p)).dict() for p in error.problems]
    return {"detail": str(error).splitlines()[0], "problems": problems}


def _import_out(record: ImportRecord) -> dict[str, Any]:
    files = [
        {"name": f.name, "sha256": f.sha256, "size": f.size, "format": f.format, "rows": f.rows}
        for f in record.files.all()
    ]
    return {
        **{
            name: getattr(record, name)
            for name in ImportOut.model_fields
            if name not in ("files", "imported_by")
        },
        "imported_by": record.actor_name,
        "files": files,
    }


@router.get("/history", response=list[ImportOut], summary="The import history, newest first")
def history(request: HttpRequest, limit: int = 50) -> list[dict[str, Any]]:
    return [_import_out(r) for r in import_history()[: max(1, min(limit, 500))]]


@router.post(
    "/history/{import_id}/rollback",
    response=ImportOut,
    summary="Roll back a whole import: remove every fact it wrote",
)
def rollback(request: HttpRequest, import_id: int) -> dict[str, Any]:
    user = api_user(request)
    try:
        record = get_import_record_for(user, import_id)
    except ImportRecord.DoesNotExist:
        raise HttpError(404, f"No import {import_id}.") from None
    try:
        done = services.import_rollback(actor=user, record=record, con=get_warehouse())
    except ValidationError as error:
        raise HttpError(409, " ".join(error.messages)) from None
    return _import_out(done)


@router.post(
    "/webhook",
    auth=None,
    response={200: WebhookOut, 422: ProblemsOut},
    summary="Receive one signed event (lead created, stage changed, activity logged, deal updated)",
)
def webhook(request: HttpRequest) -> Any:
    secret = getattr(settings, "ALINEA_WEBHOOK_SECRET", None) or os.environ.get(
        "ALINEA_WEBHOOK_SECRET"
    )
    if not secret:
        raise HttpError(503, "Webhooks are off: set ALINEA_WEBHOOK_SECRET to turn them on.")
    try:
        event, result, record = received.webhook_event_receive(
            con=get_warehouse(), headers=request.headers, body=request.body,
            secret=secret, now=timezone.now(),
        )  # fmt: skip
    except webhooks.WebhookRefused as refused:
        status = 409 if str(refused).startswith("replayed") else 401
        raise HttpError(status, f"Refused: {refused}.") from None
    except IngestError as error:
        return Status(422, _problems(error))
    except ValueError as error:
        raise HttpError(400, str(error)) from None
    return {
        "event": event, "table": result.table, "inserted": result.inserted,
        "import_id": record.pk,
    }  # fmt: skip


# -- saved mappings (declared before "/{table}", which would take their paths) ---------------


def _mapping_out(choice: MappingChoice) -> dict[str, Any]:
    return {
        "name": choice.name, "description": choice.description, "built_in": choice.built_in,
        "based_on": choice.profile.based_on if choice.profile else "",
        "updated_at": choice.profile.updated_at if choice.profile else None,
        "definition": choice.mapping.to_dict(),
    }  # fmt: skip


def _saved(request: HttpRequest, name: str) -> MappingProfile:
    if name in PROFILES:
        raise HttpError(403, f"{name} is a built-in profile: read-only; copy it to edit it.")
    try:
        return get_mapping_profile_for(api_user(request), name)
    except MappingProfile.DoesNotExist:
        raise HttpError(404, f"No mapping {name!r}.") from None


def _refused(error: ValidationError) -> HttpError:
    return HttpError(422, " ".join(error.messages))


@router.get("/mappings", response=list[MappingOut], summary="Built-in profiles and saved mappings")
def mappings(request: HttpRequest) -> list[dict[str, Any]]:
    return [_mapping_out(c) for c in mapping_choices()]


@router.get("/mappings/{name}", response=MappingOut, summary="One mapping, in full")
def mapping(request: HttpRequest, name: str) -> dict[str, Any]:
    found = next((c for c in mapping_choices() if c.name == name), None)
    if found is None:
        raise HttpError(404, f"No mapping {name!r}.")
    return _mapping_out(found)


@router.post(
    "/mappings",
    response={201: MappingOut},
    summary="Save a copy of a built-in profile or of a saved mapping, to edit it",
)
def mapping_copy(request: HttpRequest, body: MappingCopyIn) -> Any:
    try:
        source = mapping_named(body.copy_of)
    except KeyError:
        raise HttpError(404, f"No mapping {body.copy_of!r} to copy.") from None
    try:
        profile = services.mapping_profile_copy(
            actor=api_user(request), source=source, name=body.name
        )
    except ValidationError as error:
        raise _refused(error) from None
    return Status(201, _mapping_out(MappingChoice.of(profile)))


@router.patch(
    "/mappings/{name}", response=MappingOut, summary="Rename a saved mapping or replace its rules"
)
def mapping_change(request: HttpRequest, name: str, body: MappingChangeIn) -> dict[str, Any]:
    profile, actor = _saved(request, name), api_user(request)
    try:
        with transaction.atomic():
            if body.definition is not None:
                services.mapping_profile_update(
                    actor=actor, profile=profile, definition=body.definition
                )
            if body.name is not None and body.name != profile.name:
                services.mapping_profile_rename(actor=actor, profile=profile, name=body.name)
    except ValidationError as error:
        raise _refused(error) from None
    return _mapping_out(MappingChoice.of(profile))


@router.delete("/mappings/{name}", response={204: None}, summary="Delete a saved mapping")
def mapping_delete(request: HttpRequest, name: str) -> Any:
    services.mapping_profile_delete(actor=api_user(request), profile=_saved(request, name))
    return Status(204, None)


@router.post(
    "/{table}",
    response={200: BatchOut, 422: ProblemsOut},
    summary="Append a batch of facts to one fact table (all or nothing, idempotent)",
)
def batch(request: HttpRequest, table: str, rows: list[dict[str, Any]] = ROWS) -> Any:
    user = api_user(request)
    if table not in FACT_TABLES:
        raise HttpError(404, f"No fact table {table!r}; the tables are: {', '.join(FACT_TABLES)}.")
    key = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
    if not key or len(key) > 255:
        raise HttpError(400, f"Send an {IDEMPOTENCY_HEADER} header (1–255 characters) per batch.")
    try:
        sent, replayed = received.api_batch_ingest(
            actor=user, con=get_warehouse(), table=table, rows=rows, key=key
        )
    except IngestError as error:
        return Status(422, _problems(error))
    except received.IdempotencyConflict as conflict:
        raise HttpError(409, str(conflict)) from None
    counts = sent.record.counts[table]
    return {
        "table": table,
        "received": counts["facts"],
        "inserted": 0 if replayed else counts["inserted"],
        "already_present": counts["facts"] - (0 if replayed else counts["inserted"]),
        "batch_id": sent.record.batch_id,
        "import_id": sent.record.pk,
        "replayed": replayed,
    }
