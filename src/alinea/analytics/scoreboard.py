"""The scoreboard: the headline volume of each team, this period against a comparable one.

Definitions (each counts facts whose timestamp falls in the period, read in UTC):

- ``leads``: leads created;
- ``mqls``, ``sqls``, ``opportunities``, ``customers``: distinct leads that entered that lifecycle
  stage (a lead re-entering a stage in the same period counts once);
- ``won_revenue``: sum of ``amount`` of deals won (``status = 'won'``, by ``closed_at``).

Marketing owns leads and MQLs; sales owns SQLs, opportunities, customers and won revenue.
"""

from __future__ import annotations

import datetime as dt

import ibis
import ibis.expr.types as ir

from alinea.analytics.facts import Facts
from alinea.analytics.periods import Period

#: metric → (owning team, lifecycle stage it counts, or None)
SCOREBOARD_METRICS: dict[str, tuple[str, str | None]] = {
    "leads": ("marketing", None),
    "mqls": ("marketing", "mql"),
    "sqls": ("sales", "sql"),
    "opportunities": ("sales", "opportunity"),
    "customers": ("sales", "customer"),
    "won_revenue": ("sales", None),
}

_STAGE_METRIC = {stage: metric for metric, (_, stage) in SCOREBOARD_METRICS.items() if stage}


def _volumes(facts: Facts, *, start: dt.date, end: dt.date, by_month: bool) -> ir.Table:
    """Rows (bucket, metric, value) for every scoreboard metric in [start, end).

    ``bucket`` is the first day of the month when ``by_month``, else the start day.
    """
    span = Period(start, end)

    def bucket(instant: ir.TimestampValue) -> ir.DateValue:
        return instant.truncate("M").date() if by_month else ibis.literal(start)

    leads = facts.leads.filter(span.contains(facts.leads.created_at))
    lead_counts = leads.group_by(bucket=bucket(leads.created_at)).aggregate(
        metric=ibis.literal("leads"), value=leads.count().cast("float64")
    )
    changes = facts.stage_changes.filter(
        span.contains(facts.stage_changes.changed_at)
        & facts.stage_changes.stage.isin(list(_STAGE_METRIC))
    )
    stage_counts = changes.group_by(
        bucket=bucket(changes.changed_at),
        metric=changes.stage.substitute(_STAGE_METRIC),
    ).aggregate(value=changes.lead_id.nunique().cast("float64"))
    won = facts.deals.filter((facts.deals.status == "won") & span.contains(facts.deals.closed_at))
    revenue = won.group_by(bucket=bucket(won.closed_at)).aggregate(
        metric=ibis.literal("won_revenue"), value=won.amount.sum().cast("float64")
    )
    columns = ("bucket", "metric", "value")
    return ibis.union(
        lead_counts.select(*columns), stage_counts.select(*columns), revenue.select(*columns)
    )


def _metric_team() -> ir.Table:
    return ibis.memtable(
        {
            "metric": list(SCOREBOARD_METRICS),
            "team": [team for team, _ in SCOREBOARD_METRICS.values()],
            "position": list(range(len(SCOREBOARD_METRICS))),
        }
    )


def scoreboard(facts: Facts, *, current: Period, previous: Period) -> ir.Table:
    """One row per scoreboard metric: ``metric``, ``team``, ``current``, ``previous``.

    Metrics with no facts in a period are 0, never missing.

    >>> from alinea.warehouse import connect
    >>> from alinea.analytics.periods import quarter_to_date, previous_comparable
    >>> from alinea.analytics.run import fetch
    >>> now = quarter_to_date(dt.date(2025, 5, 14))
    >>> board = scoreboard(Facts.of(connect("duckdb://")), current=now,
    ...                    previous=previous_comparable(now))
    >>> fetch(board)[["metric", "current"]].to_dict("records")[0]
    {'metric': 'leads', 'current': 0.0}
    """
    now = _volumes(facts, start=current.start, end=current.end, by_month=False)
    before = _volumes(facts, start=previous.start, end=previous.end, by_month=False)
    board = (
        _metric_team()
        .left_join(now.select("metric", current="value"), "metric")
        .drop("metric_right")
        .left_join(before.select("metric", previous="value"), "metric")
        .drop("metric_right")
    )
    return board.order_by("position").select(
        "metric",
        "team",
        current=board.current.fill_null(0.0),
        previous=board.previous.fill_null(0.0),
    )


def monthly_trend(facts: Facts, *, start: dt.date, end: dt.date) -> ir.Table:
    """Each scoreboard metric per calendar month in [start, end): ``month``, ``metric``, ``value``.

    Months without facts for a metric have no row.
    """
    volumes = _volumes(facts, start=start, end=end, by_month=True)
    trend = volumes.select(month=volumes.bucket, metric=volumes.metric, value=volumes.value)
    return trend.order_by("month", "metric")
