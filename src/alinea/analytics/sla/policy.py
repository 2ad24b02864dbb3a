"""The SLA policy as a frozen spec: what both teams signed, in the shape the analytics need.

The Django SLA app stores the agreement (versioned, approved, audited) and turns the version in
force into an :class:`SlaPolicy`; nothing here knows about Django.

- marketing's side (:class:`MarketingCommitment`): at least N MQLs per week or month, overall or
  per segment/region (:class:`DeliveryTarget`), and a quality floor: the share of dispositioned
  MQLs that sales accepts;
- sales' side (:class:`SalesCommitment`): first response within H business hours of the MQL (or
  of its assignment), at least K contact attempts within D business days, a disposition within
  D business days;
- recycling (:class:`Recycling`): the reason codes both teams agreed on for rejecting and
  recycling, and when an unworked MQL goes back to nurture;
- calendars (:class:`CalendarRules`): a default calendar, calendars per team or per region, and
  whether hours are read in each rep's own time zone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from alinea.analytics.sla.calendar import BusinessCalendar

Every = Literal["week", "month"]
ClockStart = Literal["mql", "assignment"]
EVERY: tuple[Every, ...] = ("week", "month")
CONTACT_TYPES: tuple[str, ...] = ("call", "email", "meeting", "social")


def _positive(name: str, value: float) -> None:
    if not value > 0:
        raise ValueError(f"{name} must be positive, got {value}")


def _share(name: str, value: float) -> None:
    if not 0 <= value <= 1:
        raise ValueError(f"{name} is a share between 0 and 1, got {value}")


@dataclass(frozen=True)
class DeliveryTarget:
    """At least ``mqls`` MQLs every ``every`` (week or month), of one segment/region if given.

    >>> DeliveryTarget(mqls=120, every="month", segment="enterprise").label
    'enterprise · all regions'
    """

    mqls: int
    every: Every
    segment: str | None = None
    region: str | None = None

    def __post_init__(self) -> None:
        _positive("a delivery target's MQL count", self.mqls)
        if self.every not in EVERY:
            raise ValueError(f"a delivery target is per week or month, got {self.every!r}")

    @property
    def label(self) -> str:
        return f"{self.segment or 'all segments'} · {self.region or 'all regions'}"


@dataclass(frozen=True)
class MarketingCommitment:
    """Marketing's side: delivery targets and the quality floor (share of dispositioned MQLs that
    sales accepts, 0–1)."""

    targets: tuple[DeliveryTarget, ...]
    quality_floor: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "targets", tuple(self.targets))
        _share("the quality floor", self.quality_floor)


@dataclass(frozen=True)
class SalesCommitment:
    """Sales' side, in business time of the rep's calendar.

    ``clock_starts`` is ``"mql"`` (the MQL instant) or ``"assignment"`` (the later of the MQL and
    its assignment to a rep). A clock is *at risk* when it is still open with less than
    ``at_risk_share`` of its allowed time left. Contact attempts are activities of
    ``contact_types``.
    """

    first_response_hours: float
    attempts: int
    attempts_within_days: float
    disposition_within_days: float
    clock_starts: ClockStart = "mql"
    at_risk_share: float = 0.25
    contact_types: tuple[str, ...] = CONTACT_TYPES

    def __post_init__(self) -> None:
        _positive("the first-response time", self.first_response_hours)
        _positive("the number of contact attempts", self.attempts)
        _positive("the attempts window", self.attempts_within_days)
        _positive("the disposition window", self.disposition_within_days)
        _share("the at-risk share", self.at_risk_share)
        if self.clock_starts not in ("mql", "assignment"):
            raise ValueError(
                f"the clock starts at 'mql' or 'assignment', not {self.clock_starts!r}"
            )
        if not self.contact_types:
            raise ValueError("at least one activity type must count as a contact attempt")
        object.__setattr__(self, "contact_types", tuple(self.contact_types))


@dataclass(frozen=True)
class ReasonCode:
    """A reason both teams agreed on for rejecting or recycling an MQL."""

    code: str
    outcome: Literal["rejected", "recycled"]
    label: str = ""


@dataclass(frozen=True)
class Recycling:
    """Agreed reason codes; MQLs with no disposition after ``unworked_after_days`` business days
    go back to nurture (``None``: never automatically)."""

    reasons: tuple[ReasonCode, ...] = ()
    unworked_after_days: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "reasons", tuple(self.reasons))
        if self.unworked_after_days is not None:
            _positive("the unworked-lead recycling window", self.unworked_after_days)

    def agreed(self, outcome: str) -> tuple[str, ...]:
        """The agreed codes for ``outcome`` ("rejected" or "recycled")."""
        return tuple(r.code for r in self.reasons if r.outcome == outcome)


def _frozen(mapping: Mapping[str, BusinessCalendar]) -> Mapping[str, BusinessCalendar]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class CalendarRules:
    """Which calendar a rep works by: their team's (a sales team is the reps reporting to one
    manager, keyed by the manager's ``person_id``), else their region's, else the default.

    With ``rep_time_zones`` the hours are read in the rep's own time zone (``people.timezone``)
    when it is known; holidays stay those of the chosen calendar.

    >>> madrid = BusinessCalendar.weekdays("Europe/Madrid", "09:00-18:00", country="ES")
    >>> rules = CalendarRules(default=madrid)
    >>> rules.calendar_for(manager_id=None, region=None, timezone="Europe/Lisbon").timezone
    'Europe/Lisbon'
    """

    default: BusinessCalendar
    by_team: Mapping[str, BusinessCalendar] = field(default_factory=dict)
    by_region: Mapping[str, BusinessCalendar] = field(default_factory=dict)
    rep_time_zones: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_team", _frozen(self.by_team))
        object.__setattr__(self, "by_region", _frozen(self.by_region))

    def calendar_for(
        self, *, manager_id: str | None, region: str | None, timezone: str | None
    ) -> BusinessCalendar:
        """The calendar of a rep with this manager, region and time zone."""
        calendar = self.by_team.get(manager_id or "") or self.by_region.get(region or "")
        calendar = calendar or self.default
        if self.rep_time_zones and timezone:
            return calendar.in_zone(timezone)
        return calendar


@dataclass(frozen=True)
class SlaPolicy:
    """One version of the signed SLA."""

    marketing: MarketingCommitment
    sales: SalesCommitment
    calendars: CalendarRules
    recycling: Recycling = field(default_factory=Recycling)
    version: str = ""
