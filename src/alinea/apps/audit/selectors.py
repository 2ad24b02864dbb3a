from __future__ import annotations

from django.db.models import QuerySet

from alinea.apps.audit.models import AuditEntry


def audit_entries(*, object_type: str = "", object_id: str = "") -> QuerySet[AuditEntry]:
    """The audit log, newest first, optionally for one kind of object or one object."""
    entries = AuditEntry.objects.select_related("actor")
    if object_type:
        entries = entries.filter(object_type=object_type)
    if object_id:
        entries = entries.filter(object_id=object_id)
    return entries


def audit_object_types() -> list[str]:
    """The kinds of object that have entries, for the filter of the audit page."""
    types = AuditEntry.objects.order_by("object_type").values_list("object_type", flat=True)
    return list(types.distinct())
