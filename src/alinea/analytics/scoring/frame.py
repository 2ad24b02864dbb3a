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


def _check_instants(instants: Sequence[dt.datetime]) -> None:
    if not instants:
        raise ValueError("scoring needs at least one instant")
    naive = [t for t in instants if t.tzinfo is None or t.utcoffset() is None]
    if naive:
        raise ValueError(f"instants must be timezone-aware UTC, got {naive[0]!r}")


def _at_instants(table: ir.Table, instant_column: str, instants: Sequence[dt.datetime]) -> ir.Table:
    """``table`` once per instant, keeping rows at or before it, with ``snapshot``, ``as_of``
    and ``age_days`` (days from the row's instant to the snapshot's)."""
    _check_instants(instants)
    seen = table[instant_column].epoch_seconds().cast("float64")
    parts = []
    for number, instant in enumerate(instants):
        age = (ibis.literal(instant.timestamp()) - seen) / SECONDS_PER_DAY
        part = table.mutate(
            snapshot=ibis.literal(number, "int64"),
            as_of=ibis.literal(instant.astimezone(dt.UTC)).cast(table[instant_column].type()),
            age_days=age,
        )
        parts.append(part.filter(part.age_days >= 0))
    return parts[0] if len(parts) == 1 else ibis.union(*parts)


def lead_snapshots(facts: Facts, instants: Sequence[dt.datetime]) -> ir.Table:
    """``snapshot``, ``as_of``, ``lead_id``, ``owner_id`` and every fit attribute of each lead
    created at or before each instant."""
    leads = facts.leads.select("lead_id", "created_at", "owner_id", *ATTRIBUTES)
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
    seen = _at_instants(events.select("lead_id", "occurred_at", "type"), "occurred_at", instants)
    windows = [m.window_days for m in measures]
    if None not in windows:
        seen = seen.filter(seen.age_days < max(w for w in windows if w is not None))
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
