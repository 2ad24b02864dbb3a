"""The funnel page, the lead lists behind its numbers (with CSV export) and the lead page."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language

from alinea.apps.funnel import labels
from alinea.apps.funnel.cells import (
    bin_text,
    cell_text,
    csv_value,
    lead_url,
    list_url,
    number,
    page_url,
)
from alinea.apps.funnel.lead_lists import (
    LeadPage,
    ListSelection,
    lead_page,
    lead_rows,
    list_columns,
    list_selection,
)
from alinea.apps.funnel.page import page_context
from alinea.apps.funnel.params import (
    FunnelParams,
    ParameterError,
    funnel_params,
    with_defaults_for_errors,
)
from alinea.apps.funnel.selectors import funnel_source, person_names
from alinea.apps.funnel.timeline import lead_timeline
from alinea.web.warehouse import get_warehouse

PAGE_SIZE = 50


def _choices(params: FunnelParams) -> dict[str, Any]:
    return {
        "modes": labels.MODE_LABELS.items(),
        "bases": labels.BASIS_LABELS.items(),
        "grains": labels.GRAIN_LABELS.items(),
        "breakdowns": labels.BREAKDOWN_LABELS.items(),
        "stages": [(stage, labels.stage_label(stage)) for stage in params.stages],
    }


def funnel_page(request: HttpRequest) -> HttpResponse:
    """The funnel review: bad parameters are reported and replaced by their defaults."""
    params, problems = with_defaults_for_errors(request.GET, now=timezone.now())
    source = funnel_source(get_warehouse())
    names = person_names(source)
    context = {
        "params": params,
        "problems": problems,
        "choices": _choices(params),
        "from_label": labels.stage_label(params.from_stage),
        "to_label": labels.stage_label(params.to_stage),
        "csv_stalled": list_url(params, kind="stalled", format="csv"),
        "csv_dropped": list_url(params, kind="dropped", format="csv"),
        **source.remember(
            ("page", params, get_language()), lambda: page_context(source, params, names)
        ),
    }
    return render(request, "funnel/index.html", context)


def _page_number(values: Mapping[str, str]) -> int:
    text = (values.get("page") or "1").strip()
    if not text.isdigit() or int(text) < 1:
        raise ParameterError("page", f"{text!r} is not a page number (1, 2, …)")
    return int(text)


def _describe(selection: ListSelection, names: dict[str, str]) -> list[tuple[str, str]]:
    found = (
        [(str(labels.COLUMN_LABELS["stage"]), labels.stage_label(selection.stage))]
        if selection.stage
        else []
    )
    if selection.value is not None:
        found.append(
            (str(labels.COLUMN_LABELS["breakdown"]), labels.value_label(selection.value, names))
        )
    if selection.cohort is not None:
        found.append(
            (str(labels.COLUMN_LABELS["cohort"]), cell_text("cohort", selection.cohort, names))
        )
    if selection.bin is not None:
        found.append((str(labels.COLUMN_LABELS["bin"]), bin_text(selection.bin)))
    return found


def _csv(
    rows: list[dict[str, Any]], columns: tuple[str, ...], selection: ListSelection
) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_value(row.get(column)) for column in columns])
    name = "-".join(part for part in ("funnel", selection.kind, selection.stage) if part)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _table(page: LeadPage, names: dict[str, str]) -> list[list[dict[str, Any]]]:
    return [
        [
            {
                "text": cell_text(column, row.get(column), names),
                "url": lead_url(str(row["lead_id"])) if column == "lead_id" else "",
                "numeric": column in ("age_days", "threshold_days", "days"),
            }
            for column in page.columns
        ]
        for row in page.rows
    ]


def lead_list_page(request: HttpRequest) -> HttpResponse:
    """The leads behind one number of the funnel page, paged; ``format=csv`` exports them all."""
    try:
        params = funnel_params(request.GET, now=timezone.now())
        selection = list_selection(request.GET, params)
        number_of_page = _page_number(request.GET)
    except ParameterError as problem:
        return render(request, "funnel/bad_request.html", {"problem": problem}, status=400)
    source = funnel_source(get_warehouse())
    if request.GET.get("format") == "csv":
        return _csv(lead_rows(source, params, selection), list_columns(selection), selection)
    names = person_names(source)
    page = lead_page(source, params, selection, page=number_of_page, size=PAGE_SIZE)
    base = {**params.query_string(), **{k: request.GET[k] for k in request.GET if k != "page"}}
    context = {
        "title": labels.LIST_TITLES[selection.kind],
        "selection": _describe(selection, names),
        "page": page,
        "count_text": number(page.count),
        "headings": [labels.COLUMN_LABELS.get(column, column) for column in page.columns],
        "table": _table(page, names),
        "csv_url": list_url(params, **{**_selection_values(selection), "format": "csv"}),
        "back_url": page_url(params),
        "previous_url": _with_page(base, page.page - 1) if page.page > 1 else "",
        "next_url": _with_page(base, page.page + 1) if page.page < page.pages else "",
    }
    return render(request, "funnel/leads.html", context)


def _selection_values(selection: ListSelection) -> dict[str, Any]:
    return {
        "kind": selection.kind,
        "stage": selection.stage,
        "value": selection.value,
        "cohort": selection.cohort.isoformat() if selection.cohort else None,
        "bin": selection.bin,
    }


def _with_page(base: dict[str, str], page: int) -> str:
    return "?" + urlencode({**base, "page": str(page)})


def _details(details: dict[str, Any]) -> list[tuple[str, str]]:
    shown = []
    for key, value in details.items():
        if value is None or value == "":
            continue
        if key == "stage":
            text = labels.stage_label(str(value))
        elif key == "amount":
            text = number(float(value), 2)
        else:
            text = str(value)
        shown.append((str(labels.DETAIL_LABELS.get(key, key)), text))
    return shown


def lead_timeline_page(request: HttpRequest, lead_id: str) -> HttpResponse:
    """One lead's whole timeline, oldest first."""
    source = funnel_source(get_warehouse())
    found = lead_timeline(source, lead_id)
    if found is None:
        raise Http404(lead_id)
    events = [
        {
            "at": event.at,
            "kind": event.kind,
            "label": labels.EVENT_LABELS.get(event.kind, event.kind),
            "details": _details(event.details),
        }
        for event in found.events
    ]
    context = {"lead": found.lead, "owner_name": found.owner_name, "events": events}
    return render(request, "funnel/lead.html", context)
