"""Leads and their events as seen at one or more instants: the raw material of scores and rules.

Every scoring expression is built over *snapshots*: a lead as it stood at instant ``t`` (created at
or before ``t``) and the events it had by then (``occurred_at ≤ t``). One instant scores the
workspace now; twelve month ends are a backtest. Snapshots are numbered (``snapshot``) and carry
their instant (``as_of``); an event's age is read in days to the second.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir

from alinea.analytics.facts import Facts
from alinea.analytics.scoring.spec import ATTRIBUTES, EventSource, FitCriterion

SECONDS_PER_DAY = 86_400.0

#: age in days → the weight of one event
Weight = Callable[[ir.FloatingValue], ir.FloatingValue]


@ibis.udf.scalar.builtin(name="epoch")
def _duckdb_epoch(moment: dt.datetime) -> float:  # type: ignore[empty-body]
    """DuckDB's own ``epoch(TIMESTAMPTZ)``: seconds since 1970 with microseconds."""


def epoch_seconds(moment: ir.TimestampValue) -> ir.FloatingValue:
    """Seconds since 1970-01-01 UTC, as a float.

    Ibis reads the epoch of an aware timestamp through a cast to a naive one, which DuckDB makes
    per row through its time-zone library (most of the time of scoring millions of events); on
    DuckDB the same number comes from its ``epoch`` function directly."""
    if ibis.get_backend(moment).name == "duckdb":
        return _duckdb_epoch(moment)
    return moment.epoch_seconds().cast("float64")


def _check_instants(instants: Sequence[dt.datetime]) -> None:
    if not instants:
        raise ValueError("scoring needs at least one instant")
    naive = [t for t in instants if t.tzinfo is None or t.utcoffset() is None]
    if naive:
        raise ValueError(f"instants must be timezone-aware UTC, got {naive[0]!r}")


_DAWN = dt.datetime(1, 1, 2, tzinfo=dt.UTC)


def _oldest(as_of: dt.datetime, within_days: float | None) -> dt.datetime:
    """The oldest instant a row ``within_days`` of ``as_of`` may have, with a second of slack
    (the dawn of the calendar without a limit, or for a window longer than history)."""
    if within_days is None:
        return _DAWN
    try:
        return max(as_of - dt.timedelta(days=within_days, seconds=1), _DAWN)
    except OverflowError:
        return _DAWN


def _instants_table(instants: Sequence[dt.datetime], within_days: float | None) -> ir.Table:
    """The pairs a row may join: ``bucket`` (the position, among the instants in time order, of
    the first instant at or after the row) with every ``snapshot`` whose window can reach back
    to that bucket, and the snapshot's ``as_of``, its epoch seconds and the oldest instant a row
    may have (see :func:`_oldest`)."""
    as_of = [t.astimezone(dt.UTC) for t in instants]
    oldest = [_oldest(t, within_days) for t in as_of]
    order = sorted(range(len(as_of)), key=lambda i: as_of[i])
    pairs = [
        (bucket, snapshot)
        for bucket, first in enumerate(order)
        for snapshot in order[bucket:]
        if oldest[snapshot] <= as_of[first]
    ]
    return ibis.memtable(
        {
            "bucket": [b for b, _ in pairs],
            "snapshot": [s for _, s in pairs],
            "as_of": [as_of[s] for _, s in pairs],
            "as_of_seconds": [as_of[s].timestamp() for _, s in pairs],
            "oldest": [oldest[s] for _, s in pairs],
        },
        schema={
            "bucket": "int64",
            "snapshot": "int64",
            "as_of": "timestamp('UTC')",
            "as_of_seconds": "float64",
            "oldest": "timestamp('UTC')",
        },
    )


def _bucket(column: ir.TimestampValue, instants: Sequence[dt.datetime]) -> ir.IntegerValue:
    """The position, among ``instants`` in time order, of the first one at or after ``column``
    (NULL after the last one)."""
    ordered = sorted(t.astimezone(dt.UTC) for t in instants)
    kind = column.type()
    return ibis.cases(
        *[
            (column <= ibis.literal(t).cast(kind), ibis.literal(i, "int64"))
            for i, t in enumerate(ordered)
        ]
    )


def _at_one_instant(
    table: ir.Table, instant_column: str, instant: dt.datetime, within_days: float | None
) -> ir.Table:
    """Rows at or before one instant, cut by comparing with literals (which the engine can
    answer from its column statistics)."""
    column = table[instant_column]
    as_of = instant.astimezone(dt.UTC)
    kept = column <= ibis.literal(as_of).cast(column.type())
    if within_days is not None:
        kept &= column >= ibis.literal(_oldest(as_of, within_days)).cast(column.type())
    seen = epoch_seconds(column)
    return table.filter(kept).mutate(
        snapshot=ibis.literal(0, "int64"),
        as_of=ibis.literal(as_of).cast(column.type()),
        age_days=(ibis.literal(as_of.timestamp()) - seen) / SECONDS_PER_DAY,
    )


