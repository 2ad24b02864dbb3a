"""Where a goal's metric may end the period: a seeded bootstrap of its weekly history.

The period is cut into weeks. Weeks already measured (and mature) are known; every other week
(the current one, the weeks to come, and weeks whose cohorts are still inside the conversion
window) is drawn at random from the metric's past weeks — value and count together. By default a
future takes a block of consecutive past weeks from a random start (a block bootstrap), so runs of
good or bad weeks stay together and the spread is not understated; when the past is shorter than
the weeks needed, weeks are drawn one by one, with replacement. A week shorter than seven days is
scaled down. The end-of-period value of one simulated future is

- for additive metrics (counts, sums): known total + the drawn weeks' values;
- for the others (rates, averages, medians): the count-weighted mean of known and drawn weeks —
  exact for rates (converted ÷ cohort), an approximation for medians.

Repeating this ``simulations`` times gives a distribution: the probability of reaching the target
is the share of futures that reach it, and the forecast is its median with a central interval.

>>> import numpy as np
>>> past = Weeks(values=np.array([10.0, 12.0, 14.0]), counts=np.array([10, 12, 14]))
>>> futures = simulate(past, Known(value=50.0, count=50), remaining=(1.0, 1.0), additive=True)
>>> bool(futures.min() >= 70 and futures.max() <= 78)
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

#: Share of futures inside the forecast interval (10th to 90th percentile).
INTERVAL = 0.8


@dataclass(frozen=True)
class Weeks:
    """Past weeks to draw from: each week's value and its count (leads or deals behind it)."""

    values: FloatArray
    counts: FloatArray

    def __len__(self) -> int:
        return len(self.values)


@dataclass(frozen=True)
class Known:
    """The measured part of the period: its combined value and count (``value`` 0 when empty)."""

    value: float
    count: float


@dataclass(frozen=True)
class Forecast:
    """The end-of-period distribution summarised: ``probability`` of reaching the target, the
    median ``forecast`` and the ``low``–``high`` interval holding ``interval`` of the futures."""

    probability: float | None
    forecast: float | None
    low: float | None
    high: float | None
    interval: float = INTERVAL


def combine(values: Sequence[float | None], counts: Sequence[float], *, additive: bool) -> Known:
    """Several measured weeks as one: a sum, or a count-weighted mean.

    >>> combine([0.5, 0.25], [2, 4], additive=False)
    Known(value=0.3333333333333333, count=6)
    """
    pairs = [(v or 0.0, c) for v, c in zip(values, counts, strict=True)]
    count = sum(c for _, c in pairs)
    if additive:
        return Known(sum(v for v, _ in pairs), count)
    if count == 0:
        return Known(0.0, 0)
    return Known(sum(v * c for v, c in pairs) / count, count)


def simulate(
    past: Weeks,
    known: Known,
    *,
    remaining: Sequence[float],
    additive: bool,
    simulations: int = 10_000,
    seed: int = 0,
    blocks: bool = True,
) -> FloatArray:
    """End-of-period values of ``simulations`` futures; ``remaining`` holds each unknown week's
    length as a share of seven days. NaN where a future has no count at all (rate undefined)."""
    scales = np.asarray(remaining, dtype=np.float64)
    if len(scales) == 0:
        return np.full(simulations, known.value if additive or known.count else np.nan)
    if len(past) == 0:
        raise ValueError("no past weeks to draw from")
    picks = _draw(len(past), len(scales), simulations, seed=seed, blocks=blocks)
    counts = np.nan_to_num(past.counts)[picks] * scales
    if additive:
        drawn = np.nan_to_num(past.values)[picks] * scales
        return np.asarray(known.value + drawn.sum(axis=1), dtype=np.float64)
    weighted = (np.nan_to_num(past.values) * np.nan_to_num(past.counts))[picks] * scales
    total = known.count + counts.sum(axis=1)
    top = known.value * known.count + weighted.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(np.where(total > 0, top / np.where(total > 0, total, 1), np.nan))


def _draw(
    weeks: int, needed: int, simulations: int, *, seed: int, blocks: bool
) -> npt.NDArray[np.int64]:
    """Indices of past weeks, one row per future. With ``blocks`` each future takes ``needed``
    consecutive past weeks from a random start (keeping runs of good and bad weeks together);
    when the past is shorter than that, or without ``blocks``, weeks are drawn one by one."""
    rng = np.random.default_rng(seed)
    if not blocks or weeks < needed:
        return rng.integers(0, weeks, size=(simulations, needed))
    starts = rng.integers(0, weeks - needed + 1, size=simulations)
    return np.asarray(starts[:, None] + np.arange(needed), dtype=np.int64)


def summarise(futures: FloatArray, *, target: float | None, direction: str) -> Forecast:
    """Probability of reaching ``target`` (``direction`` ``up``: at least it; ``down``: at most it)
    and the median forecast with its interval. Undefined futures count as not reaching it."""
    defined = futures[~np.isnan(futures)]
    if len(defined) == 0:
        return Forecast(None, None, None, None)
    tail = (1 - INTERVAL) / 2
    low, middle, high = np.quantile(defined, [tail, 0.5, 1 - tail])
    probability = None
    if target is not None:
        reached = defined >= target - 1e-12 if direction == "up" else defined <= target + 1e-12
        probability = float(reached.sum() / len(futures))
    return Forecast(probability, float(middle), float(low), float(high))
