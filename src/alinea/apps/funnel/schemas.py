"""API input and output of the funnel and the metric catalog.

Query parameters arrive as text and are checked by ``alinea.apps.funnel.params`` (the same reader
as the page), so a bad value is a 400 that names the parameter; the OpenAPI document still lists
each parameter's allowed values and format.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import Field

from alinea.analytics.funnel import FUNNEL_MODES, GRAINS, LEAD_DIMENSIONS
from alinea.analytics.funnel.spec import BASES
from alinea.apps.funnel.lead_lists import LEAD_LISTS
from alinea.warehouse.schema import LIFECYCLE_STAGES


def _enum(description: str, values: Any) -> Any:
    return Field(None, description=description, json_schema_extra={"enum": list(values)})


def _day(description: str) -> Any:
    return Field(None, description=description, json_schema_extra={"format": "date"})


_NOW = Field(
    None,
    description="The moment of the question (ISO 8601 with a time zone); default: now, rounded "
    "down to 5 minutes. Facts at or after it are ignored; it decides maturity and stall ages.",
    json_schema_extra={"format": "date-time"},
)


class FunnelQuery(Schema):
    stages: str | None = Field(
        None,
        description="The steps, comma-separated, in order (default: lead,mql,sql,opportunity,"
        f"customer). Known stages: {', '.join(LIFECYCLE_STAGES)}.",
    )
    mode: str | None = _enum(
        "How a skipped stage counts: 'any' (passed; default) or 'ordered' (HubSpot's all stages "
        "in order).",
        FUNNEL_MODES,
    )
    basis: str | None = _enum(
        "'cohort' (by entry into step 1, conversions within the window; default) or 'event' (each "
        "step in the period it happened).",
        BASES,
    )
    grain: str | None = _enum("Cohort and trend periods (default month).", GRAINS)
    start: str | None = _day("First day of the period (default: 11 months before the current one).")
    end: str | None = _day("Last day of the period, included (default: today).")
    window_days: str | None = Field(None, description="Conversion window in days (default 90).")
    breakdown: str | None = _enum("A lead dimension to break the numbers down by.", LEAD_DIMENSIONS)
    top_n: str | None = Field(
        None, description="Breakdown values kept; the rest are '(other)' (default 8, at most 50)."
    )
    from_stage: str | None = Field(None, description="Timing and trend: the earlier step.")
    to_stage: str | None = Field(None, description="Timing and trend: the later step.")
    stall_days: str | None = Field(
        None, description="Stalls: a fixed threshold in days (default: each stage's p90)."
    )
    now: str | None = _NOW


class LeadListQuery(FunnelQuery):
    kind: str | None = _enum("Which leads (default 'reached').", LEAD_LISTS)
    stage: str | None = Field(None, description="The step (the stage, for stalled leads).")
    value: str | None = Field(None, description="One breakdown value, e.g. '(other)'.")
    cohort: str | None = _day("First day of one cohort period (of 'grain').")
    bin: str | None = Field(None, description="'converted': the histogram bin number.")
    page: str | None = Field(None, description="Page number, from 1.")
    page_size: str | None = Field(None, description="Leads per page (default 50, at most 500).")


class PeriodOut(Schema):
    start: dt.date
    end: dt.date = Field(description="The day after the last day (exclusive).")
    last_day: dt.date


class FunnelParamsOut(Schema):
    stages: list[str]
    mode: str
    basis: str
    grain: str
    period: PeriodOut
    window_days: int
    breakdown: str | None
    top_n: int
    from_stage: str
    to_stage: str
    now: dt.datetime
    stall_days: float | None


class StepOut(Schema):
    period: dt.date | None
    breakdown: str
    step: int
    stage: str
    leads: int
    step_conversion: float | None
    cumulative_conversion: float | None
    drop_off: float | None = None
    median_days: float | None
    mature: bool


class StepsOut(Schema):
    params: FunnelParamsOut
    rows: list[StepOut]


class PercentilesOut(Schema):
    breakdown: str
    leads: int
    p25_days: float | None
    median_days: float | None
    p75_days: float | None
    p90_days: float | None


class BinOut(Schema):
    breakdown: str
    bin: int
    lower_days: float
    upper_days: float | None
    leads: int


class TimingOut(Schema):
    params: FunnelParamsOut
    from_stage: str
    to_stage: str
    percentiles: list[PercentilesOut]
    histogram: list[BinOut]


class TrendPointOut(Schema):
    period: dt.date
    breakdown: str
    leads: int = Field(description="Leads at from_stage: the number behind the point.")
    converted: int
    rate: float | None
    mature: bool


class TrendOut(Schema):
    params: FunnelParamsOut
    rows: list[TrendPointOut]


class StallOut(Schema):
    stage: str
    threshold_days: float | None
    stalled: int


class StallsOut(Schema):
    params: FunnelParamsOut
    rows: list[StallOut]


class DropOffOut(Schema):
    stage: str
    next_stage: str
    leads: int


class DropOffsOut(Schema):
    params: FunnelParamsOut
    rows: list[DropOffOut]


class LeadListOut(Schema):
    kind: str
    count: int
    page: int
    page_size: int
    pages: int
    columns: list[str]
    results: list[dict[str, Any]]


class TimelineEventOut(Schema):
    at: dt.datetime
    kind: str
    details: dict[str, Any]


class TimelineOut(Schema):
    lead: dict[str, Any]
    owner_name: str | None
    events: list[TimelineEventOut]


class MetricQueryIn(Schema):
    start: str | None = _day("First day of the period (default: first day of this quarter).")
    end: str | None = _day("Last day of the period, included (default: today).")
    comparison_start: str | None = _day("First day of the comparison period (optional).")
    comparison_end: str | None = _day("Last day of the comparison period, included.")
    filter: list[str] = Field(
        default_factory=list,
        description="'dimension:value1,value2' (repeatable): keep leads/deals with one of the "
        "values; '(none)' matches a missing value.",
    )
    group_by: str | None = Field(None, description="A dimension to break the value down by.")
    window_days: str | None = Field(None, description="Conversion window of rates (default 90).")
    now: str | None = _NOW


class MetricInfoOut(Schema):
    name: str
    description: str
    unit: str
    formula: str
    owner: str
    subject: str = Field(description="What it counts: lead or deal.")
    dimensions: list[str] = Field(description="Dimensions it can be filtered and grouped by.")


class MetricRowOut(Schema):
    breakdown: str
    value: float | None
    count: int
    mature: bool
    comparison_value: float | None
    comparison_count: int | None
    comparison_mature: bool | None


class MetricOut(Schema):
    metric: str
    unit: str
    period: PeriodOut
    comparison: PeriodOut | None
    now: dt.datetime
    filters: dict[str, list[str]]
    group_by: str | None
    window_days: int
    rows: list[MetricRowOut]


class MetricRowsQuery(MetricQueryIn):
    period: str | None = _enum(
        "Rows of the 'current' period (default) or the 'comparison'.", ("current", "comparison")
    )
    value: str | None = Field(None, description="Only the rows of one breakdown value.")
    page: str | None = Field(None, description="Page number, from 1.")
    page_size: str | None = Field(None, description="Rows per page (default 50, at most 500).")


class MetricRowsOut(Schema):
    metric: str
    key: str = Field(description="lead_id or deal_id: what the metric counts.")
    count: int
    page: int
    page_size: int
    pages: int
    results: list[dict[str, Any]]
