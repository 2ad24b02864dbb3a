"""A goal's baseline (the metric over the comparable previous period) and the trend behind it.

>>> trend_projection([10.0, 12.0, 14.0])
16.0
>>> trend_projection([None, 5.0])
5.0
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from alinea.analytics.goals.series import PeriodValue
from alinea.analytics.goals.target import format_value
from alinea.analytics.periods import Period


@dataclass(frozen=True)
class Baseline:
    """The metric over ``period`` (the comparable previous period): ``value`` (``None`` if
    undefined), the ``count`` of records behind it, ``mature`` and ``description`` — how it was
    computed, in words."""

    value: float | None
    count: int
    period: Period
    mature: bool
    description: str


def describe_baseline(
    measured: PeriodValue, *, metric: str, unit: str, segment: str, how: str, window_days: int
) -> Baseline:
    """The baseline with a sentence saying what was measured over which days."""
    span = f"{measured.period.start} to {measured.period.last_day} ({how})"
    value = format_value(measured.value, unit)
    text = f"{metric} for {segment}, {span}: {value} from {measured.count} records"
    if not measured.mature:
        text += (
            f"; not final yet — some cohorts are still inside the {window_days}-day "
            "conversion window or the period has not ended"
        )
    return Baseline(measured.value, measured.count, measured.period, measured.mature, text)


def trend_projection(values: Sequence[float | None]) -> float | None:
    """The next value on the least-squares line through ``values`` (oldest first).

    Leading undefined values (before the data starts) are left out; with one value left the
    projection is that value; with none, ``None``.
    """
    points = [(i, v) for i, v in enumerate(values) if v is not None]
    if not points:
        return None
    if len(points) == 1:
        return points[0][1]
    xs = np.array([p[0] for p in points], dtype=np.float64)
    ys = np.array([p[1] for p in points], dtype=np.float64)
    slope, intercept = np.polyfit(xs, ys, 1)
    return round(float(slope * len(values) + intercept), 9)


def series_for_trend(series: Sequence[PeriodValue], *, additive: bool) -> list[float | None]:
    """Per-period values for the trend, with the empty periods before the data starts removed
    (an additive metric reads 0 there, which is not a real observation)."""
    values: list[float | None] = []
    started = False
    for measured in series:
        started = started or measured.count > 0
        values.append(measured.value if started or not additive else None)
    return values
