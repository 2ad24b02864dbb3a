"""Record a change in the audit log: one call from every service that writes.

Typical use inside a service::

    with transaction.atomic():
        before = snapshot(goal)
        goal.target = target
        goal.full_clean()
        goal.save()
        audit_record(actor=actor, action="goal_target_change", instance=goal, before=before)

``action`` is the service's name, so the log says which operation made the change.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from alinea.apps.accounts.models import User
from alinea.apps.audit.models import AuditEntry

#: Never written to the log, whatever the model (a model adds its own with ``AUDIT_EXCLUDE``).
ALWAYS_EXCLUDED = frozenset({"password"})


class _AuditEncoder(DjangoJSONEncoder):
    """Django's encoder, but instants keep their microseconds (it rounds to milliseconds)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime):
            return o.isoformat()
        return super().default(o)


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The instance's own field values as JSON-safe data (dates as ISO text, relations as ids).

    Many-to-many relations are not included; fields listed in the model's ``AUDIT_EXCLUDE`` (secrets
    such as token digests) are left out.
    """
    excluded = ALWAYS_EXCLUDED | set(getattr(instance, "AUDIT_EXCLUDE", ()))
    values = {
        field.name: field.value_from_object(instance)
        for field in instance._meta.concrete_fields
        if field.name not in excluded
    }
    safe: dict[str, Any] = json.loads(json.dumps(values, cls=_AuditEncoder))
    return safe


def audit_record(
    *,
    actor: User | None,
    action: str,
    instance: models.Model,
    before: dict[str, Any] | None,
    deleted: bool = False,
    summary: str = "",
) -> AuditEntry:
    """Log that ``actor`` (a user, or ``None`` for the system) ran ``action`` on ``instance``.

    ``before`` is ``snapshot(instance)`` taken before the change (``None`` for a creation). The
    state after is read from ``instance`` now, unless ``deleted``: then call this *before* deleting
    it.
    Must run inside the service's ``transaction.atomic()`` so that the change and its entry are
    written together or not at all.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must be called inside the service's transaction.atomic()")
    after = None if deleted else snapshot(instance)
    entry = AuditEntry(
        actor=actor,
        actor_name=actor.get_username() if actor is not None else "",
        action=action,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        before=before,
        after=after,
        summary=(summary or _summarise(before, after))[:500],
    )
    entry.full_clean()
    entry.save()
    return entry


def _summarise(before: dict[str, Any] | None, after: dict[str, Any] | None) -> str:
    if before is None:
        return "created"
    if after is None:
        return "deleted"
    changed = [
        f"{name}: {before.get(name)!r} → {after.get(name)!r}"
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    ]
    return "; ".join(changed) or "no field changed"
