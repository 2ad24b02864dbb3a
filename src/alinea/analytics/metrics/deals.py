"""Deal metrics: pipeline created, revenue won, win rate, deal size, sales cycle and velocity.

A deal is *created* in a period when its ``created_at`` falls in it, *won* or *lost* in a period
when its ``status`` is won or lost and its ``closed_at`` falls in it (a closed deal without a
``closed_at`` is never counted as closed). Amounts are summed as stored, whatever their currency:
alinea assumes one currency per workspace. Deals with a NULL amount count as deals but add nothing
to sums and averages.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from alinea.analytics.facts import Facts
from alinea.analytics.funnel.clock import clock_of, days_from_micros, instant
from alinea.analytics.metrics.metric import Counted, Metric
from alinea.analytics.metrics.query import MetricQuery
from alinea.analytics.periods import Period


def deal_activity(facts: Facts, query: MetricQuery, period: Period) -> ir.Table:
    """Deals created, won or lost in the period: ``deal_id``, the flags ``created``, ``won`` and
    ``lost``, ``amount`` and ``cycle_days`` (created → closed)."""
    deals = facts.deals
    now = instant(query.now)
    created = (period.contains(deals.created_at) & (deals.created_at < now)).fill_null(False)
    closed = (period.contains(deals.closed_at) & (deals.closed_at < now)).fill_null(False)
    won = closed & (deals.status == "won")
    lost = closed & (deals.status == "lost")
    clock = clock_of(facts)
    cycle = days_from_micros(clock.micros(deals.created_at), clock.micros(deals.closed_at))
    return deals.filter(created | won | lost).select(
        "deal_id", "amount", created=created, won=won, lost=lost, cycle_days=cycle
    )


# Which deals each count counts: the rows behind the number (``Metric.counted``).
def _created(rows: ir.Table) -> ir.BooleanValue:
    return rows.created


def _won(rows: ir.Table) -> ir.BooleanValue:
    return rows.won


def _closed(rows: ir.Table) -> ir.BooleanValue:
    return rows.won | rows.lost


def _won_with_amount(rows: ir.Table) -> ir.BooleanValue:
    return rows.won & rows.amount.notnull()


def _number(flag: ir.BooleanValue) -> ir.IntegerScalar:
    # CASE rather than CAST(boolean AS BIGINT), which PostgreSQL refuses
    return ibis.ifelse(flag, 1, 0).sum().fill_null(0)


def _ratio(part: ir.NumericScalar, whole: ir.NumericScalar) -> ir.FloatingScalar:
    return ibis.ifelse(whole > 0, part.cast("float64") / whole, ibis.null("float64"))


def pipeline_created(rows: ir.Table) -> dict[str, ir.Scalar]:
    return {
        "value": rows.amount.sum(where=rows.created).fill_null(0),
        "count": _number(_created(rows)),
    }


def revenue_won(rows: ir.Table) -> dict[str, ir.Scalar]:
    return {"value": rows.amount.sum(where=rows.won).fill_null(0), "count": _number(_won(rows))}


def win_rate(rows: ir.Table) -> dict[str, ir.Scalar]:
    closed = _number(_closed(rows))  # won and lost never both hold
    return {"value": _ratio(_number(rows.won), closed), "count": closed}


def average_deal_size(rows: ir.Table) -> dict[str, ir.Scalar]:
    priced = _won_with_amount(rows)
    return {"value": rows.amount.mean(where=priced), "count": _number(priced)}


def sales_cycle(rows: ir.Table) -> dict[str, ir.Scalar]:
    won_days = ibis.ifelse(rows.won, rows.cycle_days, ibis.null("float64"))
    return {"value": won_days.median(), "count": _number(_won(rows))}


def pipeline_velocity(rows: ir.Table) -> dict[str, ir.Scalar]:
    opportunities = _number(_created(rows))
    parts = (win_rate(rows)["value"], average_deal_size(rows)["value"], sales_cycle(rows)["value"])
    rate, size, cycle = parts
    velocity = opportunities.cast("float64") * rate * size / cycle
    return {"value": ibis.ifelse(cycle > 0, velocity, ibis.null("float64")), "count": opportunities}


def _deal_metric(
    name: str,
    description: str,
    unit: str,
    formula: str,
    summarise: object,
    additive: bool,
    counted: Counted,
) -> Metric:
    return Metric(
        name=name,
        description=description,
        unit=unit,
        formula=formula,
        owner="sales",
        subject="deal",
        rows=deal_activity,
        summarise=summarise,  # type: ignore[arg-type]
        additive=additive,
        counted=counted,
    )


DEAL_METRICS: tuple[Metric, ...] = (
    _deal_metric(
        "pipeline_created",
        "Pipeline created: the total amount of the deals opened in the period.",
        "currency",
        "SUM(amount) of deals with created_at in the period",
        pipeline_created,
        additive=True,
        counted=_created,
    ),
    _deal_metric(
        "revenue_won",
        "Revenue won: the total amount of the deals won in the period.",
        "currency",
        "SUM(amount) of deals with status won and closed_at in the period",
        revenue_won,
        additive=True,
        counted=_won,
    ),
    _deal_metric(
        "win_rate",
        "Of the deals closed in the period, the share that was won.",
        "ratio",
        "won / (won + lost), deals closed in the period",
        win_rate,
        additive=False,
        counted=_closed,
    ),
    _deal_metric(
        "average_deal_size",
        "The average amount of the deals won in the period.",
        "currency",
        "AVG(amount) of deals won in the period (deals without an amount left out)",
        average_deal_size,
        additive=False,
        counted=_won_with_amount,
    ),
    _deal_metric(
        "sales_cycle",
        "The median number of days from opening to winning, for the deals won in the period.",
        "days",
        "MEDIAN(closed_at − created_at) in days, deals won in the period",
        sales_cycle,
        additive=False,
        counted=_won,
    ),
    _deal_metric(
        "pipeline_velocity",
        "How much revenue the pipeline produces per day: opportunities × win rate × average deal "
        "size ÷ sales cycle, all measured in the same period.",
        "currency per day",
        "deals created × win_rate × average_deal_size ÷ sales_cycle (NULL if any part is)",
        pipeline_velocity,
        additive=False,
        counted=_created,
    ),
)
