"""The leads or deals behind a catalog metric's ``count`` for one period, paged.

These are exactly the rows the count counts (``Metric.counted_rows``): for ``win_rate`` the deals
won or lost in the period, not the deals merely opened in it. Deal rows keep their ``created``,
``won`` and ``lost`` flags.
"""

from __future__ import annotations

from dataclasses import dataclass

import ibis.expr.types as ir

from alinea.analytics.metrics import SUBJECTS, Metric, MetricQuery
from alinea.apps.funnel.params import ParameterError
from alinea.apps.funnel.selectors import Row, records
from alinea.apps.funnel.source import FactSource

PERIODS = ("current", "comparison")


@dataclass(frozen=True)
class MetricRows:
    key: str
    count: int
    page: int
    size: int
    rows: list[Row]

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // self.size))


def _rows(
    source: FactSource, metric: Metric, query: MetricQuery, which: str, value: str | None
) -> ir.Table:
    period = query.period if which == "current" else query.comparison
    assert period is not None
    rows = metric.counted_rows(source.facts, query, period)
    if value is not None:
        rows = rows.filter(rows.breakdown == value)
    return rows.order_by(SUBJECTS[metric.subject].key)


def metric_rows(
    source: FactSource,
    metric: Metric,
    query: MetricQuery,
    *,
    which: str = "current",
    value: str | None = None,
    page: int = 1,
    size: int = 50,
) -> MetricRows:
    """One page (from 1) of the rows behind ``metric`` for the query's period or comparison."""
    if which not in PERIODS:
        raise ParameterError("period", f"use one of {', '.join(PERIODS)}")
    if which == "comparison" and query.comparison is None:
        raise ParameterError("period", "give comparison_start and comparison_end first")
    key = ("metric-rows", metric.name, query, which, value)

    def counted() -> ir.Table:
        rows = _rows(source, metric, query, which, value)
        return rows.aggregate(rows=rows.count())

    count = int(source.fetch((*key, "count"), counted)["rows"].iloc[0])
    frame = source.fetch(
        (*key, page, size),
        lambda: _rows(source, metric, query, which, value).limit(size, offset=(page - 1) * size),
    )
    return MetricRows(SUBJECTS[metric.subject].key, count, page, size, records(frame))
