"""A reference funnel in plain Python and pandas, written from the definitions in the docs.

It shares no code with ``alinea.analytics.funnel`` beyond the spec dataclasses it reads: every lead
is walked in a Python loop, periods are cut with ``datetime`` arithmetic, and medians and
percentiles come from pandas. The property tests compare the two on generated histories.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from alinea.analytics.funnel import FunnelSpec, HistorySpec, StallSpec

DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Lead:
    lead_id: str
    channel: str | None
    owner_id: str | None = None


@dataclass(frozen=True)
class Change:
    lead_id: str
    stage: str
    changed_at: dt.datetime


# ---------------------------------------------------------------- calendar


def period_start(grain: str, day: dt.date) -> dt.date:
    if grain == "week":
        return day - dt.timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def period_end(grain: str, start: dt.date) -> dt.date:
    if grain == "week":
        return start + dt.timedelta(days=7)
    months = 1 if grain == "month" else 3
    index = start.year * 12 + start.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def days(start: dt.datetime, end: dt.datetime) -> float:
    return (end - start).total_seconds() / 86400


# ---------------------------------------------------------------- per-lead steps


def first_entries(changes: Iterable[Change], stages: tuple[str, ...], now: dt.datetime):
    firsts: dict[str, dict[str, dt.datetime]] = defaultdict(dict)
    for change in changes:
        if change.stage not in stages or change.changed_at >= now:
            continue
        known = firsts[change.lead_id].get(change.stage)
        if known is None or change.changed_at < known:
            firsts[change.lead_id][change.stage] = change.changed_at
    return firsts


def ordered_steps(first: dict[str, dt.datetime], stages: tuple[str, ...]) -> list[dt.datetime]:
    """Each stage's first entry, while every one is no earlier than the previous."""
    reached: list[dt.datetime] = []
    for stage in stages:
        at = first.get(stage)
        if at is None or (reached and at < reached[-1]):
            break
        reached.append(at)
    return reached


def any_steps(first: dict[str, dt.datetime], stages: tuple[str, ...]) -> list[dt.datetime]:
    """Step k at the earliest first entry into stage k or any later one."""
    reached = []
    for k in range(len(stages)):
        later = [first[s] for s in stages[k:] if s in first]
        if not later:
            break
        reached.append(min(later))
    return reached


def steps_of(spec: FunnelSpec, first: dict[str, dt.datetime]) -> list[dt.datetime]:
    walk = ordered_steps if spec.mode == "ordered" else any_steps
    reached = walk(first, spec.stages)
    if spec.basis == "cohort" and reached:
        limit = reached[0] + spec.window_days * DAY
        reached = [at for at in reached if at <= limit]
    return reached


def breakdown_labels(leads: list[Lead], spec: FunnelSpec) -> dict[str, str]:
    if spec.breakdown is None:
        return defaultdict(lambda: "(all)")
    value = {lead.lead_id: lead.channel if lead.channel is not None else "(none)" for lead in leads}
    volume: dict[str, int] = defaultdict(int)
    for label in value.values():
        volume[label] += 1
    ranked = sorted(volume, key=lambda label: (-volume[label], label))
    kept = set(ranked[: spec.top_n])
    labels = {lead: (v if v in kept else "(other)") for lead, v in value.items()}
    return defaultdict(lambda: "(none)", labels)


def in_range(spec: FunnelSpec, at: dt.datetime) -> bool:
    if spec.period is None:
        return True
    return midnight(spec.period.start) <= at < midnight(spec.period.end)


def lead_steps(leads, changes, spec: FunnelSpec, now: dt.datetime) -> dict[str, list[dt.datetime]]:
    firsts = first_entries(changes, spec.stages, now)
    return {lead: s for lead, first in firsts.items() if (s := steps_of(spec, first))}


# ---------------------------------------------------------------- the funnel table


def _mature(spec: FunnelSpec, start: dt.date | None, now: dt.datetime) -> bool:
    wait = spec.window_days * DAY if spec.basis == "cohort" else dt.timedelta(0)
    ends = []
    if start is not None:
        ends.append(period_end(spec.grain, start))
    if spec.period is not None:
        ends.append(spec.period.end)
    return bool(ends) and midnight(min(ends)) + wait <= now


