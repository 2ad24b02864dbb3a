"""Time to convert between two funnel steps: percentiles and a histogram, per breakdown.

The leads measured are the funnel's leads (same mode, window, period and breakdown as
``funnel``) that reached both steps; the time is from reaching ``from_stage`` to reaching
``to_stage``, in days. On the cohort basis the funnel's ``period`` selects leads by their entry into
step 1; on the event basis, by the day they reached ``to_stage``. Percentiles interpolate linearly
between the two nearest values (``PERCENTILE_CONT``), like pandas' default.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from alinea.analytics.facts import Facts
from alinea.analytics.funnel.breakdown import with_breakdown
from alinea.analytics.funnel.clock import days_from_micros
from alinea.analytics.funnel.pivot import in_period, lead_steps, step_us
from alinea.analytics.funnel.spec import FunnelSpec

#: Histogram bin edges in days: [0, 1), [1, 2), [2, 3), [3, 7), …, [365, ∞). Short gaps are
#: common right after a hand-off, long ones at the bottom of the funnel, so bins widen with time.
DEFAULT_BIN_EDGES: tuple[float, ...] = (0, 1, 2, 3, 7, 14, 30, 60, 90, 180, 365)


def conversion_days(
    facts: Facts, spec: FunnelSpec, now: dt.datetime, *, from_stage: str, to_stage: str
) -> ir.Table:
    """One row per lead that reached both steps: ``lead_id``, ``breakdown``, ``days``."""
    start, end = spec.step_of(from_stage), spec.step_of(to_stage)
    if end <= start:
        raise ValueError(f"{to_stage!r} must come after {from_stage!r} in the funnel")
    leads = with_breakdown(facts, lead_steps(facts, spec, now), spec.breakdown, spec.top_n)
    anchor = step_us(1) if spec.basis == "cohort" else step_us(end)
    reached = leads.filter(leads[step_us(end)].notnull(), in_period(leads, anchor, spec))
    days = days_from_micros(reached[step_us(start)], reached[step_us(end)])
    return reached.select("lead_id", "breakdown", days=days)


def conversion_times(
    facts: Facts, spec: FunnelSpec, now: dt.datetime, *, from_stage: str, to_stage: str
) -> ir.Table:
    """Days from one step to a later one: ``breakdown``, ``leads``, ``p25_days``, ``median_days``,
    ``p75_days``, ``p90_days``.

    >>> from alinea.warehouse import connect
    >>> from alinea.analytics.run import fetch
    >>> now = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    >>> times = conversion_times(Facts.of(connect("duckdb://")), FunnelSpec(), now,
    ...                          from_stage="lead", to_stage="customer")
    >>> list(fetch(times).columns)
    ['breakdown', 'leads', 'p25_days', 'median_days', 'p75_days', 'p90_days']
    """
    days = conversion_days(facts, spec, now, from_stage=from_stage, to_stage=to_stage)
    return (
        days.group_by("breakdown")
        .aggregate(
            leads=days.count(),
            p25_days=days.days.quantile(0.25),
            median_days=days.days.median(),
            p75_days=days.days.quantile(0.75),
            p90_days=days.days.quantile(0.9),
        )
        .order_by("breakdown")
    )


def bin_index(days: ir.FloatingValue, edges: Sequence[float]) -> ir.IntegerValue:
    """The 0-based bin of ``days`` for bins ``[edges[i], edges[i + 1])``, the last one open."""
    cases = [(days < upper, index) for index, upper in enumerate(edges[1:])]
    return ibis.cases(*cases, else_=len(edges) - 1)


def _check_edges(edges: Sequence[float]) -> None:
    if not edges or edges[0] != 0 or any(b <= a for a, b in itertools.pairwise(edges)):
        raise ValueError(f"bin edges must start at 0 and increase, got {tuple(edges)}")


def conversion_histogram(
    facts: Facts,
    spec: FunnelSpec,
    now: dt.datetime,
    *,
    from_stage: str,
    to_stage: str,
    edges: Sequence[float] = DEFAULT_BIN_EDGES,
) -> ir.Table:
    """How many leads took how long: ``breakdown``, ``bin``, ``lower_days``, ``upper_days`` (NULL
    for the open last bin) and ``leads``; every bin of every breakdown is present (0 if empty).

    >>> from alinea.warehouse import connect
    >>> from alinea.analytics.run import fetch
    >>> now = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    >>> fetch(conversion_histogram(Facts.of(connect("duckdb://")), FunnelSpec(), now,
    ...                            from_stage="mql", to_stage="sql")).empty
    True
    """
    _check_edges(edges)
    days = conversion_days(facts, spec, now, from_stage=from_stage, to_stage=to_stage)
    counts = (
        days.mutate(bin=bin_index(days.days, edges))
        .group_by("breakdown", "bin")
        .aggregate(leads=ibis._.count())
        .rename(found_breakdown="breakdown", found_bin="bin")
    )
    bins = ibis.memtable(
        pa.table(
            {
                "bin": pa.array(range(len(edges)), pa.int64()),
                "lower_days": pa.array([float(e) for e in edges], pa.float64()),
                "upper_days": pa.array([float(e) for e in edges[1:]] + [None], pa.float64()),
            }
        )
    )
    grid = days.select("breakdown").distinct().cross_join(bins)
    match = (grid.breakdown == counts.found_breakdown) & (grid.bin == counts.found_bin)
    joined = grid.left_join(counts, match)
    return joined.select(
        "breakdown",
        bin=joined.bin.cast("int64"),
        lower_days=joined.lower_days.cast("float64"),
        upper_days=joined.upper_days.cast("float64"),
        leads=joined.leads.fill_null(0).cast("int64"),
    ).order_by("breakdown", "bin")
