"""Is the forecast calibrated? Forecasts made half-way through past periods, against the truth.

For each past period: evaluate a goal on the metric as if ``now`` were the period's midpoint, then
measure the metric over the whole period once it is mature (period end + the conversion window for
rates). The **coverage** is the share of periods whose actual end value falls inside the forecast
interval; a calibrated 80 % interval covers about 80 % of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from alinea.analytics.facts import Facts
from alinea.analytics.goals.evaluate import Settings, evaluate_goal
from alinea.analytics.goals.series import measure_periods
from alinea.analytics.goals.simulate import INTERVAL
from alinea.analytics.goals.spec import GoalSpec, start_of
from alinea.analytics.goals.target import AbsoluteTarget
from alinea.analytics.metrics import METRICS
from alinea.analytics.metrics.query import Filters
from alinea.analytics.periods import Period


@dataclass(frozen=True)
class BacktestRow:
    period: Period
    forecast: float | None
    low: float | None
    high: float | None
    actual: float | None

    @property
    def covered(self) -> bool | None:
        """Whether the interval held the actual value (``None`` when either is unknown)."""
        low, high, actual = self.low, self.high, self.actual
        if low is None or high is None or actual is None:
            return None
        return low - 1e-9 <= actual <= high + 1e-9


@dataclass(frozen=True)
class Backtest:
    metric: str
    rows: tuple[BacktestRow, ...]
    interval: float

    @property
    def coverage(self) -> float | None:
        judged = [row.covered for row in self.rows if row.covered is not None]
        return sum(judged) / len(judged) if judged else None


def backtest(
    facts: Facts,
    metric: str,
    periods: Sequence[Period],
    *,
    filters: Filters = (),
    window_days: int = 90,
    settings: Settings | None = None,
) -> Backtest:
    """Mid-period forecasts of ``metric`` for each of ``periods`` beside the actual end value."""
    settings = settings or Settings()
    wait = dt.timedelta(days=window_days if METRICS[metric].waits_for_window else 0)
    rows = []
    for period in periods:
        midpoint = start_of(period.start + dt.timedelta(days=period.days // 2))
        spec = GoalSpec(
            metric=metric,
            target=AbsoluteTarget(0),
            period=period,
            set_at=start_of(period.start),
            filters=filters,
            window_days=window_days,
        )
        result = evaluate_goal(facts, spec, now=midpoint, settings=settings)
        (actual,) = measure_periods(
            facts,
            metric,
            [period],
            now=start_of(period.end) + wait,
            filters=filters,
            window_days=window_days,
        )
        forecast = result.forecast
        rows.append(
            BacktestRow(period, forecast.forecast, forecast.low, forecast.high, actual.value)
        )
    return Backtest(metric, tuple(rows), INTERVAL)
