"""Evaluate a goal on the facts: baseline, target, history, probability, progress, SMART and FAST.

``evaluate_goal(facts, spec, now=…)`` measures everything it needs in one query, then computes the
rest in Python (seeded, so the same facts, spec, ``now`` and ``seed`` always give the same answer).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np

from alinea.analytics.facts import Facts
from alinea.analytics.goals.baseline import (
    Baseline,
    describe_baseline,
    series_for_trend,
    trend_projection,
)
from alinea.analytics.goals.checks import Findings, LetterCheck, fast, smart
from alinea.analytics.goals.period_store import PeriodStore, measure_periods_kept
from alinea.analytics.goals.progress import Progress, progress
from alinea.analytics.goals.series import (
    WEEK,
    PeriodValue,
    comparable_periods,
    measure_periods,
    previous_period,
    weekly_buckets,
    weeks_before,
)
from alinea.analytics.goals.simulate import Forecast, Weeks, combine, simulate, summarise
from alinea.analytics.goals.spec import GoalSpec
from alinea.analytics.goals.target import (
    AbsoluteTarget,
    PointsChange,
    RelativeChange,
    TargetError,
    describe_target,
    target_value,
)
from alinea.analytics.metrics import METRICS, Metric
from alinea.analytics.periods import Period


@dataclass(frozen=True)
class Settings:
    """How a goal is evaluated: ``history_weeks`` of variability (plus the conversion window for
    rates), ``trend_periods`` comparable periods for the trend, and the simulation's size/seed."""

    history_weeks: int = 26
    trend_periods: int = 4
    simulations: int = 10_000
    seed: int = 0


@dataclass(frozen=True)
class GoalEvaluation:
    spec: GoalSpec
    unit: str
    direction: str
    baseline: Baseline
    target: float | None
    target_text: str
    current: PeriodValue
    series: tuple[PeriodValue, ...]
    trend: float | None
    history_weeks: int
    forecast: Forecast
    progress: Progress
    smart: tuple[LetterCheck, ...]
    fast: tuple[LetterCheck, ...]


@dataclass(frozen=True)
class _Plan:
    """The periods to measure, in the order they are stacked into one query."""

    series: list[Period]
    current: Period
    history: list[Period]
    weeks: list[Period]

    def all(self) -> list[Period]:
        return [*self.series, self.current, *self.history, *self.weeks]


def _last_week_end(start: dt.date, today: dt.date) -> dt.date:
    """The latest day on or before ``today`` that is a whole number of weeks before ``start``:
    past weeks of a goal that has not started line up with its period's weeks, and stay the same
    weeks from one day to the next (so their kept values are reused)."""
    return start - WEEK * math.ceil((start - today).days / 7)


def _plan(spec: GoalSpec, metric: Metric, now: dt.datetime, settings: Settings) -> _Plan:
    period = spec.period
    today = now.date()
    started = period.start <= today
    current = previous_period(period)[0]
    if started:
        current = Period(period.start, min(period.end, today + dt.timedelta(days=1)))
    extra = math.ceil(spec.window_days / 7) if metric.waits_for_window else 0
    history_end = period.start if started else _last_week_end(period.start, today)
    return _Plan(
        series=comparable_periods(period, settings.trend_periods),
        current=current,
        history=weeks_before(history_end, settings.history_weeks + extra),
        weeks=weekly_buckets(period.start, period.end),
    )


#: Units where less is better (a shorter cycle); for every other unit more is better.
LOWER_IS_BETTER: frozenset[str] = frozenset({"days"})


def direction_of(spec: GoalSpec, unit: str) -> str:
    """``up`` when the goal is to reach at least the target, ``down`` when at most.

    A change says it by its sign (−10 % aims down); an absolute value follows the metric: at most
    for durations, at least for everything else.
    """
    if isinstance(spec.target, RelativeChange):
        return "down" if spec.target.percent < 0 else "up"
    if isinstance(spec.target, PointsChange):
        return "down" if spec.target.points < 0 else "up"
    assert isinstance(spec.target, AbsoluteTarget)
    return "down" if unit in LOWER_IS_BETTER else "up"


def _target(spec: GoalSpec, unit: str, baseline: float | None) -> tuple[float | None, str | None]:
    try:
        return target_value(spec.target, baseline=baseline, unit=unit), None
    except TargetError as problem:
        return None, str(problem)


