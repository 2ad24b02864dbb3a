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
from collections.abc import Mapping
from dataclasses import dataclass, field

from alinea.analytics.goals.spec import GoalSpec, start_of
from alinea.analytics.goals.target import format_value

#: Below this probability a goal is flagged unrealistic; above ``NOT_AMBITIOUS`` not ambitious.
UNREALISTIC = 0.10
NOT_AMBITIOUS = 0.90
#: Fewest past weeks the probability is computed from.
MIN_HISTORY_WEEKS = 4
#: Days of slack before a check-in counts as late.
CHECK_IN_GRACE_DAYS = 2


#: Every reason a letter can give: message id → English text with ``{param}`` placeholders. The
#: web app translates by message id and fills in the same parameters, so analytics stays free of
#: any translation machinery. Parameters are ready to show (values already formatted).
MESSAGES: dict[str, str] = {
    "specific.missing": "missing {missing}",
    "specific.ok": "{metric} for {segment}, owned by {owner}",
    "measurable.unknown_metric": "'{metric}' is not in the catalog",
    "measurable.no_facts": "no facts yet to compute it on (the current value is undefined)",
    "measurable.ok": "current value {value}, from {count} records in the warehouse",
    "achievable.target_problem": "{problem}",
    "achievable.short_history": "only {weeks} past weeks of data; at least {needed} needed",
    "achievable.ok": (
        "target {target} is a value the metric can take; judged on {weeks} past weeks"
    ),
    "realistic.unknown": "the probability could not be computed",
    "realistic.unrealistic": (
        "unrealistic: only {chance} chance of reaching the target by the end of the period"
    ),
    "realistic.ok": "{chance} chance of reaching the target by the end of the period",
    "time_bound.ended": "the period ended on {last_day} before the goal was set",
    "time_bound.left": "{start} to {last_day}; {left} days left",
    "time_bound.over": "{start} to {last_day}; the period is over",
    "frequent.no_cadence": "no review cadence set",
    "frequent.late": "every {cadence} days, but {late} check-in(s) late (first due {first_due})",
    "frequent.ok": "every {cadence} days; {done} check-in(s), none late",
    "ambitious.nothing": "no target or no trend to compare it with",
    "ambitious.within_trend": "the target does not go beyond the baseline trend ({trend})",
    "ambitious.too_likely": "not ambitious: {chance} chance of reaching it as things go",
    "ambitious.ok": "beyond the baseline trend ({trend})",
    "transparent.ok": "visible to marketing and sales: goals in alinea are never private",
}

#: What ``specific.missing`` lists, by code (its ``missing`` parameter joins codes with commas).
MISSING: dict[str, str] = {"metric": "a metric", "segment": "a segment", "owner": "an owner team"}

Param = str | int


@dataclass(frozen=True)
class LetterCheck:
    """One letter: ``passed`` and why — ``message`` (a key of ``MESSAGES``) with ``params``, and
    ``reason``, the English text they make."""

    letter: str
    name: str
    passed: bool
    reason: str
    message: str = ""
    params: Mapping[str, Param] = field(default_factory=dict)


def _check(letter: str, name: str, passed: bool, message: str, **params: Param) -> LetterCheck:
    shown = dict(params)
    if message == "specific.missing":
        shown["missing"] = ", ".join(MISSING[code] for code in str(params["missing"]).split(","))
    return LetterCheck(letter, name, passed, MESSAGES[message].format(**shown), message, params)


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


def _chance(probability: float) -> str:
    return f"{probability:.0%}"


def specific(f: Findings) -> LetterCheck:
    given = (
        ("metric", f.metric_known),
        ("segment", bool(f.spec.filter_pairs)),
        ("owner", bool(f.spec.owner)),
    )
    missing = [code for code, present in given if not present]
    if missing:
        return _check("S", "specific", False, "specific.missing", missing=",".join(missing))
    return _check(
        "S", "specific", True, "specific.ok",
        metric=f.spec.metric, segment=f.spec.segment_text(), owner=f.spec.owner,
    )  # fmt: skip


def measurable(f: Findings) -> LetterCheck:
    if not f.metric_known:
        return _check("M", "measurable", False, "measurable.unknown_metric", metric=f.spec.metric)
    if f.current is None:
        return _check("M", "measurable", False, "measurable.no_facts")
    shown = format_value(f.current, f.unit)
    return _check("M", "measurable", True, "measurable.ok", value=shown, count=f.current_count)


def achievable(f: Findings) -> LetterCheck:
    if f.target_problem is not None:
        return _check(
            "A", "achievable", False, "achievable.target_problem", problem=f.target_problem
        )
    if f.history_weeks < MIN_HISTORY_WEEKS:
        return _check(
            "A", "achievable", False, "achievable.short_history",
            weeks=f.history_weeks, needed=MIN_HISTORY_WEEKS,
        )  # fmt: skip
    target = format_value(f.target, f.unit)
    return _check("A", "achievable", True, "achievable.ok", target=target, weeks=f.history_weeks)


def realistic(f: Findings) -> LetterCheck:
    if f.probability is None:
        return _check("R", "realistic", False, "realistic.unknown")
    chance = _chance(f.probability)
    if f.probability < UNREALISTIC:
        return _check("R", "realistic", False, "realistic.unrealistic", chance=chance)
    return _check("R", "realistic", True, "realistic.ok", chance=chance)


def time_bound(f: Findings) -> LetterCheck:
    end = start_of(f.spec.period.end)
    last_day = f.spec.period.last_day.isoformat()
    if end <= f.spec.set_at:
        return _check("T", "time-bound", False, "time_bound.ended", last_day=last_day)
    left = max((end - f.now).days, 0)
    start = f.spec.period.start.isoformat()
    if left:
        return _check(
            "T", "time-bound", True, "time_bound.left", start=start, last_day=last_day, left=left
        )
    return _check("T", "time-bound", True, "time_bound.over", start=start, last_day=last_day)


def frequently_discussed(f: Findings) -> LetterCheck:
    cadence = f.spec.cadence_days
    name = "frequently discussed"
    if cadence is None:
        return _check("F", name, False, "frequent.no_cadence")
    late = late_check_ins(f.spec, f.now)
    if late:
        return _check(
            "F", name, False, "frequent.late",
            cadence=cadence, late=len(late), first_due=late[0].isoformat(),
        )  # fmt: skip
    done = len([c for c in f.spec.check_ins if c <= f.now])
    return _check("F", name, True, "frequent.ok", cadence=cadence, done=done)


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
        return _check("A", "ambitious", False, "ambitious.nothing")
    trend = format_value(f.trend, f.unit)
    beyond = f.target > f.trend if f.direction == "up" else f.target < f.trend
    if not beyond:
        return _check("A", "ambitious", False, "ambitious.within_trend", trend=trend)
    if f.probability is not None and f.probability > NOT_AMBITIOUS:
        chance = _chance(f.probability)
        return _check("A", "ambitious", False, "ambitious.too_likely", chance=chance)
    return _check("A", "ambitious", True, "ambitious.ok", trend=trend)


def transparent(f: Findings) -> LetterCheck:
    return _check("T", "transparent", True, "transparent.ok")


def smart(f: Findings) -> tuple[LetterCheck, ...]:
    return (specific(f), measurable(f), achievable(f), realistic(f), time_bound(f))


def fast(f: Findings) -> tuple[LetterCheck, ...]:
    return (frequently_discussed(f), ambitious(f), specific(f), transparent(f))
