"""Funnel conversion: leads at each step per period and breakdown, step-to-step and cumulative.

Two bases, registered in ``COUNTING_BASES``:

- ``"cohort"``: a lead belongs to the period in which it reached step 1; it counts at step *k* if it
  reached step *k* within ``window_days`` of step 1. A cohort is **mature** when the conversion
  window of its last possible lead has elapsed at ``now`` (period end + window ≤ now); in an
  immature cohort a missing conversion is not (yet) a drop.
- ``"event"``: a step counts in the period in which it happened, whatever the cohort; no window.
  The step conversion is then a ratio of flows in the same period (it can exceed 1). A row is
  mature when its period has ended at ``now``.

With ``grain=None`` there is one row per step and breakdown; ``period`` is NULL and the rows are
mature only when the funnel's ``period`` (plus the window on the cohort basis) has elapsed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir

from alinea.analytics.facts import Facts
from alinea.analytics.funnel.breakdown import with_breakdown
from alinea.analytics.funnel.clock import Clock, clock_of, days_from_micros
from alinea.analytics.funnel.grains import periods_ended_by
from alinea.analytics.funnel.pivot import in_period, lead_steps, period_of, step_us
from alinea.analytics.funnel.spec import BASES, FunnelSpec

Counting = Callable[[ir.Table, FunnelSpec, Clock], ir.Table]


@dataclass(frozen=True)
class CountingBasis:
    """How a basis counts (``period``, ``breakdown``, ``step``, ``leads``, ``median_days``)."""

    counts: Counting
    #: whether the conversion window must elapse after the period before it is mature
    waits_for_window: bool


def _keys(spec: FunnelSpec) -> list[str]:
    return ["period", "breakdown"] if spec.grain is not None else ["breakdown"]


def _cohort_counts(leads: ir.Table, spec: FunnelSpec, clock: Clock) -> ir.Table:
    entered = leads.filter(in_period(leads, step_us(1), spec))
    keyed = entered.mutate(period=period_of(entered, 1, spec, clock))
    measures: dict[str, ir.Scalar] = {}
    for k, _ in spec.steps:
        measures[f"leads_{k}"] = keyed[step_us(k)].count()
        if k > 1:
            days = days_from_micros(keyed[step_us(k - 1)], keyed[step_us(k)])
            measures[f"days_{k}"] = days.median()
    wide = keyed.group_by(_keys(spec)).aggregate(**measures)
    no_days = ibis.null("float64")
    rows = [
        wide.select(
            period=wide.period if spec.grain is not None else ibis.null("date"),
            breakdown=wide.breakdown,
            step=ibis.literal(k, "int64"),
            stage=ibis.literal(stage),
            leads=wide[f"leads_{k}"].cast("int64"),
            median_days=wide[f"days_{k}"].cast("float64") if k > 1 else no_days,
        )
        for k, stage in spec.steps
    ]
    return ibis.union(*rows)


def _event_counts(leads: ir.Table, spec: FunnelSpec, clock: Clock) -> ir.Table:
    parts = []
    for k, _ in spec.steps:
        reached = leads.filter(leads[step_us(k)].notnull(), in_period(leads, step_us(k), spec))
        days = (
            days_from_micros(reached[step_us(k - 1)], reached[step_us(k)])
            if k > 1
            else ibis.null("float64")
        )
        parts.append(
            reached.select(
                period=period_of(reached, k, spec, clock),
                breakdown=reached.breakdown,
                step=ibis.literal(k, "int64"),
                days=days,
            )
        )
    events = ibis.union(*parts)
    keys = [*_keys(spec), "step"]
    counts = events.group_by(keys).aggregate(
        leads=events.count(), median_days=events.days.median().cast("float64")
    )
    return _every_step(counts, spec)


def _every_step(counts: ir.Table, spec: FunnelSpec) -> ir.Table:
    """One row per step for every (period, breakdown) that has any row, with 0 leads if none."""
    steps = ibis.memtable({"step": [k for k, _ in spec.steps], "stage": list(spec.stages)})
    groups = counts.select(_keys(spec)).distinct()
    grid = groups.cross_join(steps)
    found = counts.rename(**{f"found_{key}": key for key in [*_keys(spec), "step"]})
    match = [grid[key] == found[f"found_{key}"] for key in [*_keys(spec), "step"]]
    joined = grid.left_join(found, match)
    return joined.select(
        period=joined.period if spec.grain is not None else ibis.null("date"),
        breakdown=joined.breakdown,
        step=joined.step.cast("int64"),
        stage=joined.stage,
        leads=joined.leads.fill_null(0).cast("int64"),
        median_days=joined.median_days,
    )


COUNTING_BASES: dict[str, CountingBasis] = {
    "cohort": CountingBasis(_cohort_counts, waits_for_window=True),
    "event": CountingBasis(_event_counts, waits_for_window=False),
}
assert tuple(COUNTING_BASES) == BASES


def is_mature(rows: ir.Table, spec: FunnelSpec, now: dt.datetime) -> ir.BooleanValue:
    """Whether each row's ``period`` can no longer change at ``now`` (see the module docstring)."""
    wait = spec.window_days if COUNTING_BASES[spec.basis].waits_for_window else 0
    moment = now - dt.timedelta(days=wait)
    range_over = spec.period is not None and spec.period.end <= moment.astimezone(dt.UTC).date()
    grain = spec.cohort_grain
    if grain is None:
        return ibis.literal(range_over)
    ended = rows.period < ibis.literal(periods_ended_by(grain, moment))
    return ended | ibis.literal(range_over)


