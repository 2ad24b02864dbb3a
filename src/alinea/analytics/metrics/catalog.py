"""The metric catalog: every named metric, and ``metric_value`` — the one way to read them.

Goals, reports, the scoreboard's successors and the API name a metric and pass a ``MetricQuery``;
nothing else about a metric needs to be known to use it. Each metric has a page in
``docs/metrics/<name>.md`` (a test keeps the two in step).
"""

from __future__ import annotations

import ibis.expr.types as ir

from alinea.analytics.facts import Facts
from alinea.analytics.metrics.deals import DEAL_METRICS
from alinea.analytics.metrics.leads import LEAD_METRICS
from alinea.analytics.metrics.metric import Metric
from alinea.analytics.metrics.query import MetricQuery

#: name → metric, in catalog order (lead volumes, rates, velocity, then deals).
METRICS: dict[str, Metric] = {metric.name: metric for metric in (*LEAD_METRICS, *DEAL_METRICS)}


def metric(name: str) -> Metric:
    """The metric called ``name``; a clear error naming the catalog otherwise.

    >>> metric("win_rate").unit
    'ratio'
    """
    try:
        return METRICS[name]
    except KeyError:
        raise KeyError(f"unknown metric {name!r}; the catalog has: {', '.join(METRICS)}") from None


def metric_value(facts: Facts, name: str, query: MetricQuery) -> ir.Table:
    """The metric ``name`` answering ``query``: one row per breakdown value (one row without a
    ``group_by``), with columns ``metric``, ``breakdown``, ``value``, ``count`` (leads or deals
    behind the value), ``mature`` and ``comparison_value``, ``comparison_count``,
    ``comparison_mature`` (NULL without a comparison period).

    >>> import datetime as dt
    >>> from alinea.analytics.periods import Period
    >>> from alinea.analytics.run import fetch
    >>> from alinea.warehouse import connect
    >>> query = MetricQuery(period=Period(dt.date(2025, 4, 1), dt.date(2025, 7, 1)),
    ...                     now=dt.datetime(2025, 7, 1, tzinfo=dt.UTC))
    >>> fetch(metric_value(Facts.of(connect("duckdb://")), "leads", query))[["value", "count"]]
       value  count
    0    0.0      0
    """
    return metric(name).compute(facts, query)
