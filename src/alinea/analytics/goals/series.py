"""The periods a goal is measured over, and the metric's value in each of them (one query).

- ``comparable_periods``: the goal's period in earlier times — the previous quarter for a quarter,
  the previous month for a month, otherwise as many days just before;
- ``weekly_buckets``: seven-day slices (the last may be shorter) for the metric's variability;
- ``measure_periods``: the metric for many periods, run as one query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import ibis

from alinea.analytics.facts import Facts
from alinea.analytics.metrics import MetricQuery, metric_value
from alinea.analytics.metrics.query import Filters
from alinea.analytics.periods import Period, previous_comparable, quarter_start
from alinea.analytics.run import fetch

WEEK = dt.timedelta(days=7)


@dataclass(frozen=True)
class PeriodValue:
    """The metric over one period: ``value`` (``None`` when undefined), the leads or deals behind
    it (``count``) and whether later facts can still change it (``mature``)."""

    period: Period
    value: float | None
    count: int
    mature: bool


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def previous_period(period: Period) -> tuple[Period, str]:
    """The comparable period before ``period`` and how it was chosen.

    >>> previous_period(Period(dt.date(2025, 4, 1), dt.date(2025, 7, 1)))[0]
    Period(start=datetime.date(2025, 1, 1), end=datetime.date(2025, 4, 1))
    """
    start, end = period.start, period.end
    if start.day == 1 and end <= _next_month(start):
        before = _month_start(start - dt.timedelta(days=1))
        days = min(period.days, (start - before).days)
        return Period(before, before + dt.timedelta(days=days)), "the same days of the month before"
    if start == quarter_start(start) and end <= quarter_start(start + dt.timedelta(days=92)):
        return previous_comparable(period), "the same days of the previous quarter"
    span = dt.timedelta(days=period.days)
    return Period(start - span, start), f"the {period.days} days just before"


def comparable_periods(period: Period, count: int) -> list[Period]:
    """``count`` comparable periods before ``period``, oldest first."""
    found: list[Period] = []
    current = period
    for _ in range(count):
        current, _how = previous_period(current)
        found.append(current)
    return found[::-1]


def weekly_buckets(start: dt.date, end: dt.date) -> list[Period]:
    """Seven-day periods from ``start`` to ``end``; the last one stops at ``end``.

    >>> [b.days for b in weekly_buckets(dt.date(2025, 1, 1), dt.date(2025, 1, 17))]
    [7, 7, 2]
    """
    buckets: list[Period] = []
    day = start
    while day < end:
        buckets.append(Period(day, min(day + WEEK, end)))
        day += WEEK
    return buckets


def weeks_before(start: dt.date, weeks: int) -> list[Period]:
    """The ``weeks`` whole weeks that end at ``start``, oldest first."""
    return weekly_buckets(start - weeks * WEEK, start)


def measure_periods(
    facts: Facts,
    metric: str,
    periods: Sequence[Period],
    *,
    now: dt.datetime,
    filters: Filters = (),
    window_days: int = 90,
) -> list[PeriodValue]:
    """The metric in each of ``periods`` (same order), computed in one query."""
    if not periods:
        return []
    parts = []
    for position, period in enumerate(periods):
        query = MetricQuery(period=period, now=now, filters=filters, window_days=window_days)
        answer = metric_value(facts, metric, query)
        parts.append(answer.select("value", "count", "mature", position=ibis.literal(position)))
    rows = fetch(ibis.union(*parts) if len(parts) > 1 else parts[0])
    by_position: dict[int, dict[str, Any]] = {
        int(r["position"]): {str(k): v for k, v in r.items()} for r in rows.to_dict("records")
    }
    return [_period_value(period, by_position.get(i)) for i, period in enumerate(periods)]


def _period_value(period: Period, row: dict[str, Any] | None) -> PeriodValue:
    if row is None:
        return PeriodValue(period, None, 0, False)
    value = row["value"]
    number = None if value is None or value != value else float(value)
    return PeriodValue(period, number, int(row["count"]), bool(row["mature"]))