def _with_conversions(counts: ir.Table, spec: FunnelSpec, now: dt.datetime) -> ir.Table:
    group = ["period", "breakdown"]
    previous = counts.leads.lag().over(ibis.window(group_by=group, order_by="step"))
    first = ibis.ifelse(counts.step == 1, counts.leads, 0).sum().over(ibis.window(group_by=group))
    rows = counts.mutate(previous_leads=previous, first_leads=first)
    step_rate = rows.leads.cast("float64") / rows.previous_leads
    cumulative = rows.leads.cast("float64") / rows.first_leads
    return rows.select(
        "period",
        "breakdown",
        "step",
        "stage",
        "leads",
        step_conversion=ibis.ifelse(rows.previous_leads > 0, step_rate, ibis.null("float64")),
        cumulative_conversion=ibis.ifelse(rows.first_leads > 0, cumulative, ibis.null("float64")),
        median_days=rows.median_days,
        mature=is_mature(rows, spec, now),
    ).order_by("period", "breakdown", "step")


def funnel(facts: Facts, spec: FunnelSpec, now: dt.datetime) -> ir.Table:
    """Leads at each step, per period and breakdown, with conversions and time from the last step.

    Columns: ``period`` (first day, NULL with ``grain=None``), ``breakdown`` (``"(all)"`` without
    one), ``step`` (1…K), ``stage``, ``leads``, ``step_conversion`` (leads / leads at the previous
    step; NULL at step 1 or when the previous step has none), ``cumulative_conversion`` (leads /
    leads at step 1), ``median_days`` (median days from the previous step to this one, among the
    leads counted here) and ``mature``.

    >>> from alinea.warehouse import connect
    >>> from alinea.analytics.run import fetch
    >>> now = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    >>> fetch(funnel(Facts.of(connect("duckdb://")), FunnelSpec(), now)).empty
    True
    """
    leads = with_breakdown(facts, lead_steps(facts, spec, now), spec.breakdown, spec.top_n)
    counts = COUNTING_BASES[spec.basis].counts(leads, spec, clock_of(facts))
    return _with_conversions(counts, spec, now)


def conversion_trend(
    facts: Facts, spec: FunnelSpec, now: dt.datetime, *, from_stage: str, to_stage: str
) -> ir.Table:
    """The conversion from one step to a later one, per period: a trend line with its weight.

    Columns: ``period``, ``breakdown``, ``leads`` (at ``from_stage``: the number of leads behind
    the point), ``converted`` (at ``to_stage``), ``rate`` (converted / leads, NULL without leads)
    and ``mature``. On the event basis both counts are flows in the period.

    >>> from alinea.warehouse import connect
    >>> from alinea.analytics.run import fetch
    >>> now = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    >>> trend = conversion_trend(Facts.of(connect("duckdb://")), FunnelSpec(), now,
    ...                          from_stage="mql", to_stage="sql")
    >>> list(fetch(trend).columns)
    ['period', 'breakdown', 'leads', 'converted', 'rate', 'mature']
    """
    return trend_of_funnel(funnel(facts, spec, now), spec, from_stage=from_stage, to_stage=to_stage)


def trend_of_funnel(
    rows: ir.Table, spec: FunnelSpec, *, from_stage: str, to_stage: str
) -> ir.Table:
    """``conversion_trend`` read off ``rows``, the answer of ``funnel`` for the same ``spec`` (an
    expression, or rows already fetched, as a memtable): a page that shows both computes the
    funnel once.

    >>> from alinea.warehouse import connect
    >>> from alinea.analytics.run import fetch
    >>> now = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    >>> rows = funnel(Facts.of(connect("duckdb://")), FunnelSpec(), now)
    >>> fetched = ibis.memtable(fetch(rows), schema=rows.schema())
    >>> fetch(trend_of_funnel(fetched, FunnelSpec(), from_stage="lead", to_stage="mql")).empty
    True
    """
    start, end = spec.step_of(from_stage), spec.step_of(to_stage)
    if end <= start:
        raise ValueError(f"{to_stage!r} must come after {from_stage!r} in the funnel")

    base = rows.filter(rows.step == start)
    later = rows.filter(rows.step == end).select(
        later_period="period", later_breakdown="breakdown", converted="leads"
    )
    same = base.period.identical_to(later.later_period) & (base.breakdown == later.later_breakdown)
    joined = base.inner_join(later, same)
    rate = joined.converted.cast("float64") / joined.leads
    return joined.select(
        "period",
        "breakdown",
        "leads",
        "converted",
        rate=ibis.ifelse(joined.leads > 0, rate, ibis.null("float64")),
        mature="mature",
    ).order_by("period", "breakdown")
