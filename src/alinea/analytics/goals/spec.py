"""A goal as the analytics core sees it: a frozen spec the goals app builds from its models."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from alinea.analytics.goals.target import Target
from alinea.analytics.periods import Period

OWNER_TEAMS: tuple[str, ...] = ("marketing", "sales", "joint")

Filters = tuple[tuple[str, tuple[str, ...]], ...]


def _normalise(filters: Mapping[str, Sequence[str]] | Filters) -> Filters:
    pairs = filters.items() if isinstance(filters, Mapping) else filters
    for dimension, values in pairs:
        if isinstance(values, str):
            raise TypeError(f"segment {dimension!r}: give a list of values, not {values!r}")
    return tuple(sorted((name, tuple(sorted(set(values)))) for name, values in pairs))


@dataclass(frozen=True)
class GoalSpec:
    """What a goal measures and promises.

    - ``metric``: a name from the metric catalog;
    - ``filters``: its segment, ``{dimension: values}``;
    - ``owner``: ``marketing``, ``sales`` or ``joint`` (``""`` when not set yet);
    - ``target``: an ``AbsoluteTarget``, ``RelativeChange`` or ``PointsChange``;
    - ``period``: the days the goal covers; ``set_at``: when the goal was agreed;
    - ``cadence_days``: how often it is reviewed (``None`` when no cadence is set);
    - ``check_ins``: when it was reviewed; ``window_days``: conversion window of rate metrics.
    """

    metric: str
    target: Target
    period: Period
    set_at: dt.datetime
    owner: str = ""
    filters: Mapping[str, Sequence[str]] | Filters = ()
    cadence_days: int | None = None
    check_ins: tuple[dt.datetime, ...] = field(default=())
    window_days: int = 90

    def __post_init__(self) -> None:
        object.__setattr__(self, "filters", _normalise(self.filters))
        object.__setattr__(self, "check_ins", tuple(sorted(self.check_ins)))
        for moment in (self.set_at, *self.check_ins):
            if moment.tzinfo is None or moment.utcoffset() is None:
                raise ValueError(f"goal datetimes must be timezone-aware (UTC), got {moment!r}")
        if self.owner and self.owner not in OWNER_TEAMS:
            raise ValueError(f"owner must be one of {', '.join(OWNER_TEAMS)}, not {self.owner!r}")
        if self.cadence_days is not None and self.cadence_days < 1:
            raise ValueError(f"cadence_days must be at least 1, not {self.cadence_days}")

    @property
    def filter_pairs(self) -> Filters:
        return _normalise(self.filters)

    def segment_text(self) -> str:
        """The segment in words: ``channel = paid_search; segment = enterprise`` or ``all``."""
        pairs = self.filter_pairs
        if not pairs:
            return "all"
        return "; ".join(f"{name} = {', '.join(values)}" for name, values in pairs)


def start_of(day: dt.date) -> dt.datetime:
    """Midnight UTC at the start of ``day``."""
    return dt.datetime.combine(day, dt.time(), dt.UTC)
