"""The terms of an SLA version as plain data: what a form, the API or the demo hands to services.

``terms_of(policy)`` reads them back from a stored version (to start the next version from it).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from alinea.apps.sla.models import SlaPolicy

WORKING_WEEK = {
    day: ["09:00-17:00"] for day in ("monday", "tuesday", "wednesday", "thursday", "friday")
}


@dataclass(frozen=True)
class TargetTerms:
    mqls: int
    every: str
    segment: str = ""
    region: str = ""


@dataclass(frozen=True)
class ReasonTerms:
    outcome: str
    code: str
    label: str = ""


@dataclass(frozen=True)
class CalendarTerms:
    timezone: str
    hours: dict[str, list[str]] = field(default_factory=lambda: dict(WORKING_WEEK))
    scope: str = "default"
    key: str = ""
    country: str = ""
    subdivision: str = ""


@dataclass(frozen=True)
class PolicyTerms:
    quality_floor: float
    first_response_hours: float
    attempts: int
    attempts_within_days: float
    disposition_within_days: float
    calendars: tuple[CalendarTerms, ...]
    targets: tuple[TargetTerms, ...] = ()
    reasons: tuple[ReasonTerms, ...] = ()
    clock_starts: str = "mql"
    at_risk_share: float = 0.25
    unworked_after_days: float | None = None
    rep_time_zones: bool = True
    note: str = ""

    def scalar_values(self) -> dict[str, object]:
        """The fields stored on the policy row itself."""
        nested = {"calendars", "targets", "reasons"}
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in nested}

    def summary(self) -> str:
        """One line for the audit log: the terms not stored on the policy row."""
        targets = ", ".join(
            f"{t.mqls}/{t.every} {t.segment or 'all'}/{t.region or 'all'}" for t in self.targets
        )
        calendars = ", ".join(f"{c.scope}:{c.key or '-'}:{c.timezone}" for c in self.calendars)
        reasons = ", ".join(f"{r.outcome}:{r.code}" for r in self.reasons)
        return f"targets [{targets}]; calendars [{calendars}]; reasons [{reasons}]"


def terms_of(policy: SlaPolicy) -> PolicyTerms:
    """The terms of a stored version."""
    return PolicyTerms(
        quality_floor=policy.quality_floor,
        first_response_hours=policy.first_response_hours,
        attempts=policy.attempts,
        attempts_within_days=policy.attempts_within_days,
        disposition_within_days=policy.disposition_within_days,
        clock_starts=policy.clock_starts,
        at_risk_share=policy.at_risk_share,
        unworked_after_days=policy.unworked_after_days,
        rep_time_zones=policy.rep_time_zones,
        note=policy.note,
        targets=tuple(
            TargetTerms(t.mqls, t.every, t.segment, t.region) for t in policy.targets.all()
        ),
        reasons=tuple(ReasonTerms(r.outcome, r.code, r.label) for r in policy.reasons.all()),
        calendars=tuple(
            CalendarTerms(c.timezone, dict(c.hours), c.scope, c.key, c.country, c.subdivision)
            for c in policy.calendars.all()
        ),
    )
