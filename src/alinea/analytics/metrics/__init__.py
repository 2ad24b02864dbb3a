"""The metric catalog: named, documented metrics that goals, reports and the API read by name.

``metric_value(facts, name, MetricQuery(period=…, now=…))`` is the whole interface; ``METRICS``
lists what exists, with each metric's description, unit, formula and owning team.
"""

from alinea.analytics.metrics.catalog import METRICS, metric, metric_value
from alinea.analytics.metrics.metric import OUTPUT_COLUMNS, Metric
from alinea.analytics.metrics.query import MetricQuery
from alinea.analytics.metrics.scope import DEAL_DIMENSIONS, SUBJECTS

__all__ = [
    "DEAL_DIMENSIONS",
    "METRICS",
    "OUTPUT_COLUMNS",
    "SUBJECTS",
    "Metric",
    "MetricQuery",
    "metric",
    "metric_value",
]
