"""Lead metrics: how many leads entered each stage, stage-to-stage rates and lead velocity.

Stage entries follow the scoreboard: a lead counts once per period for a stage it entered in the
period, even if it entered it twice. Rates and velocity read the default funnel (lead → MQL → SQL →
opportunity → customer) in the ``"any"`` mode: a lead that skipped a stage counts as having passed
it, at the moment it reached a later stage (see ``alinea.analytics.funnel.modes``).
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from alinea.analytics.facts import Facts
from alinea.analytics.funnel.clock import MICROS_PER_DAY, days_from_micros, instant, micros_at
from alinea.analytics.funnel.pivot import step_times, step_us
from alinea.analytics.funnel.spec import DEFAULT_STAGES
from alinea.analytics.metrics.metric import Metric, Rows
from alinea.analytics.metrics.query import MetricQuery
from alinea.analytics.periods import Period


def _in(column: ir.IntegerValue, period: Period) -> ir.BooleanValue:
    return (column >= micros_at(period.start)) & (column < micros_at(period.end))


def created_leads(facts: Facts, query: MetricQuery, period: Period) -> ir.Table:
    """Leads created in the period (and before ``now``)."""
    leads = facts.leads
    made = period.contains(leads.created_at) & (leads.created_at < instant(query.now))
    return leads.filter(made).select("lead_id")


def stage_entries(stage: str) -> Rows:
    """Distinct leads with a stage change into ``stage`` in the period."""

    def rows(facts: Facts, query: MetricQuery, period: Period) -> ir.Table:
        changes = facts.stage_changes
        entered = (
            (changes.stage == stage)
            & period.contains(changes.changed_at)
            & (changes.changed_at < instant(query.now))
        )
        return changes.filter(entered).select("lead_id").distinct()

    return rows


def _funnel_steps(facts: Facts, query: MetricQuery) -> ir.Table:
    return step_times(facts, DEFAULT_STAGES, "any", query.now)


def stage_cohort(from_stage: str, to_stage: str) -> Rows:
    """Leads that reached ``from_stage`` in the period; ``converted`` if they reached ``to_stage``
    within the query's window after that."""
    start = DEFAULT_STAGES.index(from_stage) + 1
    end = DEFAULT_STAGES.index(to_stage) + 1

    def rows(facts: Facts, query: MetricQuery, period: Period) -> ir.Table:
        steps = _funnel_steps(facts, query)
        cohort = steps.filter(_in(steps[step_us(start)], period))
        deadline = cohort[step_us(start)] + query.window_days * MICROS_PER_DAY
        converted = cohort[step_us(end)].notnull() & (cohort[step_us(end)] <= deadline)
        return cohort.select("lead_id", converted=converted)

    return rows


def new_customers_days(facts: Facts, query: MetricQuery, period: Period) -> ir.Table:
    """Leads that became customers in the period, with ``days`` since they entered the funnel."""
    steps = _funnel_steps(facts, query)
    last = len(DEFAULT_STAGES)
    won = steps.filter(_in(steps[step_us(last)], period))
    return won.select("lead_id", days=days_from_micros(won[step_us(1)], won[step_us(last)]))


def count_rows(rows: ir.Table) -> dict[str, ir.Scalar]:
    return {"value": rows.count(), "count": rows.count()}


def share_converted(rows: ir.Table) -> dict[str, ir.Scalar]:
    total = rows.count()
    share = ibis.ifelse(rows.converted, 1, 0).sum().cast("float64") / total
    return {"value": ibis.ifelse(total > 0, share, ibis.null("float64")), "count": total}


def median_days(rows: ir.Table) -> dict[str, ir.Scalar]:
    return {"value": rows.days.median(), "count": rows.count()}


def _entered(name: str, stage: str, owner: str, label: str) -> Metric:
    return Metric(
        name=name,
        description=f"{label} in the period: distinct leads that entered the {stage} stage.",
        unit="leads",
        formula=f"COUNT(DISTINCT lead_id) of stage changes into {stage!r} in the period",
        owner=owner,
        subject="lead",
        rows=stage_entries(stage),
        summarise=count_rows,
        additive=True,
    )


def _rate(from_stage: str, to_stage: str, owner: str) -> Metric:
    return Metric(
        name=f"{from_stage}_to_{to_stage}_rate",
        description=(
            f"Of the leads that reached {from_stage} in the period, the share that reached "
            f"{to_stage} (or a later stage) within the conversion window."
        ),
        unit="ratio",
        formula=(
            f"converted / cohort, cohort = leads reaching {from_stage} in the period, converted = "
            f"those reaching {to_stage} within window_days of reaching {from_stage}"
        ),
        owner=owner,
        subject="lead",
        rows=stage_cohort(from_stage, to_stage),
        summarise=share_converted,
        waits_for_window=True,
    )


LEAD_METRICS: tuple[Metric, ...] = (
    Metric(
        name="leads",
        description="Leads created in the period.",
        unit="leads",
        formula="COUNT(*) of leads with created_at in the period",
        owner="marketing",
        subject="lead",
        rows=created_leads,
        summarise=count_rows,
        additive=True,
    ),
    _entered("mqls", "mql", "marketing", "Marketing-qualified leads"),
    _entered("sqls", "sql", "sales", "Sales-qualified leads"),
    _entered("opportunities", "opportunity", "sales", "Opportunities"),
    _entered("customers", "customer", "sales", "New customers"),
    _rate("lead", "mql", "marketing"),
    _rate("mql", "sql", "sales"),
    _rate("sql", "opportunity", "sales"),
    _rate("opportunity", "customer", "sales"),
    Metric(
        name="lead_to_customer_days",
        description=(
            "Lead velocity: median days from entering the funnel to becoming a customer, for the "
            "leads that became customers in the period."
        ),
        unit="days",
        formula="MEDIAN(customer_at − first funnel stage_at) over leads becoming customers",
        owner="sales",
        subject="lead",
        rows=new_customers_days,
        summarise=median_days,
    ),
)
