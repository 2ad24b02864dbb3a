"""Writes for facts that arrive over HTTP: API batches and signed webhook events.

Both are recorded like file imports, so that they show in the history and roll back as a whole:
an API batch is one import of its caller (the token's user); webhook events are gathered in one
import per day received, by ``webhook`` (the shared secret is the sender's only identity), whose
counts grow with every event. Once that import is rolled back, the next event starts a new one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from ibis.backends import BaseBackend

from alinea import importing
from alinea.apps.accounts.models import User
from alinea.apps.imports import webhooks
from alinea.apps.imports.models import ApiBatch, ImportRecord, Source, Status, WebhookNonce
from alinea.apps.imports.services import import_record_create, require_importer
from alinea.warehouse import IngestResult, ingest

#: Who the history names for facts received through the webhook.
WEBHOOK_SENDER = "webhook"


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
    require_importer(actor, "import data")
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
) -> tuple[str, IngestResult, ImportRecord]:
    """Check a signed webhook request (see ``webhooks``), refuse replays, ingest its fact and
    count it in the day's webhook import.

    Returns the event name, the ingest result and the import it is recorded in. Raises
    ``WebhookRefused`` (unsigned, badly signed, stale or replayed), ``ValueError`` for a body that
    is not an event, and ``IngestError`` for a fact that is not valid (nothing written or
    recorded; the nonce stays unused).
    """
    nonce, _ = webhooks.check_signed(headers, body, secret=secret, now=now)
    event, data = _event(body)
    table = webhooks.EVENTS[event]
    with transaction.atomic():
        WebhookNonce.objects.filter(received_at__lt=now - 2 * webhooks.TOLERANCE).delete()
        _, created = WebhookNonce.objects.get_or_create(nonce=nonce, defaults={"received_at": now})
        if not created:
            raise webhooks.WebhookRefused("replayed request: this nonce was already used")
        record = _webhook_record(now, table)
        result = ingest(con, table, [data], batch_id=record.batch_id)
        _count_event(record, event, result, now)
    return event, result, record


def _webhook_record(now: dt.datetime, table: str) -> ImportRecord:
    """The day's webhook import, locked, or a new one (recorded and audited like any import)."""
    day = now.astimezone(dt.UTC).date()
    midnight = dt.datetime.combine(day, dt.time(), dt.UTC)
    open_today = (
        ImportRecord.objects.select_for_update()
        .filter(source=Source.WEBHOOK, started_at__gte=midnight)
        .filter(started_at__lt=midnight + dt.timedelta(days=1))
        .filter(status__in=[Status.IMPORTED, Status.UNCHANGED])
        .order_by("-started_at", "-id")
        .first()
    )
    if open_today is not None:
        return open_today
    record = importing.ImportRecord(
        batch_id=f"webhook-{day:%Y-%m-%d}-{uuid.uuid4().hex[:8]}",
        status="unchanged",
        mapping_name=WEBHOOK_SENDER,
        mapping={"webhook": {"events": {}}},
        user=WEBHOOK_SENDER,
        started_at=now,
        finished_at=now,
        files=(),
        tables={table: importing.TableResult(table, 0, 0)},
    )
    return import_record_create(actor=None, record=record, source=Source.WEBHOOK)


def _count_event(record: ImportRecord, event: str, result: IngestResult, now: dt.datetime) -> None:
    counts = record.counts.setdefault(result.table, {"facts": 0, "inserted": 0})
    counts["facts"] += result.received
    counts["inserted"] += result.inserted
    events = record.mapping.setdefault("webhook", {}).setdefault("events", {})
    events[event] = events.get(event, 0) + 1
    if record.inserted:
        record.status = Status.IMPORTED
    record.finished_at = now
    record.save(update_fields=["counts", "mapping", "status", "finished_at"])


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
