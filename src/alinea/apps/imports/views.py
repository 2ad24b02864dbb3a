"""The Data section: upload files, check them (preview), import or skip bad rows, follow a long
import while it runs, see the history and roll an import back."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alinea.apps.accounts.models import User
from alinea.apps.imports import jobs, services
from alinea.apps.imports.forms import CommitForm, UploadForm
from alinea.apps.imports.models import ImportJob, ImportRecord
from alinea.apps.imports.selectors import get_import_job_for, get_import_record_for, import_history
from alinea.web.warehouse import get_warehouse

PAGE_SIZE = 25
PROBLEMS_SHOWN = 200


def signed_in_user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def job_or_404(request: HttpRequest, job_id: int) -> ImportJob:
    try:
        return get_import_job_for(request.user, job_id)
    except ImportJob.DoesNotExist:
        raise Http404(_("No such import.")) from None


def data_index(request: HttpRequest) -> HttpResponse:
    """The import history and the form to start a new import."""
    form = UploadForm()
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            options = {
                "timezone": form.cleaned_data["timezone"].strip(),
                "date_format": form.cleaned_data["date_format"],
            }
            try:
                job = jobs.import_job_start(
                    actor=signed_in_user(request), files=form.cleaned_data["upload"],
                    mapping_name=form.cleaned_data["mapping"], options=options,
                )  # fmt: skip
            except PermissionDenied:
                messages.error(request, _("Only members of a team may import data."))
                return redirect("imports:index")
            return redirect("imports:job", job_id=job.pk)
    page = Paginator(import_history(), PAGE_SIZE).get_page(request.GET.get("page"))
    allowed = services.can_import(signed_in_user(request))
    context = {"form": form, "page": page, "can_import": allowed}
    return render(request, "imports/index.html", context)


def data_job(request: HttpRequest, job_id: int) -> HttpResponse:
    """One import: its progress while it runs, then what it would write and every problem."""
    job = job_or_404(request, job_id)
    preview = job.preview or {}
    problems = preview.get("problems", [])
    context = {
        "job": job,
        "preview": preview,
        "problems": problems[:PROBLEMS_SHOWN],
        "more_problems": max(0, int(preview.get("problem_count", 0)) - PROBLEMS_SHOWN),
        "commit_form": CommitForm(),
        "can_import": services.can_import(signed_in_user(request)),
    }
    return render(request, "imports/job.html", context)


def data_job_status(request: HttpRequest, job_id: int) -> JsonResponse:
    """What the job page polls: the phase and how far the current step is."""
    job = job_or_404(request, job_id)
    return JsonResponse({"phase": job.phase, "running": job.running, "progress": job.progress})


@require_POST
def data_job_commit(request: HttpRequest, job_id: int) -> HttpResponse:
    job = job_or_404(request, job_id)
    form = CommitForm(request.POST)
    skip = form.is_valid() and form.cleaned_data["skip_bad_rows"]
    try:
        jobs.import_job_commit(actor=signed_in_user(request), job=job, skip_bad_rows=skip)
    except PermissionDenied:
        messages.error(request, _("Only members of a team may import data."))
    return redirect("imports:job", job_id=job.pk)


@require_POST
def data_rollback(request: HttpRequest, record_id: int) -> HttpResponse:
    try:
        record = get_import_record_for(request.user, record_id)
    except ImportRecord.DoesNotExist:
        raise Http404(_("No such import.")) from None
    try:
        services.import_rollback(actor=signed_in_user(request), record=record, con=get_warehouse())
    except PermissionDenied:
        messages.error(request, _("Only members of a team may roll back an import."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The import was rolled back: its facts were removed."))
    return redirect("imports:index")
