"""Targets: an absolute value, a relative change (+5 %) or a change in percentage points (+5 pp).

The three are distinct types so that "+5" can never be read the wrong way: on a conversion rate of
20 %, ``RelativeChange(5)`` means 21 % and ``PointsChange(5)`` means 25 %. Ratios are stored as
fractions (0.20), so points are divided by 100 before they are added.

>>> target_value(RelativeChange(5), baseline=0.20, unit="ratio")
0.21
>>> target_value(PointsChange(5), baseline=0.20, unit="ratio")
0.25
>>> target_value(AbsoluteTarget(120), baseline=100.0, unit="leads")
120.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass

RATIO_UNIT = "ratio"


class TargetError(ValueError):
    """A target that cannot be turned into a number (missing baseline, points on a count, …)."""


@dataclass(frozen=True)
class AbsoluteTarget:
    """Reach ``value`` (in the metric's unit; a ratio as a fraction, 0.25 for 25 %)."""

    value: float
    kind: str = "absolute"


@dataclass(frozen=True)
class RelativeChange:
    """Change the baseline by ``percent`` per cent of itself: +5 turns 200 into 210."""

    percent: float
    kind: str = "relative"


@dataclass(frozen=True)
class PointsChange:
    """Change a ratio by ``points`` percentage points: +5 turns 20 % into 25 %. Ratios only."""

    points: float
    kind: str = "points"


Target = AbsoluteTarget | RelativeChange | PointsChange

#: kind name → target class, for callers that store the kind as text (the goals app).
TARGET_KINDS: dict[str, type[AbsoluteTarget] | type[RelativeChange] | type[PointsChange]] = {
    "absolute": AbsoluteTarget,
    "relative": RelativeChange,
    "points": PointsChange,
}


def make_target(kind: str, amount: float) -> Target:
    """The target of kind ``absolute``, ``relative`` or ``points`` with the given amount."""
    try:
        return TARGET_KINDS[kind](amount)
    except KeyError:
        known = ", ".join(TARGET_KINDS)
        raise TargetError(f"unknown target kind {kind!r}; use one of {known}") from None


def check_target(target: Target, unit: str) -> None:
    """Raise ``TargetError`` when the target makes no sense for a metric of ``unit``."""
    if isinstance(target, PointsChange) and unit != RATIO_UNIT:
        raise TargetError(
            f"a change in percentage points only applies to a rate; this metric is in {unit}: "
            "use a relative change (%) or an absolute value"
        )
    if isinstance(target, AbsoluteTarget) and unit == RATIO_UNIT and not 0 <= target.value <= 1:
        raise TargetError(f"a rate target must be between 0 and 1 (0 %–100 %), not {target.value}")
    if isinstance(target, AbsoluteTarget) and unit != RATIO_UNIT and target.value < 0:
        raise TargetError(f"a target in {unit} cannot be negative ({target.value})")


def target_value(target: Target, *, baseline: float | None, unit: str) -> float:
    """The number the metric must reach. A change needs a baseline; points need a ratio."""
    check_target(target, unit)
    if isinstance(target, AbsoluteTarget):
        return float(target.value)
    if baseline is None or math.isnan(baseline):
        raise TargetError("a change needs a baseline, and the baseline could not be measured")
    if isinstance(target, RelativeChange):
        if baseline == 0:
            raise TargetError("a relative change of a baseline of 0 is still 0: set a value")
        return round(baseline * (1 + target.percent / 100), 12)
    value = round(baseline + target.points / 100, 12)
    if not 0 <= value <= 1:
        raise TargetError(f"{baseline:.1%} {target.points:+g} pp is outside 0 %–100 %")
    return value


def format_value(value: float | None, unit: str) -> str:
    """A metric value for people: ratios as per cent, counts without decimals."""
    if value is None or math.isnan(value):
        return "—"
    if unit == RATIO_UNIT:
        return f"{value * 100:.1f} %"
    if unit in ("leads", "deals"):
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def describe_target(target: Target, *, baseline: float | None, unit: str) -> str:
    """Say which kind of target this is and what it means here.

    >>> describe_target(PointsChange(5), baseline=0.2, unit="ratio")
    '+5 percentage points (20.0 % → 25.0 %)'
    """
    if isinstance(target, AbsoluteTarget):
        return f"reach {format_value(target.value, unit)} (an absolute value)"
    if isinstance(target, RelativeChange):
        what = f"{target.percent:+g} % relative to the baseline"
    else:
        what = f"{target.points:+g} percentage points"
    try:
        goal = target_value(target, baseline=baseline, unit=unit)
    except TargetError as problem:
        return f"{what} ({problem})"
    return f"{what} ({format_value(baseline, unit)} → {format_value(goal, unit)})"
