"""The funnel's parameters, read from a query string (page form or API) and checked at the edge.

Every problem raises ``ParameterError`` naming the parameter; the page shows it, the API answers
400 with it. Defaults: the default funnel (lead → customer), "any" mode, cohort basis, monthly
cohorts over the last 12 months (through today), a 90-day window, no breakdown, top 8 values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from alinea.analytics.funnel import (
    DEFAULT_STAGES,
    FUNNEL_MODES,
    GRAINS,
    LEAD_DIMENSIONS,
    FunnelSpec,
)
from alinea.analytics.funnel.spec import BASES
from alinea.analytics.periods import Period
from alinea.warehouse.schema import LIFECYCLE_STAGES

DEFAULT_GRAIN = "month"
DEFAULT_WINDOW_DAYS = 90
DEFAULT_TOP_N = 8
MAX_TOP_N = 50
DEFAULT_MONTHS = 12
#: How far ``now`` is rounded down, so that repeated requests share cached answers.
NOW_RESOLUTION = dt.timedelta(minutes=5)

Values = Mapping[str, str]


class ParameterError(ValueError):
    """A request parameter that cannot be used, with the parameter's name."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(f"parameter {parameter!r}: {message}")
        self.parameter = parameter
        self.message = message


@dataclass(frozen=True)
class FunnelParams:
    """One funnel question as the page and the API ask it (frozen: a cache key)."""

    stages: tuple[str, ...]
    mode: str
    basis: str
    grain: str
    period: Period
    window_days: int
    breakdown: str | None
    top_n: int
    from_stage: str
    to_stage: str
    now: dt.datetime
    stall_days: float | None = None

    def spec(self, *, grain: str | None = None, breakdown: bool = True) -> FunnelSpec:
        """The analytics spec: ``grain=None`` for one row per step over the whole period."""
        return FunnelSpec(
            stages=self.stages,
            mode=self.mode,
            basis=self.basis,
            grain=grain,
            window_days=self.window_days,
            period=self.period,
            breakdown=self.breakdown if breakdown else None,
            top_n=self.top_n,
        )

    def query_string(self) -> dict[str, str]:
        """The parameters as they are written in a URL (for links to lists and exports)."""
        values = {
            "stages": ",".join(self.stages),
            "mode": self.mode,
            "basis": self.basis,
            "grain": self.grain,
            "start": self.period.start.isoformat(),
            "end": self.period.last_day.isoformat(),
            "window_days": str(self.window_days),
            "breakdown": self.breakdown or "",
            "top_n": str(self.top_n),
            "from_stage": self.from_stage,
            "to_stage": self.to_stage,
            "now": self.now.isoformat(),
        }
        if self.stall_days is not None:
            values["stall_days"] = f"{self.stall_days:g}"
        return values