def funnel(leads: list[Lead], changes: list[Change], spec: FunnelSpec, now: dt.datetime):
    labels = breakdown_labels(leads, spec)
    counted: dict[tuple, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    for lead, reached in lead_steps(leads, changes, spec, now).items():
        for k, at in enumerate(reached, start=1):
            anchor = reached[0] if spec.basis == "cohort" else at
            if not in_range(spec, anchor):
                continue
            start = period_start(spec.grain, anchor.date()) if spec.grain else None
            gap = days(reached[k - 2], at) if k > 1 else float("nan")
            counted[(start, labels[lead])][k].append(gap)
    rows = []
    for (start, label), by_step in counted.items():
        first = len(by_step.get(1, []))
        for k, stage in enumerate(spec.stages, start=1):
            gaps = by_step.get(k, [])
            previous = len(by_step.get(k - 1, [])) if k > 1 else 0
            rows.append(
                {
                    "period": start,
                    "breakdown": label,
                    "step": k,
                    "stage": stage,
                    "leads": len(gaps),
                    "step_conversion": len(gaps) / previous if previous else float("nan"),
                    "cumulative_conversion": len(gaps) / first if first else float("nan"),
                    "median_days": pd.Series(gaps, dtype=float).median() if k > 1 else float("nan"),
                    "mature": _mature(spec, start, now),
                }
            )
    return pd.DataFrame(rows, columns=FUNNEL_COLUMNS)


FUNNEL_COLUMNS = [
    "period",
    "breakdown",
    "step",
    "stage",
    "leads",
    "step_conversion",
    "cumulative_conversion",
    "median_days",
    "mature",
]


def drop_offs(leads: list[Lead], changes: list[Change], spec: FunnelSpec, now: dt.datetime):
    """(lead_id, last step reached) for leads of mature cohorts that did not reach the end."""
    cohort = FunnelSpec(**{**spec.__dict__, "basis": "cohort"})
    dropped = set()
    for lead, reached in lead_steps(leads, changes, cohort, now).items():
        if not in_range(cohort, reached[0]) or len(reached) == len(spec.stages):
            continue
        start = period_start(spec.grain, reached[0].date()) if spec.grain else None
        if _mature(cohort, start, now):
            dropped.add((lead, len(reached)))
    return dropped


# ---------------------------------------------------------------- stage history


def ordered_history(changes: list[Change], stages: tuple[str, ...], now: dt.datetime):
    """Each lead's changes into ``stages`` before ``now``, sorted by (time, stage position)."""
    by_lead: dict[str, list[Change]] = defaultdict(list)
    for change in changes:
        if change.stage in stages and change.changed_at < now:
            by_lead[change.lead_id].append(change)
    for history in by_lead.values():
        history.sort(key=lambda c: (c.changed_at, stages.index(c.stage)))
    return by_lead


def backward_moves(changes: list[Change], spec: HistorySpec, now: dt.datetime):
    moves = set()
    for lead, history in ordered_history(changes, spec.stages, now).items():
        for before, after in itertools.pairwise(history):
            if spec.stages.index(after.stage) < spec.stages.index(before.stage):
                moves.add((lead, after.changed_at, before.stage, after.stage))
    return moves


def stays(changes: list[Change], stages: tuple[str, ...], now: dt.datetime):
    """(stage, days or None while current) for every stay."""
    found = []
    for history in ordered_history(changes, stages, now).values():
        for k, change in enumerate(history):
            after = history[k + 1] if k + 1 < len(history) else None
            found.append((change, days(change.changed_at, after.changed_at) if after else None))
    return found


def stalls(changes: list[Change], spec: StallSpec, now: dt.datetime):
    """{lead_id: (stage, age_days)} of stalled leads, and the thresholds per stage."""
    ended: dict[str, list[float]] = defaultdict(list)
    current = {}
    for change, length in stays(changes, spec.stages, now):
        if length is None:
            current[change.lead_id] = change
        else:
            ended[change.stage].append(length)
    thresholds = {
        stage: spec.threshold_days
        if spec.threshold_days is not None
        else (pd.Series(ended[stage], dtype=float).quantile(0.9) if ended[stage] else None)
        for stage in spec.watched
    }
    stalled = {}
    for lead, change in current.items():
        limit = thresholds.get(change.stage)
        age = days(change.changed_at, now)
        if change.stage in spec.watched and limit is not None and age > limit:
            stalled[lead] = (change.stage, age)
    return stalled, thresholds
