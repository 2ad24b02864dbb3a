"""Writes of the imports app: record an import, roll one back, save and edit mappings.

Atomic and audited. ``actor=None`` is the system (the CLI, the demo); ``actor_name`` then says
who ran it (the operating-system user). Rolling back and saving mappings need a member of a team
(or an admin): imported facts are shared by both teams.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from ibis.backends import BaseBackend

from alinea import importing
from alinea.apps.accounts.models import Team, User
from alinea.apps.accounts.permissions import can_edit_team_item
from alinea.apps.audit.services import audit_record, snapshot
from alinea.apps.imports import webhooks
from alinea.apps.imports.models import (
    ApiBatch,
    ImportFile,
    ImportRecord,
    MappingProfile,
    Source,
    Status,
    WebhookNonce,
)
from alinea.warehouse import IngestResult, ingest, rollback_batch

#: Skipped rows kept in full on the record; beyond it they are only counted.
SKIPPED_KEPT = 1_000


def can_import(actor: User | None) -> bool:
    """Whether ``actor`` may import, roll back and save mappings (``None``: the system)."""
    return actor is None or any(can_edit_team_item(actor, team) for team in Team.objects.all())


def _require_writer(actor: User | None, what: str) -> None:
    if not can_import(actor):
        raise PermissionDenied(f"only members of a team may {what}")


def _name(actor: User | None, actor_name: str) -> str:
    return actor.get_username() if actor is not None else actor_name


def import_record_create(
    *,
    actor: User | None,
    record: importing.ImportRecord,
    source: Source | str,
    actor_name: str = "",
) -> ImportRecord:
    """Keep the record of a committed import (``alinea.importing.commit``'s result)."""
    row = ImportRecord(
        actor=actor,
        actor_name=_name(actor, actor_name or record.user or ""),
        source=source,
        started_at=record.started_at,
        finished_at=record.finished_at,
        batch_id=record.batch_id,
        status=record.status,
        mapping_name=record.mapping_name,
        mapping=record.mapping,
        counts={t: {"facts": r.facts, "inserted": r.inserted} for t, r in record.tables.items()},
        skipped_rows=record.skipped_rows,
        skipped=[p.to_dict() for p in record.skipped[:SKIPPED_KEPT]],
        notes=list(record.notes),
    )
    with transaction.atomic():
        row.full_clean()
        row.save()
        for file in record.files:
            ImportFile(
                record=row,
                name=file.name[:255],
                sha256=file.sha256,
                size=file.size,
                format=file.format,
                rows=file.rows,
                details=file.details,
            ).save()
        audit_record(
            actor=actor, action="import_record_create", instance=row, before=None,
            summary=f"{record.status}: {row.inserted} facts, batch {record.batch_id}",
        )  # fmt: skip
    return row


def import_run(
    *,
    actor: User | None,
    con: BaseBackend,
    paths: list[Any],
    mapping: importing.Mapping | str,
    source: Source | str,
    skip_bad_rows: bool = False,
    options: importing.ReadOptions | None = None,
    progress: importing.run.Progress | None = None,
    actor_name: str = "",
) -> ImportRecord:
    """Commit files to the warehouse (all or nothing) and record the import.

    Raises ``alinea.importing.ImportRefused`` (nothing written, nothing recorded) when the files
    have problems that the choices do not allow to skip.
    """
    _require_writer(actor, "import data")
    user = _name(actor, actor_name)
    record = importing.commit(
        con, paths, mapping, skip_bad_rows=skip_bad_rows, user=user or None,
        options=options, progress=progress,
    )  # fmt: skip
    return import_record_create(actor=actor, record=record, source=source, actor_name=user)


def import_rollback(
    *, actor: User | None, record: ImportRecord, con: BaseBackend, actor_name: str = ""
) -> ImportRecord:
    """Remove every fact the import wrote from the warehouse and mark the record rolled back."""
    _require_writer(actor, "roll back an import")
    if not record.can_roll_back:
        raise ValidationError(
            f"this import is {record.get_status_display()}; only an import that wrote facts "
            "can be rolled back"
        )
    with transaction.atomic():
        locked = ImportRecord.objects.select_for_update().get(pk=record.pk)
        before = snapshot(locked)
        removed = rollback_batch(con, locked.batch_id)
        locked.status = Status.ROLLED_BACK
        locked.rolled_back_at = timezone.now()
        locked.rolled_back_by = _name(actor, actor_name)
        locked.removed = {t: n for t, n in removed.items() if n}
        locked.full_clean()
        locked.save()
        audit_record(actor=actor, action="import_rollback", instance=locked, before=before)
    return locked


def mapping_profile_copy(
    *, actor: User | None, source: importing.Mapping, name: str
) -> MappingProfile:
    """Save an editable copy of ``source`` (a built-in profile or a saved one) as ``name``."""
    _require_writer(actor, "save a mapping")
    copy = source.to_dict() | {"name": name}
    profile = MappingProfile(name=name, based_on=source.name, definition=copy, created_by=actor)
    with transaction.atomic():
        profile.full_clean()
        profile.save()
        audit_record(actor=actor, action="mapping_profile_copy", instance=profile, before=None)
    return profile


def mapping_profile_update(
    *, actor: User | None, profile: MappingProfile, definition: dict[str, Any]
) -> MappingProfile:
    """Replace a saved mapping's definition (its name stays the profile's)."""
    _require_writer(actor, "edit a mapping")
    with transaction.atomic():
        before = snapshot(profile)
        profile.definition = definition | {"name": profile.name}
        profile.updated_at = timezone.now()
        profile.full_clean()
        profile.save()
        audit_record(actor=actor, action="mapping_profile_update", instance=profile, before=before)
    return profile


def mapping_profile_delete(*, actor: User | None, profile: MappingProfile) -> None:
    """Forget a saved mapping (imports made with it keep the mapping they used)."""
    _require_writer(actor, "delete a mapping")
    with transaction.atomic():
        audit_record(
            actor=actor, action="mapping_profile_delete", instance=profile,
            before=snapshot(profile), deleted=True,
        )  # fmt: skip
        profile.delete()


class IdempotencyConflict(ValueError):
    """An idempotency key already used for other rows (or another table)."""


def api_batch_ingest(
    *, actor: User, con: BaseBackend, table: str, rows: list[dict[str, Any]], key: str
) -> tuple[ApiBatch, bool]:
    """Ingest a batch of facts sent through the API under an idempotency key, all or nothing.

    Returns the batch and whether it is a replay (the key was used before with the same rows, so
    nothing is written again). Raises ``IngestError`` (nothing written, the key stays unused) for
    invalid rows and ``IdempotencyConflict`` for a key used before with other rows.
    """
    _require_writer(actor, "import data")
    digest = hashlib.sha256(json.dumps(rows, sort_keys=True, default=str).encode()).hexdigest()
    earlier = _earlier_batch(actor, key, table, digest)
    if earlier is not None:
        return earlier, True
    started = timezone.now()
    batch_id = f"api-{uuid.uuid4().hex[:20]}"
    result = ingest(con, table, rows, batch_id=batch_id)
    record = importing.ImportRecord(
        batch_id=batch_id,
        status="imported" if result.inserted else "unchanged",
        mapping_name=f"api:{table}",
        mapping={"api": table},
        user=actor.get_username(),
        started_at=started,
        finished_at=timezone.now(),
        files=(),
        tables={table: importing.TableResult(table, result.received, result.inserted)},
    )
    try:
        with transaction.atomic():
            row = import_record_create(actor=actor, record=record, source=Source.API)
            batch = ApiBatch(actor=actor, key=key, table=table, body_sha256=digest, record=row)
            batch.full_clean(validate_constraints=False)
            batch.save()
    except IntegrityError:  # the same key, sent twice at once: the other request recorded it
        earlier = _earlier_batch(actor, key, table, digest)
        if earlier is None:
            raise
        return earlier, True
    return batch, False


def _earlier_batch(actor: User, key: str, table: str, digest: str) -> ApiBatch | None:
    earlier = ApiBatch.objects.select_related("record").filter(actor=actor, key=key).first()
    if earlier is None:
        return None
    if (earlier.table, earlier.body_sha256) != (table, digest):
        raise IdempotencyConflict(
            f"the idempotency key {key!r} was already used for other rows"
            + ("" if earlier.table == table else f" of {earlier.table}")
            + "; use a new key for a new batch"
        )
    return earlier


def webhook_event_receive(
    *,
    con: BaseBackend,
    headers: Mapping[str, str],
    body: bytes,
    secret: str,
    now: dt.datetime,
) -> tuple[str, IngestResult]:
    """Check a signed webhook request (see ``webhooks``), refuse replays, ingest its fact.

    Returns the event name and the ingest result. Raises ``WebhookRefused`` (unsigned, badly
    signed, stale or replayed), ``ValueError`` for a body that is not an event, and
    ``IngestError`` for a fact that is not valid (nothing written; the nonce stays unused).
    Facts are tagged with the batch ``webhook-<day>`` of the day received.
    """
    nonce, _ = webhooks.check_signed(headers, body, secret=secret, now=now)
    event, data = _event(body)
    with transaction.atomic():
        WebhookNonce.objects.filter(received_at__lt=now - 2 * webhooks.TOLERANCE).delete()
        _, created = WebhookNonce.objects.get_or_create(nonce=nonce, defaults={"received_at": now})
        if not created:
            raise webhooks.WebhookRefused("replayed request: this nonce was already used")
        result = ingest(con, webhooks.EVENTS[event], [data], batch_id=f"webhook-{now:%Y-%m-%d}")
    return event, result


def _event(body: bytes) -> tuple[str, dict[str, Any]]:
    try:
        payload = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ValueError("the body is not JSON") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("data"), dict):
        raise ValueError('the body must be {"event": …, "data": {…one fact…}}')
    event = payload.get("event")
    if event not in webhooks.EVENTS:
        raise ValueError(f"unknown event {event!r}; the events are: {', '.join(webhooks.EVENTS)}")
    return event, payload["data"]