def _forecast(
    metric: Metric,
    history: list[PeriodValue],
    weeks: list[PeriodValue],
    target: float | None,
    direction: str,
    settings: Settings,
) -> tuple[Forecast, int]:
    known = []
    for week in weeks:
        if not week.mature:
            break
        known.append(week)
    usable = [w for w in [*history, *known] if w.mature]
    if len(usable) == 0:
        return Forecast(None, None, None, None), 0
    past = Weeks(
        values=np.array([np.nan if w.value is None else w.value for w in usable]),
        counts=np.array([float(w.count) for w in usable]),
    )
    sofar = combine([w.value for w in known], [w.count for w in known], additive=metric.additive)
    remaining = [w.period.days / 7 for w in weeks[len(known) :]]
    futures = simulate(
        past,
        sofar,
        remaining=remaining,
        additive=metric.additive,
        simulations=settings.simulations,
        seed=settings.seed,
    )
    return summarise(futures, target=target, direction=direction), len(usable)


def _measure(
    facts: Facts,
    spec: GoalSpec,
    metric: Metric,
    now: dt.datetime,
    settings: Settings,
    keep: tuple[PeriodStore, str] | None,
) -> tuple[list[PeriodValue], PeriodValue, list[PeriodValue], list[PeriodValue]]:
    """Per-period series, current value, past weeks (from the first with data) and the period's
    weeks, measured in one query."""
    plan = _plan(spec, metric, now, settings)
    if keep is None:
        measured = measure_periods(
            facts, spec.metric, plan.all(), now=now, filters=spec.filter_pairs,
            window_days=spec.window_days,
        )  # fmt: skip
    else:
        measured = measure_periods_kept(
            facts, spec.metric, plan.all(), now=now, filters=spec.filter_pairs,
            window_days=spec.window_days, store=keep[0], version=keep[1],
        )  # fmt: skip
    first, second = len(plan.series), len(plan.series) + 1 + len(plan.history)
    history = measured[first + 1 : second]
    while history and history[0].count == 0:
        history = history[1:]
    return measured[:first], measured[first], history, measured[second:]


def evaluate_goal(
    facts: Facts,
    spec: GoalSpec,
    *,
    now: dt.datetime,
    settings: Settings | None = None,
    keep: tuple[PeriodStore, str] | None = None,
) -> GoalEvaluation:
    """Everything alinea knows about a goal at ``now``.

    ``keep``: a store and the facts version (``version.data_version``) under which the values of
    mature periods are kept between evaluations (see ``period_store``); without it every period
    is measured.

    Raises ``KeyError`` for a metric outside the catalog (check ``METRICS`` first).
    """
    settings = settings or Settings()
    metric = METRICS[spec.metric]
    series, current, history, weeks = _measure(facts, spec, metric, now, settings, keep)
    how = previous_period(spec.period)[1]
    baseline = describe_baseline(
        series[-1],
        metric=spec.metric,
        unit=metric.unit,
        segment=spec.segment_text(),
        how=how,
        window_days=spec.window_days,
    )
    target, problem = _target(spec, metric.unit, baseline.value)
    direction = direction_of(spec, metric.unit)
    forecast, used = _forecast(metric, history, weeks, target, direction, settings)
    trend = trend_projection(series_for_trend(series, additive=metric.additive))
    findings = Findings(
        spec=spec,
        now=now,
        unit=metric.unit,
        metric_known=True,
        current=current.value,
        current_count=current.count,
        baseline=baseline.value,
        target=target,
        target_problem=problem,
        history_weeks=used,
        probability=forecast.probability,
        trend=trend,
        direction=direction,
    )
    return GoalEvaluation(
        spec=spec,
        unit=metric.unit,
        direction=direction,
        baseline=baseline,
        target=target,
        target_text=describe_target(spec.target, baseline=baseline.value, unit=metric.unit),
        current=current,
        series=tuple(series),
        trend=trend,
        history_weeks=used,
        forecast=forecast,
        progress=progress(
            spec.period,
            weeks,
            target=target,
            baseline=baseline.value,
            additive=metric.additive,
            probability=forecast.probability,
        ),
        smart=smart(findings),
        fast=fast(findings),
    )
