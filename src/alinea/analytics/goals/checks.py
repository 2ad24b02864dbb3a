"""SMART and FAST checks of a goal, each letter with a pass/fail and the reason in plain words.

SMART: **S**pecific (metric, segment and owner set), **M**easurable (the metric is computable on the
facts present; the current value is shown), **A**chievable (enough history to judge, and a target
the metric can take), **R**ealistic (probability of reaching the target ≥ 10 %), **T**ime-bound
(a period that ends after the goal was set, and how long is left).

FAST: **F**requently discussed (a cadence, and no check-in later than the cadence allows),
**A**mbitious (target beyond the baseline trend, and probability ≤ 90 %), **S**pecific (as in
SMART), **T**ransparent (goals are always visible to both teams).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from alinea.analytics.goals.spec import GoalSpec, start_of
from alinea.analytics.goals.target import format_value

#: Below this probability a goal is flagged unrealistic; above ``NOT_AMBITIOUS`` not ambitious.
UNREALISTIC = 0.10
NOT_AMBITIOUS = 0.90
#: Fewest past weeks the probability is computed from.
MIN_HISTORY_WEEKS = 4
#: Days of slack before a check-in counts as late.
CHECK_IN_GRACE_DAYS = 2


@dataclass(frozen=True)
class LetterCheck:
    letter: str
    name: str
    passed: bool
    reason: str


@dataclass(frozen=True)
class Findings:
    """What the checks need to know about a goal, measured beforehand (see ``evaluate``)."""

    spec: GoalSpec
    now: dt.datetime
    unit: str
    metric_known: bool
    current: float | None
    current_count: int
    baseline: float | None
    target: float | None
    target_problem: str | None
    history_weeks: int
    probability: float | None
    trend: float | None
    direction: str


def specific(f: Findings) -> LetterCheck:
    missing = [
        what
        for what, given in (
            ("a metric", f.metric_known),
            ("a segment", bool(f.spec.filter_pairs)),
            ("an owner team", bool(f.spec.owner)),
        )
        if not given
    ]
    if missing:
        return LetterCheck("S", "specific", False, f"missing {', '.join(missing)}")
    reason = f"{f.spec.metric} for {f.spec.segment_text()}, owned by {f.spec.owner}"
    return LetterCheck("S", "specific", True, reason)


def measurable(f: Findings) -> LetterCheck:
    if not f.metric_known:
        return LetterCheck("M", "measurable", False, f"{f.spec.metric!r} is not in the catalog")
    if f.current is None:
        reason = "no facts yet to compute it on (the current value is undefined)"
        return LetterCheck("M", "measurable", False, reason)
    shown = format_value(f.current, f.unit)
    reason = f"current value {shown}, from {f.current_count} records in the warehouse"
    return LetterCheck("M", "measurable", True, reason)


def achievable(f: Findings) -> LetterCheck:
    if f.target_problem is not None:
        return LetterCheck("A", "achievable", False, f.target_problem)
    if f.history_weeks < MIN_HISTORY_WEEKS:
        reason = f"only {f.history_weeks} past weeks of data; at least {MIN_HISTORY_WEEKS} needed"
        return LetterCheck("A", "achievable", False, reason)
    reason = (
        f"target {format_value(f.target, f.unit)} is a value the metric can take; "
        f"judged on {f.history_weeks} past weeks"
    )
    return LetterCheck("A", "achievable", True, reason)


def realistic(f: Findings) -> LetterCheck:
    if f.probability is None:
        return LetterCheck("R", "realistic", False, "the probability could not be computed")
    chance = f"{f.probability:.0%} chance of reaching the target by the end of the period"
    if f.probability < UNREALISTIC:
        return LetterCheck("R", "realistic", False, f"unrealistic: only {chance}")
    return LetterCheck("R", "realistic", True, chance)


def time_bound(f: Findings) -> LetterCheck:
    end = start_of(f.spec.period.end)
    if end <= f.spec.set_at:
        reason = f"the period ended on {f.spec.period.last_day} before the goal was set"
        return LetterCheck("T", "time-bound", False, reason)
    left = max((end - f.now).days, 0)
    span = f"{f.spec.period.start} to {f.spec.period.last_day}"
    when = f"{left} days left" if left else "the period is over"
    return LetterCheck("T", "time-bound", True, f"{span}; {when}")


def frequently_discussed(f: Findings) -> LetterCheck:
    cadence = f.spec.cadence_days
    if cadence is None:
        return LetterCheck("F", "frequently discussed", False, "no review cadence set")
    late = late_check_ins(f.spec, f.now)
    if late:
        reason = f"every {cadence} days, but {len(late)} check-in(s) late (first due {late[0]})"
        return LetterCheck("F", "frequently discussed", False, reason)
    done = len([c for c in f.spec.check_ins if c <= f.now])
    reason = f"every {cadence} days; {done} check-in(s), none late"
    return LetterCheck("F", "frequently discussed", True, reason)


def late_check_ins(spec: GoalSpec, now: dt.datetime) -> list[dt.date]:
    """The due dates missed: a check-in is due ``cadence_days`` after the previous one (or after
    the later of the period start and the moment the goal was set), with a little grace."""
    assert spec.cadence_days is not None
    cadence = dt.timedelta(days=spec.cadence_days)
    grace = dt.timedelta(days=CHECK_IN_GRACE_DAYS)
    last = max(start_of(spec.period.start), spec.set_at)
    stop = min(now, start_of(spec.period.end))
    missed: list[dt.date] = []
    for moment in [*[c for c in spec.check_ins if c <= stop], stop]:
        while moment > last + cadence + grace:
            missed.append((last + cadence).date())
            last += cadence
        last = max(last, moment)
    return missed


def ambitious(f: Findings) -> LetterCheck:
    if f.target is None or f.trend is None:
        return LetterCheck("A", "ambitious", False, "no target or no trend to compare it with")
    trend = format_value(f.trend, f.unit)
    beyond = f.target > f.trend if f.direction == "up" else f.target < f.trend
    if not beyond:
        reason = f"the target does not go beyond the baseline trend ({trend})"
        return LetterCheck("A", "ambitious", False, reason)
    if f.probability is not None and f.probability > NOT_AMBITIOUS:
        reason = f"not ambitious: {f.probability:.0%} chance of reaching it as things go"
        return LetterCheck("A", "ambitious", False, reason)
    return LetterCheck("A", "ambitious", True, f"beyond the baseline trend ({trend})")


def transparent(f: Findings) -> LetterCheck:
    reason = "visible to marketing and sales: goals in alinea are never private"
    return LetterCheck("T", "transparent", True, reason)


def smart(f: Findings) -> tuple[LetterCheck, ...]:
    return (specific(f), measurable(f), achievable(f), realistic(f), time_bound(f))


def fast(f: Findings) -> tuple[LetterCheck, ...]:
    return (frequently_discussed(f), ambitious(f), specific(f), transparent(f))
