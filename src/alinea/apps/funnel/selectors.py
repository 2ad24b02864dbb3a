"""What the funnel page and API show, read from the analytics core (no metric is computed here).

Every selector takes a ``FactSource`` (facts + cache) and ``FunnelParams`` and returns plain Python
rows (dicts of str, int, float, bool, date, datetime or None) in the analytics core's column names.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import ibis
import pandas as pd
from ibis.backends import BaseBackend

from alinea import workspace
from alinea.analytics.funnel import (
    StallSpec,
    conversion_histogram,
    conversion_times,
    drop_off_counts,
    funnel,
    stall_counts,
    trend_of_funnel,
)
from alinea.apps.funnel.params import FunnelParams
from alinea.apps.funnel.source import FactSource

Row = dict[str, Any]


def funnel_source(con: BaseBackend) -> FactSource:
    """The facts of ``con`` (the workspace's warehouse) with the funnel's cache."""
    return FactSource(con, workspace.warehouse_url())


def plain(value: Any) -> Any:
    """A fetched cell as a plain value: NaN/NaT → None, naive midnight timestamps → dates."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        if value.tzinfo is None:
            return value.date()
        return value.to_pydatetime()
    if hasattr(value, "item"):
        return plain(value.item())
    return value


def records(frame: pd.DataFrame) -> list[Row]:
    """The rows of a fetched frame as dicts of plain values."""
    return [{str(k): plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


def conversion(source: FactSource, params: FunnelParams, *, breakdown: bool = True) -> list[Row]:
    """One row per step (and breakdown value) over the whole period, with ``drop_off`` (the share
    of the previous step's leads that did not reach this one)."""
    spec = params.spec(grain=None, breakdown=breakdown)
    frame = source.fetch(
        ("conversion", params, breakdown), lambda: funnel(source.facts, spec, params.now)
    )
    rows = records(frame)
    for row in rows:
        rate = row["step_conversion"]
        row["drop_off"] = None if rate is None else 1 - rate
    return rows


def cohorts(source: FactSource, params: FunnelParams, *, breakdown: bool = False) -> list[Row]:
    """One row per cohort period, step (and breakdown value), with ``mature``."""
    spec = params.spec(grain=params.grain, breakdown=breakdown)
    frame = source.fetch(
        ("cohorts", params, breakdown), lambda: funnel(source.facts, spec, params.now)
    )
    return records(frame)


@dataclass(frozen=True)
class Timing:
    """Days from ``from_stage`` to ``to_stage``: percentiles and a histogram per breakdown."""

    from_stage: str
    to_stage: str
    percentiles: list[Row]
    histogram: list[Row]


def timing(source: FactSource, params: FunnelParams, *, breakdown: bool = True) -> Timing:
    spec = params.spec(grain=None, breakdown=breakdown)
    first, last = params.from_stage, params.to_stage
    times = source.fetch(
        ("times", params, breakdown),
        lambda: conversion_times(source.facts, spec, params.now, from_stage=first, to_stage=last),
    )
    bins = source.fetch(
        ("histogram", params, breakdown),
        lambda: conversion_histogram(
            source.facts, spec, params.now, from_stage=first, to_stage=last
        ),
    )
    return Timing(params.from_stage, params.to_stage, records(times), records(bins))


def trend(source: FactSource, params: FunnelParams, *, breakdown: bool = False) -> list[Row]:
    """The conversion from ``from_stage`` to ``to_stage`` per period, with the leads behind it:
    read off the cohort funnel (``cohorts``), fetched once for both."""
    spec = params.spec(grain=params.grain, breakdown=breakdown)
    expression = funnel(source.facts, spec, params.now)
    rows = source.fetch(("cohorts", params, breakdown), lambda: expression)
    frame = source.fetch(
        ("trend", params, breakdown),
        lambda: trend_of_funnel(
            ibis.memtable(rows, schema=expression.schema()),
            spec,
            from_stage=params.from_stage,
            to_stage=params.to_stage,
        ),
    )
    return records(frame)


def stall_spec(params: FunnelParams) -> StallSpec:
    return StallSpec(threshold_days=params.stall_days)


def stall_summary(source: FactSource, params: FunnelParams) -> list[Row]:
    """Per watched stage: ``stage``, ``threshold_days`` and ``stalled`` (leads over it now)."""
    spec = stall_spec(params)
    key = ("stall-summary", params.now, params.stall_days)

    def build() -> Any:
        return stall_counts(source.facts, spec, params.now)

    rows = records(source.fetch(key, build))
    order = {stage: index for index, stage in enumerate(spec.watched)}
    return sorted(rows, key=lambda row: order.get(row["stage"], len(order)))


def drop_off_summary(source: FactSource, params: FunnelParams) -> list[Row]:
    """Per step: ``stage``, ``next_stage`` and ``leads`` that stopped there (mature cohorts of
    the period, by ``params.grain``)."""
    spec = params.spec(grain=params.grain, breakdown=False)

    rows = records(
        source.fetch(
            ("drop-off-summary", params), lambda: drop_off_counts(source.facts, spec, params.now)
        )
    )
    found = {row["stage"]: row["leads"] for row in rows}
    pairs = zip(params.stages, params.stages[1:], strict=False)
    return [
        {"stage": stage, "next_stage": following, "leads": int(found.get(stage, 0))}
        for stage, following in pairs
    ]


def person_names(source: FactSource) -> dict[str, str]:
    """person_id → name, to show reps by name."""
    people = source.facts.people
    frame = source.fetch(("people",), lambda: people.select("person_id", "name"))
    return {str(row["person_id"]): str(row["name"]) for row in frame.to_dict("records")}


def today_of(params: FunnelParams) -> dt.date:
    return params.now.date()
