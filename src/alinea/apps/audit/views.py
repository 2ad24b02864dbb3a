from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from alinea.apps.audit.selectors import audit_entries, audit_object_types

PAGE_SIZE = 50


def audit_log(request: HttpRequest) -> HttpResponse:
    """The audit log, filterable by kind of object and object id (every user may read it)."""
    object_type = request.GET.get("object_type", "").strip()
    object_id = request.GET.get("object_id", "").strip()
    entries = audit_entries(object_type=object_type, object_id=object_id)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/log.html",
        {
            "page": page,
            "object_types": audit_object_types(),
            "object_type": object_type,
            "object_id": object_id,
        },
    )
