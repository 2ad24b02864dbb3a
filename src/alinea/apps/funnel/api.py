"""The funnel and the metric catalog in the REST API: ``/api/funnel/…`` and ``/api/metrics/…``.

Endpoints stay thin: read the parameters (a ``ParameterError`` becomes a 400 naming the
parameter), call a selector, shape the answer.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router
from ninja.errors import HttpError

from alinea.analytics.metrics import METRICS, metric_value
from alinea.analytics.periods import Period
from alinea.apps.funnel import selectors
from alinea.apps.funnel.lead_lists import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    lead_page,
    list_selection,
)
from alinea.apps.funnel.metric_params import catalog_metric, metric_dimensions, metric_query
from alinea.apps.funnel.metric_rows import metric_rows
from alinea.apps.funnel.params import FunnelParams, ParameterError, funnel_params, read_integer
from alinea.apps.funnel.schemas import (
    DropOffsOut,
    FunnelQuery,
    LeadListOut,
    LeadListQuery,
    MetricInfoOut,
    MetricOut,
    MetricQueryIn,
    MetricRowsOut,
    MetricRowsQuery,
    StallsOut,
    StepsOut,
    TimelineOut,
    TimingOut,
    TrendOut,
)
from alinea.apps.funnel.source import FactSource
from alinea.apps.funnel.timeline import lead_timeline
from alinea.web.warehouse import get_warehouse

router = Router()
metrics_router = Router()


def _values(query: Any) -> dict[str, str]:
    return {k: v for k, v in query.dict().items() if isinstance(v, str)}


def _read(query: FunnelQuery) -> tuple[FactSource, FunnelParams]:
    try:
        params = funnel_params(_values(query), now=timezone.now())
    except ParameterError as problem:
        raise HttpError(400, str(problem)) from problem
    return selectors.funnel_source(get_warehouse()), params


def _period(period: Period) -> dict[str, Any]:
    return {"start": period.start, "end": period.end, "last_day": period.last_day}


def _echo(params: FunnelParams) -> dict[str, Any]:
    return {
        "stages": list(params.stages),
        "mode": params.mode,
        "basis": params.basis,
        "grain": params.grain,
        "period": _period(params.period),
        "window_days": params.window_days,
        "breakdown": params.breakdown,
        "top_n": params.top_n,
        "from_stage": params.from_stage,
        "to_stage": params.to_stage,
        "now": params.now,
        "stall_days": params.stall_days,
    }


@router.get("/conversion", response=StepsOut, summary="Funnel conversion over the period")
def conversion(request: HttpRequest, query: Query[FunnelQuery]) -> dict[str, Any]:
    """Leads at each step (per breakdown value) over the whole period: step-to-step and
    cumulative conversion, drop-off share and median days from the previous step."""
    source, params = _read(query)
    return {"params": _echo(params), "rows": selectors.conversion(source, params)}


@router.get("/cohorts", response=StepsOut, summary="Funnel per cohort period")
def cohorts(request: HttpRequest, query: Query[FunnelQuery]) -> dict[str, Any]:
    """The funnel per period of ``grain`` (cohorts on the cohort basis); ``mature`` is false for
    periods too young to judge."""
    source, params = _read(query)
    rows = selectors.cohorts(source, params, breakdown=True)
    return {"params": _echo(params), "rows": rows}


@router.get("/timing", response=TimingOut, summary="Time to convert between two steps")
def timing(request: HttpRequest, query: Query[FunnelQuery]) -> dict[str, Any]:
    """Days from ``from_stage`` to ``to_stage``: p25, median, p75, p90 and a histogram."""
    source, params = _read(query)
    found = selectors.timing(source, params)
    return {
        "params": _echo(params),
        "from_stage": found.from_stage,
        "to_stage": found.to_stage,
        "percentiles": found.percentiles,
        "histogram": found.histogram,
    }


@router.get("/trend", response=TrendOut, summary="Conversion of a step per period")
def trend(request: HttpRequest, query: Query[FunnelQuery]) -> dict[str, Any]:
    """``converted / leads`` from ``from_stage`` to ``to_stage`` per period, with ``leads``."""
    source, params = _read(query)
    rows = selectors.trend(source, params, breakdown=True)
    return {"params": _echo(params), "rows": rows}


@router.get("/stalls", response=StallsOut, summary="Stalled leads per stage")
def stalls(request: HttpRequest, query: Query[FunnelQuery]) -> dict[str, Any]:
    """Per watched stage, the threshold and how many leads sit there longer now. The leads:
    ``/api/funnel/leads?kind=stalled``."""
    source, params = _read(query)
    return {"params": _echo(params), "rows": selectors.stall_summary(source, params)}


@router.get("/drop-offs", response=DropOffsOut, summary="Drop-offs per step")
def drop_offs(request: HttpRequest, query: Query[FunnelQuery]) -> dict[str, Any]:
    """Leads of mature cohorts whose last step was each step. The leads:
    ``/api/funnel/leads?kind=dropped``."""
    source, params = _read(query)
    return {"params": _echo(params), "rows": selectors.drop_off_summary(source, params)}


@router.get("/leads", response=LeadListOut, summary="The leads behind a number, paged")
def leads(request: HttpRequest, query: Query[LeadListQuery]) -> dict[str, Any]:
    """``kind=reached`` (a step, optionally one breakdown ``value`` and ``cohort``),
    ``dropped``, ``stalled`` or ``converted`` (a histogram ``bin``); ordered, paged."""
    source, params = _read(query)
    values = _values(query)
    try:
        selection = list_selection(values, params)
        page = read_integer(values, "page", 1, 1, 10**9)
        size = read_integer(values, "page_size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)
    except ParameterError as problem:
        raise HttpError(400, str(problem)) from problem
    found = lead_page(source, params, selection, page=page, size=size)
    return {
        "kind": selection.kind,
        "count": found.count,
        "page": found.page,
        "page_size": found.size,
        "pages": found.pages,
        "columns": list(found.columns),
        "results": [{k: row[k] for k in found.columns} for row in found.rows],
    }


@router.get("/leads/{path:lead_id}", response=TimelineOut, summary="A lead's whole timeline")
def lead(request: HttpRequest, lead_id: str) -> Any:
    """Touchpoints, stage changes, assignments, activities, dispositions and deals, oldest first
    (person ids shown as names)."""
    found = lead_timeline(selectors.funnel_source(get_warehouse()), lead_id)
    if found is None:
        raise Http404(f"No lead {lead_id!r} in the warehouse.")
    return found


@metrics_router.get("", response=list[MetricInfoOut], summary="The metric catalog")
def catalog(request: HttpRequest) -> list[dict[str, Any]]:
    """Every named metric with its meaning, unit, formula, owning team and dimensions."""
    return [
        {
            "name": m.name,
            "description": m.description,
            "unit": m.unit,
            "formula": m.formula,
            "owner": m.owner,
            "subject": m.subject,
            "dimensions": metric_dimensions(m),
        }
        for m in METRICS.values()
    ]


@metrics_router.get("/{name}", response=MetricOut, summary="One metric, by name")
def metric(request: HttpRequest, name: str, query: Query[MetricQueryIn]) -> dict[str, Any]:
    """The metric over a period (default quarter to date), optionally beside a comparison
    period, filtered and broken down by its dimensions."""
    try:
        chosen = catalog_metric(name)
        asked = metric_query(chosen, _values(query), query.filter, now=timezone.now())
    except ParameterError as problem:
        raise HttpError(400, str(problem)) from problem
    source = selectors.funnel_source(get_warehouse())
    frame = source.fetch(("metric", name, asked), lambda: metric_value(source.facts, name, asked))
    return {
        "metric": name,
        "unit": chosen.unit,
        "period": _period(asked.period),
        "comparison": _period(asked.comparison) if asked.comparison else None,
        "now": asked.now,
        "filters": {dimension: list(values) for dimension, values in asked.filter_pairs},
        "group_by": asked.group_by,
        "window_days": asked.window_days,
        "rows": selectors.records(frame),
    }


@metrics_router.get("/{name}/rows", response=MetricRowsOut, summary="The rows behind a metric")
def rows(request: HttpRequest, name: str, query: Query[MetricRowsQuery]) -> dict[str, Any]:
    """The leads or deals behind the metric's ``count`` for the period (or the comparison
    period), after the filters, with the breakdown value of each; paged. There are exactly
    ``count`` of them (for ``win_rate``: the deals won or lost in the period)."""
    values = _values(query)
    try:
        chosen = catalog_metric(name)
        asked = metric_query(chosen, values, query.filter, now=timezone.now())
        page = read_integer(values, "page", 1, 1, 10**9)
        size = read_integer(values, "page_size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)
        found = metric_rows(
            selectors.funnel_source(get_warehouse()),
            chosen,
            asked,
            which=values.get("period") or "current",
            value=values.get("value") or None,
            page=page,
            size=size,
        )
    except ParameterError as problem:
        raise HttpError(400, str(problem)) from problem
    return {
        "metric": name,
        "key": found.key,
        "count": found.count,
        "page": found.page,
        "page_size": found.size,
        "pages": found.pages,
        "results": found.rows,
    }
