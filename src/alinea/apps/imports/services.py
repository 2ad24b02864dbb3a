"""Writes of the imports app: record an import, roll one back, save and edit mappings.

Atomic and audited. ``actor=None`` is the system (the CLI, the demo); ``actor_name`` then says
who ran it (the operating-system user). Rolling back and saving mappings need a member of a team
(or an admin): imported facts are shared by both teams.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from ibis.backends import BaseBackend

from alinea import importing
from alinea.apps.accounts.models import Team, User
from alinea.apps.accounts.permissions import can_edit_team_item
from alinea.apps.audit.services import audit_record, snapshot
from alinea.apps.definitions.applying import definitions_apply_after_import
from alinea.apps.imports.models import (
    ImportFile,
    ImportJob,
    ImportRecord,
    MappingProfile,
    Source,
    Status,
)
from alinea.importing.adopt import adopt_unbatched
from alinea.warehouse import connect, rollback_batch

#: Skipped rows kept in full on the record; beyond it they are only counted.
SKIPPED_KEPT = 1_000


def can_import(actor: User | None) -> bool:
    """Whether ``actor`` may import, roll back and save mappings (``None``: the system)."""
    return actor is None or any(can_edit_team_item(actor, team) for team in Team.objects.all())


def require_importer(actor: User | None, what: str) -> None:
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
    require_importer(actor, "import data")
    user = _name(actor, actor_name)
    record = importing.commit(
        con, paths, mapping, skip_bad_rows=skip_bad_rows, user=user or None,
        options=options, progress=progress,
    )  # fmt: skip
    definitions_apply_after_import(con=con, now=timezone.now())
    return import_record_create(actor=actor, record=record, source=source, actor_name=user)


def import_rollback(
    *, actor: User | None, record: ImportRecord, con: BaseBackend, actor_name: str = ""
) -> ImportRecord:
    """Remove every fact the import wrote from the warehouse and mark the record rolled back."""
    require_importer(actor, "roll back an import")
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
    require_importer(actor, "save a mapping")
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
    require_importer(actor, "edit a mapping")
    with transaction.atomic():
        before = snapshot(profile)
        profile.definition = definition | {"name": profile.name}
        profile.updated_at = timezone.now()
        profile.full_clean()
        profile.save()
        audit_record(actor=actor, action="mapping_profile_update", instance=profile, before=before)
    return profile


def mapping_profile_rename(
    *, actor: User | None, profile: MappingProfile, name: str
) -> MappingProfile:
    """Give a saved mapping another name; imports being prepared with it follow it (finished
    imports keep the mapping they used, under the name it had)."""
    require_importer(actor, "rename a mapping")
    old = profile.name
    with transaction.atomic():
        before = snapshot(profile)
        profile.name = name
        profile.definition = profile.definition | {"name": name}
        profile.updated_at = timezone.now()
        profile.full_clean()
        profile.save()
        ImportJob.objects.filter(mapping_name=old, record__isnull=True).update(mapping_name=name)
        audit_record(actor=actor, action="mapping_profile_rename", instance=profile, before=before)
    return profile


def mapping_profile_delete(*, actor: User | None, profile: MappingProfile) -> None:
    """Forget a saved mapping (imports made with it keep the mapping they used)."""
    require_importer(actor, "delete a mapping")
    with transaction.atomic():
        audit_record(
            actor=actor, action="mapping_profile_delete", instance=profile,
            before=snapshot(profile), deleted=True,
        )  # fmt: skip
        profile.delete()


def demo_imports_setup(*, now: dt.datetime | None = None) -> list[ImportRecord]:
    """Record the demo company's generated facts as one import per fact table (see
    ``alinea.importing.adopt``), so that the Data section shows a history that rolls back like
    any import; nothing when every fact already belongs to an import."""
    con = connect()
    try:
        adopted = adopt_unbatched(con, source="demo", user="alinea demo", now=now or timezone.now())
    finally:
        con.disconnect()
    return [
        import_record_create(actor=None, record=r, source=Source.CLI, actor_name="alinea demo")
        for r in adopted
    ]
