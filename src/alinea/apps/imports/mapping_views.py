"""The column picker: for each fact column read from a source column, choose the file's column
(shown with sample values), save the result as an editable mapping and check the files again."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from alinea.apps.imports import jobs, services
from alinea.apps.imports.forms import SaveMappingForm
from alinea.apps.imports.models import ImportJob, MappingProfile, Phase
from alinea.apps.imports.selectors import mapping_named
from alinea.apps.imports.views import job_or_404, signed_in_user
from alinea.importing import FileMapping, Mapping, Output


@dataclass(frozen=True)
class Pick:
    """One choice of the picker: fact column ``column`` of ``output``, read from ``current``."""

    field: str
    output: str
    column: str
    current: str
    optional: bool


@dataclass(frozen=True)
class FilePicks:
    file: str
    columns: list[tuple[str, str]]  # (column, its sample values)
    picks: list[Pick]


def _picks(mapping: Mapping, job: ImportJob) -> list[FilePicks]:
    found = []
    seen: set[int] = set()
    for record in (job.preview or {}).get("files", []):
        part = mapping.file_mapping(record["name"])
        if part is None or not part.outputs or id(part) in seen:
            continue
        seen.add(id(part))
        at = mapping.files.index(part)
        samples = job.samples.get(record["name"], {})
        columns = [(c, ", ".join(samples.get(c, []))) for c in record["columns"]]
        picks: list[Pick] = []
        for o, output in enumerate(part.outputs):
            picks.extend(
                Pick(f"m{at}-o{o}-when{i}", output.describe(), _("condition"), c.column, False)
                for i, c in enumerate(output.when)
            )
            picks.extend(
                Pick(f"m{at}-o{o}-{name}", output.describe(), name, rule.source, rule.optional)
                for name, rule in output.columns
                if rule.source is not None
            )
        found.append(FilePicks(record["name"], columns, picks))
    return found


def _picked(mapping: Mapping, data: Any) -> Mapping:
    """``mapping`` with the sources chosen in the form."""
    files = list(mapping.files)
    for at, part in enumerate(files):
        outputs: list[Output] = []
        for o, output in enumerate(part.outputs):
            columns = []
            for name, rule in output.columns:
                chosen = data.get(f"m{at}-o{o}-{name}")
                if rule.source is not None and chosen:
                    rule = replace(rule, source=chosen)
                columns.append((name, rule))
            when = tuple(
                replace(c, column=data.get(f"m{at}-o{o}-when{i}") or c.column)
                for i, c in enumerate(output.when)
            )
            outputs.append(replace(output, columns=tuple(columns), when=when))
        files[at] = FileMapping(part.match, tuple(outputs), part.note)
    return replace(mapping, files=tuple(files))


def data_job_map(request: HttpRequest, job_id: int) -> HttpResponse:
    """Choose which column of the files each fact column reads; save and check again."""
    job = job_or_404(request, job_id)
    mapping = mapping_named(job.mapping_name)
    form = SaveMappingForm(initial={"save_as": f"{job.mapping_name}-copy"})
    kept = bool(job.folder)  # swept uploads have no files left to check again
    if request.method == "POST" and kept and job.phase in (Phase.PREVIEWED, Phase.FAILED):
        form = SaveMappingForm(request.POST)
        if form.is_valid():
            name = form.cleaned_data["save_as"]
            try:
                _save(request, job, _picked(mapping, request.POST), name)
            except PermissionDenied:
                messages.error(request, _("Only members of a team may save a mapping."))
            except ValidationError as error:
                for message in error.messages:
                    form.add_error("save_as", message)
            else:
                return redirect("imports:job", job_id=job.pk)
    context = {"job": job, "files": _picks(mapping, job), "form": form, "mapping": mapping}
    return render(request, "imports/map.html", context)


def _save(request: HttpRequest, job: ImportJob, mapping: Mapping, name: str) -> None:
    actor = signed_in_user(request)
    existing = MappingProfile.objects.filter(name=name).first()
    with transaction.atomic():
        if existing is None:
            services.mapping_profile_copy(actor=actor, source=mapping, name=name)
        else:
            services.mapping_profile_update(
                actor=actor, profile=existing, definition=mapping.to_dict()
            )
        job.mapping_name = name
        job.phase = Phase.PREVIEWING
        job.preview = None
        job.save(update_fields=["mapping_name", "phase", "preview"])
        transaction.on_commit(lambda: jobs.run_in_background(lambda: jobs.run_preview(job.pk)))
