"""Reading a question to the metric catalog from API parameters (400s name the parameter)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from alinea.analytics.metrics import METRICS, SUBJECTS, Metric, MetricQuery
from alinea.analytics.periods import Period, quarter_start
from alinea.apps.funnel.params import (
    DEFAULT_WINDOW_DAYS,
    ParameterError,
    read_day,
    read_integer,
    read_now,
)


def catalog_metric(name: str) -> Metric:
    """The metric called ``name``, or a ``ParameterError`` listing the catalog."""
    if name not in METRICS:
        raise ParameterError(
            "name", f"unknown metric {name!r}; the catalog has: {', '.join(METRICS)}"
        )
    return METRICS[name]


def metric_dimensions(metric: Metric) -> list[str]:
    return list(SUBJECTS[metric.subject].dimensions)


def _span(values: Mapping[str, str], first: str, last: str) -> Period | None:
    start, end = read_day(values, first), read_day(values, last)
    if start is None and end is None:
        return None
    if start is None or end is None:
        missing = first if start is None else last
        raise ParameterError(missing, f"give both {first} and {last}, or neither")
    if end < start:
        raise ParameterError(last, f"the last day {end} is before the first day {start}")
    return Period(start, end + dt.timedelta(days=1))


def _filters(metric: Metric, written: Sequence[str]) -> dict[str, list[str]]:
    known = metric_dimensions(metric)
    filters: dict[str, list[str]] = {}
    for text in written:
        dimension, colon, values = text.partition(":")
        dimension = dimension.strip()
        if not colon or not dimension or not values.strip():
            raise ParameterError("filter", f"{text!r}: write dimension:value1,value2")
        if dimension not in known:
            raise ParameterError(
                "filter",
                f"metric {metric.name!r} has no dimension {dimension!r}; known: {', '.join(known)}",
            )
        chosen = [value.strip() for value in values.split(",") if value.strip()]
        filters.setdefault(dimension, []).extend(chosen)
    return filters


def metric_query(
    metric: Metric, values: Mapping[str, str], filters: Sequence[str], *, now: dt.datetime
) -> MetricQuery:
    """The ``MetricQuery`` the parameters ask for: by default quarter to date, no comparison."""
    moment = read_now(values, now)
    today = moment.date()
    period = _span(values, "start", "end") or Period(
        quarter_start(today), today + dt.timedelta(days=1)
    )
    group_by = (values.get("group_by") or "").strip() or None
    if group_by is not None and group_by not in metric_dimensions(metric):
        known = ", ".join(metric_dimensions(metric))
        raise ParameterError("group_by", f"unknown dimension {group_by!r}; known: {known}")
    return MetricQuery(
        period=period,
        now=moment,
        comparison=_span(values, "comparison_start", "comparison_end"),
        filters=_filters(metric, filters),
        group_by=group_by,
        window_days=read_integer(values, "window_days", DEFAULT_WINDOW_DAYS, 1, 3650),
    )
