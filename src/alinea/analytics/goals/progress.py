"""Progress of a goal: the actual value week by week beside the pace line, and a status.

The **pace line** is where the metric should be to arrive at the target on time, drawn straight:

- additive metrics (counts, sums) accumulate from 0 at the start to the target at the end;
- other metrics (rates, averages) move from the baseline to the target.

The **status** comes from the probability of reaching the target by the end of the period:
on track at ``ON_TRACK`` or more, off track below ``OFF_TRACK``, at risk in between.

>>> status_for(0.75), status_for(0.4), status_for(0.1), status_for(None)
('on_track', 'at_risk', 'off_track', 'unknown')
>>> pace_at(0.5, target=200.0, baseline=180.0, additive=True)
100.0
>>> pace_at(0.5, target=0.25, baseline=0.20, additive=False)
0.225
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from alinea.analytics.goals.series import PeriodValue
from alinea.analytics.goals.simulate import combine
from alinea.analytics.periods import Period

ON_TRACK = 0.6
OFF_TRACK = 0.25

STATUS_LABELS: dict[str, str] = {
    "on_track": "on track",
    "at_risk": "at risk",
    "off_track": "off track",
    "unknown": "not known yet",
}


def status_for(probability: float | None) -> str:
    if probability is None:
        return "unknown"
    if probability >= ON_TRACK:
        return "on_track"
    if probability >= OFF_TRACK:
        return "at_risk"
    return "off_track"


def pace_at(fraction: float, *, target: float, baseline: float | None, additive: bool) -> float:
    """The pace line after ``fraction`` (0–1) of the period."""
    start = 0.0 if additive or baseline is None else baseline
    return round(start + (target - start) * fraction, 12)


@dataclass(frozen=True)
class Point:
    day: dt.date
    actual: float | None
    pace: float | None


@dataclass(frozen=True)
class Progress:
    """``points``: one per measured week end (plus the start), the actual value so far (running
    total or running weighted mean) and the pace line; ``as_of``: the last measured day (exclusive
    end); ``maturing``: records in weeks whose cohorts are still inside the conversion window."""

    points: tuple[Point, ...]
    as_of: dt.date
    actual: float | None
    pace: float | None
    maturing: int
    status: str


def progress(
    period: Period,
    weeks: Sequence[PeriodValue],
    *,
    target: float | None,
    baseline: float | None,
    additive: bool,
    probability: float | None,
) -> Progress:
    """Running actual value over the known (mature) weeks of ``period`` against the pace line."""

    def pace(day: dt.date) -> float | None:
        if target is None:
            return None
        fraction = (day - period.start).days / period.days
        return pace_at(fraction, target=target, baseline=baseline, additive=additive)

    points = [Point(period.start, 0.0 if additive else None, pace(period.start))]
    known: list[PeriodValue] = []
    for week in weeks:
        if not week.mature:
            break
        known.append(week)
        so_far = combine([w.value for w in known], [w.count for w in known], additive=additive)
        running = so_far.value if additive or so_far.count else None
        points.append(Point(week.period.end, running, pace(week.period.end)))
    maturing = sum(w.count for w in weeks[len(known) :] if not w.mature)
    last = points[-1]
    return Progress(
        tuple(points), last.day, last.actual, last.pace, maturing, status_for(probability)
    )