def default_now(moment: dt.datetime) -> dt.datetime:
    """``moment`` in UTC, rounded down to ``NOW_RESOLUTION``."""
    utc = moment.astimezone(dt.UTC)
    step = NOW_RESOLUTION.total_seconds()
    return dt.datetime.fromtimestamp(utc.timestamp() // step * step, dt.UTC)


def default_period(today: dt.date, months: int = DEFAULT_MONTHS) -> Period:
    """The last ``months`` calendar months through ``today`` (the current month included)."""
    index = today.year * 12 + today.month - 1 - (months - 1)
    return Period(dt.date(index // 12, index % 12 + 1, 1), today + dt.timedelta(days=1))


def _text(values: Values, name: str) -> str:
    return (values.get(name) or "").strip()


def _choice(
    values: Values, name: str, known: Mapping[str, object] | tuple[str, ...], default: str
) -> str:
    value = _text(values, name) or default
    if value not in known:
        raise ParameterError(name, f"unknown value {value!r}; use one of {', '.join(known)}")
    return value


def read_integer(values: Values, name: str, default: int, low: int, high: int) -> int:
    text = _text(values, name)
    if not text:
        return default
    try:
        number = int(text)
    except ValueError:
        raise ParameterError(name, f"{text!r} is not a whole number") from None
    if not low <= number <= high:
        raise ParameterError(name, f"{number} is outside {low}…{high}")
    return number


def read_day(values: Values, name: str) -> dt.date | None:
    text = _text(values, name)
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ParameterError(name, f"{text!r} is not a date (YYYY-MM-DD)") from None


def read_now(values: Values, fallback: dt.datetime) -> dt.datetime:
    text = _text(values, "now")
    if not text:
        return default_now(fallback)
    try:
        moment = dt.datetime.fromisoformat(text.replace(" ", "+"))
    except ValueError:
        raise ParameterError("now", f"{text!r} is not a date and time (ISO 8601)") from None
    if moment.tzinfo is None:
        raise ParameterError("now", "give a time zone, e.g. 2025-06-01T00:00:00+00:00")
    return moment.astimezone(dt.UTC)


def _stages(values: Values) -> tuple[str, ...]:
    text = _text(values, "stages")
    if not text:
        return DEFAULT_STAGES
    stages = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [stage for stage in stages if stage not in LIFECYCLE_STAGES]
    if unknown:
        lifecycle = ", ".join(LIFECYCLE_STAGES)
        raise ParameterError("stages", f"unknown stages {', '.join(unknown)}; known: {lifecycle}")
    if len(stages) < 2 or len(set(stages)) != len(stages):
        raise ParameterError("stages", "list at least two different stages, comma-separated")
    return stages


def _period(values: Values, now: dt.datetime) -> Period:
    fallback = default_period(now.date())
    start = read_day(values, "start") or fallback.start
    last = read_day(values, "end") or fallback.last_day
    if last < start:
        raise ParameterError("end", f"the last day {last} is before the first day {start}")
    return Period(start, last + dt.timedelta(days=1))


def _step_pair(values: Values, stages: tuple[str, ...]) -> tuple[str, str]:
    default_from, default_to = ("mql", "sql") if {"mql", "sql"} <= set(stages) else stages[:2]
    from_stage = _choice(values, "from_stage", stages, default_from)
    if _text(values, "from_stage") and not _text(values, "to_stage"):
        default_to = stages[min(stages.index(from_stage) + 1, len(stages) - 1)]
    to_stage = _choice(values, "to_stage", stages, default_to)
    if stages.index(to_stage) <= stages.index(from_stage):
        raise ParameterError("to_stage", f"{to_stage!r} must come after {from_stage!r}")
    return from_stage, to_stage


def _stall_days(values: Values) -> float | None:
    text = _text(values, "stall_days")
    if not text:
        return None
    try:
        days = float(text)
    except ValueError:
        raise ParameterError("stall_days", f"{text!r} is not a number of days") from None
    if days < 0:
        raise ParameterError("stall_days", "cannot be negative")
    return days


def funnel_params(values: Values, *, now: dt.datetime) -> FunnelParams:
    """Read and check the funnel parameters in ``values``; ``now`` is used when none is given."""
    moment = read_now(values, now)
    stages = _stages(values)
    breakdown = _text(values, "breakdown") or None
    if breakdown is not None and breakdown not in LEAD_DIMENSIONS:
        known = ", ".join(LEAD_DIMENSIONS)
        raise ParameterError("breakdown", f"unknown dimension {breakdown!r}; known: {known}")
    from_stage, to_stage = _step_pair(values, stages)
    return FunnelParams(
        stages=stages,
        mode=_choice(values, "mode", FUNNEL_MODES, "any"),
        basis=_choice(values, "basis", BASES, "cohort"),
        grain=_choice(values, "grain", GRAINS, DEFAULT_GRAIN),
        period=_period(values, moment),
        window_days=read_integer(values, "window_days", DEFAULT_WINDOW_DAYS, 1, 3650),
        breakdown=breakdown,
        top_n=read_integer(values, "top_n", DEFAULT_TOP_N, 1, MAX_TOP_N),
        from_stage=from_stage,
        to_stage=to_stage,
        now=moment,
        stall_days=_stall_days(values),
    )


#: When a parameter is wrong because of another one, the other one is dropped too.
_CAUSES = {"end": ("start",), "to_stage": ("from_stage",), "from_stage": ("to_stage",)}


def with_defaults_for_errors(
    values: Values, *, now: dt.datetime
) -> tuple[FunnelParams, list[ParameterError]]:
    """For the page: drop each bad parameter, report it, and answer with the defaults instead."""
    kept = {name: values[name] for name in values}
    problems: list[ParameterError] = []
    while True:
        try:
            return funnel_params(kept, now=now), problems
        except ParameterError as problem:
            problems.append(problem)
            dropped = [problem.parameter, *_CAUSES.get(problem.parameter, ())]
            if not any(name in kept for name in dropped):
                raise
            for name in dropped:
                kept.pop(name, None)
