"""``commit``: write every fact of every file of an import, or none, and say what was done."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from ibis.backends import BaseBackend

from alinea.importing.files import SourceFile
from alinea.importing.mapping import Mapping
from alinea.importing.options import ReadOptions
from alinea.importing.outcome import FileRecord, ImportRecord, Preview, TableResult
from alinea.importing.problems import ImportProblem, ImportRefused
from alinea.importing.profiles import resolve_mapping
from alinea.importing.run import Progress, Step, collect, stage_all
from alinea.warehouse.ingest import batch_counts
from alinea.warehouse.staging import Staging


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def commit(
    con: BaseBackend,
    paths: Iterable[str | Path],
    mapping: Mapping | str,
    *,
    skip_bad_rows: bool = False,
    user: str | None = None,
    batch_id: str | None = None,
    options: ReadOptions | None = None,
    progress: Progress | None = None,
    clock: Callable[[], dt.datetime] = _utc_now,
) -> ImportRecord:
    """Import ``paths`` with ``mapping`` into warehouse ``con``: every fact of every file, or none.

    Any problem refuses the import (``ImportRefused``, carrying the full preview) unless
    ``skip_bad_rows`` is set and every problem is a bad row, in which case those rows are left
    out (and listed in the record). Facts already stored are not written again; a batch already in
    the warehouse is not read again (status ``already_imported``). ``batch_id`` defaults to one
    derived from the files' SHA-256 and the mapping, so the same files imported with the same
    mapping are recognised. Roll the whole import back with ``rollback_batch(con, batch_id)``.
    """
    started = clock()
    chosen = resolve_mapping(mapping)
    report = progress or (lambda step: None)
    sources, problems = collect(paths, report)
    if not sources and not problems:
        problems.append(ImportProblem("", None, None, None, "no files to import"))
    batch = batch_id or batch_id_for(chosen, sources)
    stored = {} if problems else batch_counts(con, batch)
    if any(stored.values()):
        tables = {t: TableResult(t, n, 0) for t, n in stored.items() if n}
        files = tuple(_file_record(s) for s in sources)
        return _record(batch, "already_imported", chosen, user, started, clock(), files, tables)
    with Staging(con, batch) as staging:
        preview = stage_all(
            staging,
            sources,
            chosen,
            options=options or ReadOptions(),
            skip_bad_rows=skip_bad_rows,
            against_warehouse=True,
            progress=report,
            problems=problems,
        )
        _refuse_unless_allowed(preview, skip_bad_rows=skip_bad_rows)
        report(Step("committing", None, 0, 1))
        results = staging.commit()
        report(Step("committing", None, 1, 1))
    tables = {t: TableResult(t, r.received, r.inserted) for t, r in results.items()}
    status = "imported" if any(r.inserted for r in results.values()) else "unchanged"
    record = _record(batch, status, chosen, user, started, clock(), preview.files, tables)
    return replace(
        record,
        skipped_rows=preview.skipped_rows,
        skipped=tuple(p for p in preview.problems if p.skippable),
        notes=preview.notes,
    )


def batch_id_for(mapping: Mapping, sources: list[SourceFile]) -> str:
    """The batch id of importing these files (by content) with this mapping."""
    digest = hashlib.sha256(mapping.fingerprint().encode())
    for sha in sorted(s.sha256 for s in sources):
        digest.update(sha.encode())
    return f"import-{digest.hexdigest()[:20]}"


def _refuse_unless_allowed(preview: Preview, *, skip_bad_rows: bool) -> None:
    if preview.ok:
        return
    if not skip_bad_rows:
        why = "problems found; fix the mapping or the files, or skip the bad rows"
        if not preview.skippable:
            why = "problems found that skipping rows cannot fix; fix the mapping or the files"
        raise ImportRefused(preview, why)
    if not preview.skippable:
        raise ImportRefused(preview, "problems found that skipping rows cannot fix")


def _file_record(source: SourceFile) -> FileRecord:
    return FileRecord(source.name, str(source.path), source.sha256, source.size, source.format)


def _record(
    batch: str,
    status: str,
    mapping: Mapping,
    user: str | None,
    started: dt.datetime,
    finished: dt.datetime,
    files: tuple[FileRecord, ...],
    tables: dict[str, TableResult],
) -> ImportRecord:
    return ImportRecord(
        batch_id=batch,
        status=status,  # type: ignore[arg-type]
        mapping_name=mapping.name,
        mapping=mapping.to_dict(),
        user=user,
        started_at=started,
        finished_at=finished,
        files=files,
        tables=tables,
    )
