"""Stage definitions and points models as frozen specs: what both teams signed, nothing else.

The definitions app stores each version (draft → proposed → approved → active, audited) and turns
it into a :class:`Definition`; nothing here knows about Django.

- **fit** (:class:`FitCriterion`): one lead attribute (industry, company size, country, job role,
  segment, …) is one of a list of values, or a number lies in a range;
- **behaviour** (:class:`EngagementCriterion`): at least N touchpoints or sales activities (of some
  types) in the last D days;
- **points** (:class:`PointsModel`): fit points (:class:`FitPoints`, negative points allowed),
  engagement points per event that halve every ``half_life_days`` (:class:`EngagementPoints`),
  a cap per rule and a floor/cap on the total;
- a :class:`Definition` qualifies a lead when every criterion holds and its score reaches the
  threshold.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

EventSource = Literal["touchpoints", "activities"]
EVENT_SOURCES: tuple[EventSource, ...] = ("touchpoints", "activities")

#: Lead attributes a definition may test; ``company_size`` is the only number.
TEXT_ATTRIBUTES: tuple[str, ...] = (
    "industry",
    "country",
    "job_role",
    "segment",
    "region",
    "channel",
    "source",
    "campaign",
)
NUMBER_ATTRIBUTES: tuple[str, ...] = ("company_size",)
ATTRIBUTES: tuple[str, ...] = TEXT_ATTRIBUTES + NUMBER_ATTRIBUTES


@dataclass(frozen=True)
class FitCriterion:
    """A lead attribute is one of ``any_of`` (text) or lies in ``[at_least, at_most]`` (number).

    A lead whose attribute is unknown (NULL) never meets a criterion.

    >>> FitCriterion("company_size", at_least=50).describe()
    'company_size ≥ 50'
    >>> FitCriterion("country", any_of=("ES", "PT")).describe()
    'country in ES, PT'
    """

    attribute: str
    any_of: tuple[str, ...] = ()
    at_least: float | None = None
    at_most: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "any_of", tuple(self.any_of))
        if self.attribute not in ATTRIBUTES:
            raise ValueError(
                f"unknown lead attribute {self.attribute!r}; known: {', '.join(ATTRIBUTES)}"
            )
        if self.attribute in NUMBER_ATTRIBUTES:
            if self.any_of or (self.at_least is None and self.at_most is None):
                raise ValueError(f"{self.attribute} is a number: give at_least and/or at_most")
            if None not in (self.at_least, self.at_most) and self.at_least > self.at_most:  # type: ignore[operator]
                raise ValueError(f"{self.attribute}: at_least is above at_most")
        elif not self.any_of or self.at_least is not None or self.at_most is not None:
            raise ValueError(f"{self.attribute} is text: give the accepted values in any_of")

    def describe(self) -> str:
        if self.any_of:
            return f"{self.attribute} in {', '.join(self.any_of)}"
        parts = []
        if self.at_least is not None:
            parts.append(f"≥ {self.at_least:g}")
        if self.at_most is not None:
            parts.append(f"≤ {self.at_most:g}")
        return f"{self.attribute} {' and '.join(parts)}"


def _check_events(source: str, window_days: float | None) -> None:
    if source not in EVENT_SOURCES:
        raise ValueError(f"events come from touchpoints or activities, got {source!r}")
    if window_days is not None and not window_days > 0:
        raise ValueError(f"a time window must be positive, got {window_days} days")


@dataclass(frozen=True)
class EngagementCriterion:
    """At least ``at_least`` events of ``source`` (of ``types``; all types when empty) within the
    last ``window_days`` days: ``now - window < occurred_at ≤ now``.

    >>> EngagementCriterion("touchpoints", at_least=3, window_days=30, types=("form",)).describe()
    '≥ 3 touchpoints (form) in 30 days'
    """

    source: EventSource
    at_least: int
    window_days: float
    types: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "types", tuple(self.types))
        _check_events(self.source, self.window_days)
        if self.at_least < 1:
            raise ValueError(f"an engagement criterion needs at least 1 event, got {self.at_least}")

    def describe(self) -> str:
        kinds = f" ({', '.join(self.types)})" if self.types else ""
        return f"≥ {self.at_least} {self.source}{kinds} in {self.window_days:g} days"


@dataclass(frozen=True)
class FitPoints:
    """``points`` (negative to lower the score) when the lead meets ``criterion``."""

    criterion: FitCriterion
    points: float
    label: str = ""

    @property
    def name(self) -> str:
        return self.label or self.criterion.describe()


@dataclass(frozen=True)
class EngagementPoints:
    """``points`` per event of ``source`` (of ``types``; all when empty) up to ``now``.

    An event ``a`` days old counts ``points · 0.5 ** (a / half_life_days)`` (no decay without a
    half-life); only events younger than ``window_days`` count when a window is given. The rule's
    total is held within ``cap`` in size (``min(total, cap)`` for positive points,
    ``max(total, -cap)`` for negative ones).
    """

    source: EventSource
    points: float
    types: tuple[str, ...] = ()
    half_life_days: float | None = None
    window_days: float | None = None
    cap: float | None = None
    label: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "types", tuple(self.types))
        _check_events(self.source, self.window_days)
        if self.half_life_days is not None and not self.half_life_days > 0:
            raise ValueError(f"a half-life must be positive, got {self.half_life_days}")
        if self.cap is not None and not self.cap > 0:
            raise ValueError(f"a cap is a positive size, got {self.cap}")

    @property
    def name(self) -> str:
        if self.label:
            return self.label
        kinds = f" ({', '.join(self.types)})" if self.types else ""
        return f"{self.source}{kinds}"

    @property
    def decay_rate(self) -> float:
        """Per-day rate ``ln 2 / half-life`` (0 without decay)."""
        return math.log(2) / self.half_life_days if self.half_life_days else 0.0


@dataclass(frozen=True)
class PointsModel:
    """Fit and engagement rules; the score is their sum, held within ``[floor, cap]``."""

    fit: tuple[FitPoints, ...] = ()
    engagement: tuple[EngagementPoints, ...] = ()
    floor: float | None = None
    cap: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "fit", tuple(self.fit))
        object.__setattr__(self, "engagement", tuple(self.engagement))
        if None not in (self.floor, self.cap) and self.floor > self.cap:  # type: ignore[operator]
            raise ValueError("a points model's floor is above its cap")

    @property
    def factor_names(self) -> tuple[str, ...]:
        """One name per rule, in order: fit rules first, then engagement rules."""
        return tuple(r.name for r in self.fit) + tuple(r.name for r in self.engagement)


@dataclass(frozen=True)
class Definition:
    """What makes a lead reach ``stage``: every criterion holds and the score reaches
    ``threshold`` (when there is a points model)."""

    stage: str
    version: str
    fit: tuple[FitCriterion, ...] = ()
    engagement: tuple[EngagementCriterion, ...] = ()
    points: PointsModel | None = None
    threshold: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "fit", tuple(self.fit))
        object.__setattr__(self, "engagement", tuple(self.engagement))
        if (self.points is None) != (self.threshold is None):
            raise ValueError("a points model and a score threshold go together")
        if not (self.fit or self.engagement or self.points):
            raise ValueError("a definition needs at least one criterion or a points model")

    @property
    def criterion_names(self) -> tuple[str, ...]:
        return tuple(c.describe() for c in self.fit) + tuple(c.describe() for c in self.engagement)