def _at_instants(
    table: ir.Table,
    instant_column: str,
    instants: Sequence[dt.datetime],
    within_days: float | None = None,
) -> ir.Table:
    """``table`` once per instant, keeping rows at or before it, with ``snapshot``, ``as_of``
    and ``age_days`` (days from the row's instant to the snapshot's). With ``within_days``, rows
    older than that many days (and a second) may be left out too: callers still test their exact
    window on ``age_days``.

    Several instants are paired with the rows by an equality join: each row's *bucket* (the
    first instant at or after it, a CASE over the instants) meets the few snapshots whose window
    reaches back to that bucket; the exact bounds are then tested on the pairs. (A range join on
    the two bounds costs DuckDB about ten times as much: it pairs every row with every instant
    on one side before testing the other.)"""
    _check_instants(instants)
    if len(instants) == 1:
        one = _at_one_instant(table, instant_column, instants[0], within_days)
        return one.filter(one.age_days >= 0)
    snaps = _instants_table(instants, within_days)
    column = table[instant_column]
    kind = column.type()
    latest = max(t.astimezone(dt.UTC) for t in instants)
    earliest = min(_oldest(t.astimezone(dt.UTC), within_days) for t in instants)
    table = table.filter(
        column <= ibis.literal(latest).cast(kind), column >= ibis.literal(earliest).cast(kind)
    )
    table = table.mutate(bucket=_bucket(table[instant_column], instants))
    paired = table.join(snaps, "bucket")
    paired = paired.filter(
        paired[instant_column] <= paired.as_of.cast(kind),
        paired[instant_column] >= paired.oldest.cast(kind),
    )
    seen = epoch_seconds(paired[instant_column])
    aged = paired.mutate(
        as_of=paired.as_of.cast(kind),
        age_days=(paired.as_of_seconds - seen) / SECONDS_PER_DAY,
    ).drop("as_of_seconds", "oldest", "bucket")
    return aged.filter(aged.age_days >= 0)


def lead_snapshots(
    facts: Facts, instants: Sequence[dt.datetime], attributes: Sequence[str] = ATTRIBUTES
) -> ir.Table:
    """``snapshot``, ``as_of``, ``lead_id``, ``owner_id`` and the fit ``attributes`` (all by
    default) of each lead created at or before each instant."""
    leads = facts.leads.select("lead_id", "created_at", "owner_id", *attributes)
    return _at_instants(leads, "created_at", instants).drop("age_days", "created_at")


def fit_condition(leads: ir.Table, criterion: FitCriterion) -> ir.BooleanValue:
    """Whether each lead meets ``criterion`` (never NULL: an unknown attribute fails)."""
    value = leads[criterion.attribute]
    if criterion.any_of:
        met = value.isin(list(criterion.any_of))
    else:
        number = value.cast("float64")
        met = ibis.literal(True)
        if criterion.at_least is not None:
            met &= number >= criterion.at_least
        if criterion.at_most is not None:
            met &= number <= criterion.at_most
    return met.fill_null(False)


@dataclass(frozen=True)
class EventMeasure:
    """A per-lead sum over one source's events: ``weight(age)`` for each event of ``types`` (all
    when empty) younger than ``window_days`` (no limit when ``None``)."""

    name: str
    source: EventSource
    types: tuple[str, ...]
    window_days: float | None
    weight: Weight


def _measure_source(
    events: ir.Table, measures: Sequence[EventMeasure], instants: Sequence[dt.datetime]
) -> ir.Table:
    windows = [m.window_days for m in measures]
    widest = None if None in windows else max(w for w in windows if w is not None)
    events = events.select("lead_id", "occurred_at", "type")
    seen = _at_instants(events, "occurred_at", instants, within_days=widest)
    if widest is not None:
        seen = seen.filter(seen.age_days < widest)
    sums = {}
    for measure in measures:
        keep = ibis.literal(True)
        if measure.types:
            keep &= seen.type.isin(list(measure.types))
        if measure.window_days is not None:
            keep &= seen.age_days < measure.window_days
        sums[measure.name] = measure.weight(seen.age_days).sum(where=keep)
    return seen.group_by("snapshot", "lead_id").aggregate(**sums)


def with_event_measures(
    facts: Facts, leads: ir.Table, measures: Sequence[EventMeasure], instants: Sequence[dt.datetime]
) -> ir.Table:
    """``leads`` (lead snapshots) with one float column per measure, 0 for leads without events."""
    result = leads
    for source in ("touchpoints", "activities"):
        mine = [m for m in measures if m.source == source]
        if not mine:
            continue
        sums = _measure_source(getattr(facts, source), mine, instants)
        result = result.left_join(sums, ["snapshot", "lead_id"]).drop(
            "snapshot_right", "lead_id_right"
        )
    return result.mutate(
        **{m.name: result[m.name].cast("float64").fill_null(0.0) for m in measures}
    )
