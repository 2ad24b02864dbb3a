"""The per-lead pivot: one row per lead with the instant it reached each funnel step.

This is the heart of every funnel number and the expensive part (a GROUP BY over all stage changes
with one row per lead), so it is one pass: ``MIN(changed_at) FILTER (WHERE stage = s)`` for each
stage, grouped by lead. The funnel mode then turns first entries into step times with row-wise
expressions, and the conversion window clears steps reached too late — no second pass.

Each step is carried twice: ``step_<k>_at`` (the timestamp, for listings) and ``step_<k>_us``
(microseconds since the epoch, for windows, durations and periods; see ``clock``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import ibis
import ibis.expr.types as ir

from alinea.analytics.facts import Facts
from alinea.analytics.funnel.clock import MICROS_PER_DAY, Clock, clock_of, instant, micros_at
from alinea.analytics.funnel.modes import FUNNEL_MODES
from alinea.analytics.funnel.spec import FunnelSpec
from alinea.warehouse.firsts import first_column


def step_at(step: int) -> str:
    """Column name of the instant a lead reached ``step`` (numbered from 1)."""
    return f"step_{step}_at"


def step_us(step: int) -> str:
    """Column name of the same instant in microseconds since the epoch."""
    return f"step_{step}_us"


def first_entries(facts: Facts, stages: Sequence[str], now: dt.datetime) -> ir.Table:
    """``lead_id`` and ``first_<k>``: the first instant (before ``now``) the lead entered stage k.

    Stage changes into stages outside ``stages`` are ignored; a lead with none of them has no row.
    Read from the warehouse's ``lead_firsts`` when it keeps one (no GROUP BY over the stage
    changes): the first entry before ``now`` is the first entry, if that is before ``now``.
    """
    if facts.lead_firsts is not None:
        return _from_lead_firsts(facts.lead_firsts, stages, now)
    changes = facts.stage_changes
    known = changes.filter(changes.stage.isin(list(stages)), changes.changed_at < instant(now))
    return known.group_by("lead_id").aggregate(
        **{
            f"first_{k}": known.changed_at.min(where=known.stage == stage)
            for k, stage in enumerate(stages, start=1)
        }
    )


def _from_lead_firsts(firsts: ir.Table, stages: Sequence[str], now: dt.datetime) -> ir.Table:
    cut = instant(now)
    before = {
        f"first_{k}": ibis.ifelse(
            firsts[first_column(stage)] < cut, firsts[first_column(stage)], None
        )
        for k, stage in enumerate(stages, start=1)
    }
    known = ibis.or_(*(firsts[first_column(stage)] < cut for stage in stages))
    return firsts.filter(known).select("lead_id", **before)


def step_times(facts: Facts, stages: Sequence[str], mode: str, now: dt.datetime) -> ir.Table:
    """``lead_id``, ``step_<k>_at`` and ``step_<k>_us`` per the funnel ``mode``, for leads that
    reached step 1. No conversion window is applied (see ``lead_steps``)."""
    firsts = first_entries(facts, stages, now)
    columns = [firsts[f"first_{k}"] for k in range(1, len(stages) + 1)]
    steps = FUNNEL_MODES[mode](columns)
    timed = firsts.select("lead_id", **{step_at(k): at for k, at in enumerate(steps, start=1)})
    timed = timed.filter(timed[step_at(1)].notnull())
    clock = clock_of(facts)
    return timed.mutate(
        **{step_us(k): clock.micros(timed[step_at(k)]) for k in range(1, len(stages) + 1)}
    )


def within_window(table: ir.Table, steps: int, window_days: int) -> ir.Table:
    """Clear every step reached more than ``window_days`` after step 1 (the limit is included).

    Step times never decrease, so a cleared step clears every later one too.
    """
    deadline = table[step_us(1)] + window_days * MICROS_PER_DAY
    cleared: dict[str, ir.Value] = {}
    for k in range(2, steps + 1):
        in_time = table[step_us(k)] <= deadline
        cleared[step_at(k)] = ibis.ifelse(in_time, table[step_at(k)], ibis.null())
        cleared[step_us(k)] = ibis.ifelse(in_time, table[step_us(k)], ibis.null())
    return table.mutate(**cleared)


def lead_steps(facts: Facts, spec: FunnelSpec, now: dt.datetime) -> ir.Table:
    """One row per lead that reached step 1 of ``spec``: ``lead_id``, ``step_<k>_at`` and
    ``step_<k>_us`` for k = 1…K (NULL where the lead does not count).

    On the cohort basis steps reached after the conversion window are cleared; on the event basis
    every step counts when it happened. Only stage changes before ``now`` are read.

    >>> from alinea.warehouse import connect
    >>> from alinea.analytics.run import fetch
    >>> facts, now = Facts.of(connect("duckdb://")), dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    >>> list(fetch(lead_steps(facts, FunnelSpec(), now)).columns)[:3]
    ['lead_id', 'step_1_at', 'step_2_at']
    """
    timed = step_times(facts, spec.stages, spec.mode, now)
    if spec.basis == "cohort":
        timed = within_window(timed, len(spec.stages), spec.window_days)
    return timed


def in_period(table: ir.Table, micros: str, spec: FunnelSpec) -> ir.BooleanValue:
    """Whether the instant in column ``micros`` falls in the funnel's ``period`` (true without)."""
    if spec.period is None:
        return ibis.literal(True)
    start, end = micros_at(spec.period.start), micros_at(spec.period.end)
    return (table[micros] >= start) & (table[micros] < end)


def period_of(table: ir.Table, step: int, spec: FunnelSpec, clock: Clock) -> ir.DateValue:
    """The first day of the period (of ``spec.grain``) in which the lead reached ``step``."""
    grain = spec.cohort_grain
    if grain is None:
        return ibis.null("date")
    return clock.period_start(table[step_at(step)], table[step_us(step)], grain.unit)
