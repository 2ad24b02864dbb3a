"""Imports started in the web app: files uploaded, checked and committed in a background thread
so that the page never waits on a long import; the page polls the job's phase and progress.

``import_job_start`` saves the uploads and starts the check (a preview); ``import_job_commit``
starts the commit once the person has seen the preview. Both return at once. ``run_in_background``
is how work leaves the request thread (tests replace it to run the work inline).
Uploads that were never imported are removed after ``UPLOADS_KEPT`` (``import_jobs_sweep``, run
whenever an import starts), so abandoned files do not pile up in the data directory.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import close_old_connections, transaction
from django.utils import timezone
from ibis.backends import BaseBackend

from alinea import importing, workspace
from alinea.apps.accounts.models import User
from alinea.apps.imports import services
from alinea.apps.imports.models import ImportJob, Phase
from alinea.apps.imports.selectors import mapping_named
from alinea.importing.sample import sample_values
from alinea.warehouse import connect

#: At most one progress write per this many seconds.
PROGRESS_EVERY = 0.5
#: How long the files of an upload that was not imported are kept.
UPLOADS_KEPT = dt.timedelta(days=2)


def run_in_background(work: Callable[[], None]) -> None:
    """Run ``work`` in a daemon thread that closes its database connections when done."""

    def target() -> None:
        try:
            work()
        finally:
            close_old_connections()

    threading.Thread(target=target, daemon=True, name="alinea-import").start()


def upload_folder() -> Path:
    return workspace.home() / "uploads"


def import_job_start(
    *,
    actor: User,
    files: Iterable[UploadedFile],
    mapping_name: str,
    options: dict[str, str],
) -> ImportJob:
    """Save the uploaded files in a new folder and start checking them with the mapping."""
    if not services.can_import(actor):
        raise PermissionDenied("only members of a team may import data")
    mapping_named(mapping_name)  # KeyError for an unknown mapping, before any file is saved
    import_jobs_sweep(now=timezone.now())
    folder = upload_folder() / uuid.uuid4().hex
    folder.mkdir(parents=True)
    for upload in files:
        name = Path(upload.name or "upload").name
        with (folder / name).open("wb") as target:
            for piece in upload.chunks():
                target.write(piece)
    job = ImportJob(
        created_by=actor, folder=str(folder), mapping_name=mapping_name,
        options=options, phase=Phase.PREVIEWING,
    )  # fmt: skip
    job.full_clean()
    job.save()
    transaction.on_commit(lambda: run_in_background(lambda: run_preview(job.pk)))
    return job


def import_jobs_sweep(*, now: dt.datetime) -> int:
    """Remove the files of uploads older than ``UPLOADS_KEPT`` that were not imported, and mark
    those jobs failed with the reason; returns how many were swept. A job still committing is
    left alone whatever its age (its files are removed when it ends)."""
    stale = ImportJob.objects.filter(created_at__lt=now - UPLOADS_KEPT).exclude(
        phase__in=[Phase.COMMITTING, Phase.COMMITTED]
    )
    swept = 0
    for job in stale.exclude(folder=""):
        shutil.rmtree(job.folder, ignore_errors=True)
        reason = job.error or "the uploaded files were not imported and have been removed"
        swept += ImportJob.objects.filter(pk=job.pk, phase=job.phase).update(
            phase=Phase.FAILED, folder="", error=reason, progress={}
        )
    return swept


def import_job_commit(*, actor: User, job: ImportJob, skip_bad_rows: bool) -> ImportJob:
    """Start writing the checked files to the warehouse (see ``services.import_run``)."""
    if not services.can_import(actor):
        raise PermissionDenied("only members of a team may import data")
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.phase != Phase.PREVIEWED:
            return locked
        locked.phase = Phase.COMMITTING
        locked.progress = {}
        locked.save(update_fields=["phase", "progress"])
    work = lambda: _commit(locked.pk, actor.pk, skip_bad_rows)  # noqa: E731
    transaction.on_commit(lambda: run_in_background(work))
    return locked


@contextlib.contextmanager
def _warehouse() -> Iterator[BaseBackend]:
    """A connection of the job's own, closed when the job is done."""
    con = connect(workspace.warehouse_url())
    try:
        yield con
    finally:
        con.disconnect()


def _read_options(job: ImportJob) -> tuple[importing.Mapping, importing.ReadOptions]:
    options = job.options
    mapping = mapping_named(job.mapping_name).with_overrides(
        timezone=options.get("timezone") or None,
        date_format=options.get("date_format") or None,
        decimal=options.get("decimal") or None,
    )
    return mapping, importing.ReadOptions(delimiter=options.get("delimiter") or None)


def _reporter(job_id: int) -> Callable[[importing.Step], None]:
    last = [0.0]

    def report(step: importing.Step) -> None:
        if time.monotonic() - last[0] < PROGRESS_EVERY and step.done < step.total:
            return
        last[0] = time.monotonic()
        progress = {"phase": step.phase, "file": step.file, "done": step.done, "total": step.total}
        ImportJob.objects.filter(pk=job_id).update(progress=progress)

    return report


def run_preview(job_id: int) -> None:
    job = ImportJob.objects.get(pk=job_id)
    if not job.folder:
        _finish(job_id, phase=Phase.FAILED)
        return
    try:
        mapping, options = _read_options(job)
        with _warehouse() as con:
            shown = importing.preview(
                [job.folder], mapping, con=con, options=options, progress=_reporter(job_id)
            )
        samples = {
            f.name: sample_values(Path(f.path), f.format, f.details.get("encoding"), options)
            for f in shown.files
        }
        _finish(job_id, phase=Phase.PREVIEWED, preview=shown.to_dict(), samples=samples)
    except Exception as error:  # the page shows it; nothing was written
        _finish(job_id, phase=Phase.FAILED, error=str(error))


def _commit(job_id: int, actor_id: int, skip_bad_rows: bool) -> None:
    job = ImportJob.objects.get(pk=job_id)
    actor = User.objects.get(pk=actor_id)
    try:
        mapping, options = _read_options(job)
        with _warehouse() as con:
            record = services.import_run(
                actor=actor, con=con, paths=[job.folder], mapping=mapping, source="web",
                skip_bad_rows=skip_bad_rows, options=options, progress=_reporter(job_id),
            )  # fmt: skip
    except importing.ImportRefused as refused:
        _finish(job_id, phase=Phase.PREVIEWED, preview=refused.preview.to_dict())
        return
    except Exception as error:
        _finish(job_id, phase=Phase.FAILED, error=str(error))
        return
    _finish(job_id, phase=Phase.COMMITTED, record=record)
    shutil.rmtree(job.folder, ignore_errors=True)


def _finish(job_id: int, **fields: Any) -> None:
    ImportJob.objects.filter(pk=job_id).update(progress={}, **fields)
