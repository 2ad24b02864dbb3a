"""A named metric and how every metric answers a ``MetricQuery`` the same way.

A metric is two small functions: ``rows`` picks the leads or deals of one period (one row each,
with the columns the metric needs) and ``summarise`` reduces them to a ``value`` and a ``count``
(the number of leads or deals behind the value). ``Metric.compute`` applies the query's filters and
breakdown, runs both for the period and the comparison period, and lines them up.

``rows`` may read more than the count counts (``win_rate`` reads every deal created, won or lost in
the period, and counts the closed ones); ``counted`` says which rows ``count`` counts, and
``Metric.counted_rows`` lists exactly those: the rows behind a number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir

from alinea.analytics.facts import Facts
from alinea.analytics.funnel.dimensions import ALL_LABEL
from alinea.analytics.metrics.query import MetricQuery
from alinea.analytics.metrics.scope import check_dimensions, scoped
from alinea.analytics.periods import Period

Rows = Callable[[Facts, MetricQuery, Period], ir.Table]
Summary = Callable[[ir.Table], dict[str, ir.Scalar]]
Counted = Callable[[ir.Table], ir.BooleanValue]

OUTPUT_COLUMNS: tuple[str, ...] = (
    "metric",
    "breakdown",
    "value",
    "count",
    "mature",
    "comparison_value",
    "comparison_count",
    "comparison_mature",
)


@dataclass(frozen=True)
class Metric:
    """A catalog entry: documentation fields plus the two functions that compute it.

    ``unit`` is one of leads, deals, ratio, days, currency, currency per day. ``additive``
    metrics (counts, sums) are 0 where nothing happened; the others are NULL (undefined).
    ``waits_for_window`` metrics are mature only once the conversion window after the period has
    elapsed; the others once the period has ended. ``counted`` picks the rows of ``rows`` that
    ``count`` counts (``None``: all of them).
    """

    name: str
    description: str
    unit: str
    formula: str
    owner: str
    subject: str
    rows: Rows
    summarise: Summary
    additive: bool = False
    waits_for_window: bool = False
    counted: Counted | None = None

    def counted_rows(self, facts: Facts, query: MetricQuery, period: Period) -> ir.Table:
        """The leads or deals behind ``count`` for ``period`` (after the query's filters), one row
        each, with the columns of ``rows`` and ``breakdown``: as many rows as ``count`` says."""
        rows = scoped(facts, self.rows(facts, query, period), self.subject, query)
        return rows if self.counted is None else rows.filter(self.counted(rows))

    def measure(self, facts: Facts, query: MetricQuery, period: Period) -> ir.Table:
        """``breakdown``, ``value``, ``count`` and ``mature`` for one period."""
        rows = scoped(facts, self.rows(facts, query, period), self.subject, query)
        if query.group_by is None:
            summary = rows.aggregate(**self.summarise(rows))
            summary = summary.mutate(breakdown=ibis.literal(ALL_LABEL))
        else:
            summary = rows.group_by("breakdown").aggregate(**self.summarise(rows))
        return summary.select(
            "breakdown",
            value=summary.value.cast("float64"),
            count=summary["count"].cast("int64"),
            mature=ibis.literal(self.is_mature(query, period)),
        )

    def is_mature(self, query: MetricQuery, period: Period) -> bool:
        """Whether facts after ``query.now`` can no longer change the value for ``period``."""
        wait = dt.timedelta(days=query.window_days if self.waits_for_window else 0)
        settled = dt.datetime.combine(period.end, dt.time(), dt.UTC) + wait
        return settled <= query.now

    def compute(self, facts: Facts, query: MetricQuery) -> ir.Table:
        """The metric for the query's period beside its comparison period, one row per breakdown.

        Columns: ``metric``, ``breakdown``, ``value``, ``count``, ``mature`` and the same three
        for the comparison (NULL without a comparison period).
        """
        check_dimensions(self.subject, query, self.name)
        current = self.measure(facts, query, query.period)
        if query.comparison is None:
            return current.select(
                metric=ibis.literal(self.name),
                breakdown=current.breakdown,
                value=current.value,
                count=current["count"],
                mature=current.mature,
                comparison_value=ibis.null("float64"),
                comparison_count=ibis.null("int64"),
                comparison_mature=ibis.null("boolean"),
            ).order_by("breakdown")
        before = self.measure(facts, query, query.comparison)
        return self._side_by_side(current, before, query)

    def _side_by_side(self, current: ir.Table, before: ir.Table, query: MetricQuery) -> ir.Table:
        before = before.rename(
            before_breakdown="breakdown",
            comparison_value="value",
            comparison_count="count",
            comparison_mature="mature",
        )
        joined = current.outer_join(before, current.breakdown == before.before_breakdown)
        empty = ibis.literal(0.0) if self.additive else ibis.null("float64")
        assert query.comparison is not None
        return joined.select(
            metric=ibis.literal(self.name),
            breakdown=joined.breakdown.fill_null(joined.before_breakdown),
            value=ibis.ifelse(joined["count"].isnull(), empty, joined.value),
            count=joined["count"].fill_null(0),
            mature=ibis.literal(self.is_mature(query, query.period)),
            comparison_value=ibis.ifelse(
                joined.comparison_count.isnull(), empty, joined.comparison_value
            ),
            comparison_count=joined.comparison_count.fill_null(0),
            comparison_mature=ibis.literal(self.is_mature(query, query.comparison)),
        ).order_by("breakdown")
