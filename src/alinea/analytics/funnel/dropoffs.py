"""Drop-offs: the leads of mature cohorts that stopped at a step, and where.

A lead dropped off at step *k* when it counts at step *k* but not at step *k + 1* of the funnel
(mode and conversion window as in ``funnel``), and its cohort is mature — so the number of drop-offs
at step *k* of a mature cohort is exactly ``leads`` at *k* minus ``leads`` at *k + 1*. Leads of
immature cohorts are not listed: they may still convert within their window. Drop-offs are always
judged on the cohort basis (a drop is a per-lead verdict), whatever ``spec.basis`` says. Leads
that reached the last step did not drop.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import ibis
import ibis.expr.types as ir

from alinea.analytics.facts import Facts
from alinea.analytics.funnel.breakdown import with_breakdown
from alinea.analytics.funnel.clock import clock_of
from alinea.analytics.funnel.conversion import is_mature
from alinea.analytics.funnel.pivot import in_period, lead_steps, period_of, step_at, step_us
from alinea.analytics.funnel.spec import FunnelSpec


def _last_step(leads: ir.Table, steps: int) -> ir.IntegerValue:
    # CASE rather than CAST(boolean AS BIGINT), which PostgreSQL refuses
    reached = [ibis.ifelse(leads[step_us(k)].notnull(), 1, 0) for k in range(1, steps + 1)]
    return sum(reached[1:], reached[0])


def _dropped(facts: Facts, spec: FunnelSpec, now: dt.datetime) -> ir.Table:
    """The dropped leads with ``period``, ``breakdown``, ``step`` (int), ``stage``,
    ``reached_at`` and ``next_stage``."""
    cohort = dataclasses.replace(spec, basis="cohort")
    count = len(spec.stages)
    leads = with_breakdown(facts, lead_steps(facts, cohort, now), spec.breakdown, spec.top_n)
    leads = leads.filter(in_period(leads, step_us(1), cohort))
    period = period_of(leads, 1, cohort, clock_of(facts))
    placed = leads.mutate(period=period, step=_last_step(leads, count))
    dropped = placed.filter(placed.step < count, is_mature(placed, cohort, now))
    stage_of = dict(spec.steps)
    return dropped.mutate(
        step=dropped.step.cast("int64"),
        stage=dropped.step.substitute(stage_of, else_=ibis.null("string")),
        reached_at=ibis.cases(*[(dropped.step == k, dropped[step_at(k)]) for k in range(1, count)]),
        next_stage=(dropped.step + 1).substitute(stage_of, else_=ibis.null("string")),
    )


def drop_offs(facts: Facts, spec: FunnelSpec, now: dt.datetime) -> ir.Table:
    """Leads that left the funnel: ``lead_id``, ``period``, ``breakdown``, ``stage`` and
    ``reached_at`` (the last step reached), ``next_stage`` (the one it missed), ``owner_id`` and
    ``step`` (the number of the last step reached).

    >>> from alinea.warehouse import connect
    >>> from alinea.analytics.run import fetch
    >>> now = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    >>> fetch(drop_offs(Facts.of(connect("duckdb://")), FunnelSpec(), now)).empty
    True
    """
    described = _dropped(facts, spec, now)
    owners = facts.leads.select(owned_lead="lead_id", owner_id="owner_id")
    owned = described.left_join(owners, described.lead_id == owners.owned_lead)
    return owned.select(
        "lead_id",
        "period",
        "breakdown",
        "stage",
        "reached_at",
        "next_stage",
        "owner_id",
        "step",
    ).order_by("period", "step", "lead_id")


def drop_off_counts(facts: Facts, spec: FunnelSpec, now: dt.datetime) -> ir.Table:
    """How many leads dropped at each step: ``step``, ``stage``, ``next_stage`` and ``leads``
    (steps without drop-offs have no row). The count of ``drop_offs`` per step, without reading
    owners or ordering the leads.

    >>> from alinea.warehouse import connect
    >>> from alinea.analytics.run import fetch
    >>> now = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    >>> list(fetch(drop_off_counts(Facts.of(connect("duckdb://")), FunnelSpec(), now)).columns)
    ['step', 'stage', 'next_stage', 'leads']
    """
    dropped = _dropped(facts, spec, now)
    return (
        dropped.group_by("step", "stage", "next_stage")
        .aggregate(leads=dropped.count())
        .order_by("step")
    )
