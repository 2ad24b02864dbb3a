"""Turn a stored SLA version into the analytics core's frozen ``SlaPolicy`` spec.

The core never sees Django: it gets plain frozen dataclasses built here.
"""

from __future__ import annotations

from typing import Any, cast

from alinea.analytics.sla import calendar as core_calendar
from alinea.analytics.sla import policy as core
from alinea.apps.sla.models import BusinessCalendar, CalendarScope, SlaPolicy


def calendar_spec(calendar: BusinessCalendar) -> core_calendar.BusinessCalendar:
    """The calendar as the analytics core's frozen spec (raises ``ValueError`` when invalid)."""
    week = core_calendar.weekly_hours(
        {day: list(intervals) for day, intervals in (calendar.hours or {}).items()}
    )
    return core_calendar.BusinessCalendar(
        timezone=calendar.timezone,
        week=week,
        country=calendar.country or None,
        subdivision=calendar.subdivision or None,
    )


def _calendar_rules(policy: SlaPolicy) -> core.CalendarRules:
    calendars = list(policy.calendars.all())
    default = next((c for c in calendars if c.scope == CalendarScope.DEFAULT), None)
    if default is None:
        raise ValueError(f"SLA v{policy.version} has no default calendar")
    return core.CalendarRules(
        default=calendar_spec(default),
        by_team={c.key: calendar_spec(c) for c in calendars if c.scope == CalendarScope.TEAM},
        by_region={c.key: calendar_spec(c) for c in calendars if c.scope == CalendarScope.REGION},
        rep_time_zones=policy.rep_time_zones,
    )


def policy_spec(policy: SlaPolicy) -> core.SlaPolicy:
    """The frozen spec of ``policy`` (any status), for the analytics core."""
    targets = tuple(
        core.DeliveryTarget(
            mqls=t.mqls,
            every=cast(Any, t.every),
            segment=t.segment or None,
            region=t.region or None,
        )
        for t in policy.targets.all()
    )
    reasons = tuple(
        core.ReasonCode(code=r.code, outcome=cast(Any, r.outcome), label=r.label or r.code)
        for r in policy.reasons.all()
    )
    return core.SlaPolicy(
        marketing=core.MarketingCommitment(targets=targets, quality_floor=policy.quality_floor),
        sales=core.SalesCommitment(
            first_response_hours=policy.first_response_hours,
            attempts=policy.attempts,
            attempts_within_days=policy.attempts_within_days,
            disposition_within_days=policy.disposition_within_days,
            clock_starts=cast(Any, policy.clock_starts),
            at_risk_share=policy.at_risk_share,
        ),
        calendars=_calendar_rules(policy),
        recycling=core.Recycling(reasons=reasons, unworked_after_days=policy.unworked_after_days),
        version=str(policy.version),
    )
