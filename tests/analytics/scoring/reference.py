"""An independent, lead-by-lead Python reading of points scoring, rules and backtests.

Written from the module docstrings, not from the Ibis code: plain loops over plain records, ages
as ``timedelta``s, decay as ``0.5 ** (age / half_life)``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from alinea.analytics.scoring.spec import (
    Definition,
    EngagementCriterion,
    EngagementPoints,
    FitCriterion,
    PointsModel,
)


@dataclass(frozen=True)
class Lead:
    lead_id: str
    created_at: dt.datetime
    owner_id: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Event:
    source: str  # touchpoints | activities
    event_id: str
    lead_id: str
    occurred_at: dt.datetime
    type: str


@dataclass(frozen=True)
class Change:
    lead_id: str
    stage: str
    changed_at: dt.datetime


def meets(lead: Lead, criterion: FitCriterion) -> bool:
    value = lead.attributes.get(criterion.attribute)
    if value is None:
        return False
    if criterion.any_of:
        return value in criterion.any_of
    if criterion.at_least is not None and value < criterion.at_least:
        return False
    return not (criterion.at_most is not None and value > criterion.at_most)


def _events_seen(
    lead: Lead,
    events: Iterable[Event],
    now: dt.datetime,
    source: str,
    types: Sequence[str],
    window_days: float | None,
) -> list[Event]:
    seen = []
    for event in events:
        if event.lead_id != lead.lead_id or event.source != source or event.occurred_at > now:
            continue
        if types and event.type not in types:
            continue
        if window_days is not None and event.occurred_at <= now - dt.timedelta(days=window_days):
            continue
        seen.append(event)
    return seen


def engagement_points(
    lead: Lead, events: Iterable[Event], rule: EngagementPoints, now: dt.datetime
) -> float:
    total = 0.0
    for event in _events_seen(lead, events, now, rule.source, rule.types, rule.window_days):
        age = (now - event.occurred_at) / dt.timedelta(days=1)
        decay = 0.5 ** (age / rule.half_life_days) if rule.half_life_days else 1.0
        total += rule.points * decay
    if rule.cap is not None:
        total = min(total, rule.cap) if rule.points >= 0 else max(total, -rule.cap)
    return total


def score(
    lead: Lead, events: Iterable[Event], model: PointsModel, now: dt.datetime
) -> tuple[float, list[float]]:
    """The score and each rule's contribution (fit rules, then engagement rules)."""
    events = list(events)
    factors = [rule.points if meets(lead, rule.criterion) else 0.0 for rule in model.fit]
    factors += [engagement_points(lead, events, rule, now) for rule in model.engagement]
    total = sum(factors)
    if model.floor is not None and total < model.floor:
        total = model.floor
    if model.cap is not None and total > model.cap:
        total = model.cap
    return total, factors


def engaged(
    lead: Lead, events: Iterable[Event], criterion: EngagementCriterion, now: dt.datetime
) -> bool:
    seen = _events_seen(lead, events, now, criterion.source, criterion.types, criterion.window_days)
    return len(seen) >= criterion.at_least


def evaluate(
    lead: Lead, events: Iterable[Event], definition: Definition, now: dt.datetime
) -> tuple[list[bool], float | None, bool]:
    """Each criterion's verdict, the score (None without points) and whether the lead qualifies."""
    events = list(events)
    verdicts = [meets(lead, c) for c in definition.fit]
    verdicts += [engaged(lead, events, c, now) for c in definition.engagement]
    points = None
    qualified = all(verdicts)
    if definition.points is not None:
        points, _ = score(lead, events, definition.points, now)
        qualified = qualified and points >= (definition.threshold or 0.0)
    return verdicts, points, qualified


def month_ends(months: int, now: dt.datetime) -> list[tuple[dt.date, dt.datetime]]:
    """(first day, last second) of each of the ``months`` months before ``now``'s month."""
    first = dt.date(now.year, now.month, 1)
    spans = []
    for _ in range(months):
        end = dt.datetime.combine(first, dt.time(), dt.UTC) - dt.timedelta(seconds=1)
        first = end.date().replace(day=1)
        spans.append((first, end))
    return spans[::-1]


def first_flags(
    leads: Sequence[Lead],
    events: Sequence[Event],
    definition: Definition,
    months: int,
    now: dt.datetime,
) -> dict[str, dt.date]:
    """lead → first day of the month it first qualifies at a month end."""
    flags: dict[str, dt.date] = {}
    for month, end in month_ends(months, now):
        for lead in leads:
            if lead.lead_id in flags or lead.created_at > end:
                continue
            if evaluate(lead, events, definition, end)[2]:
                flags[lead.lead_id] = month
    return flags


def reached(
    changes: Sequence[Change],
    lead_id: str,
    stages: Sequence[str],
    since: dt.datetime,
    now: dt.datetime,
) -> bool:
    return any(
        c.lead_id == lead_id and c.stage in stages and since <= c.changed_at <= now for c in changes
    )
