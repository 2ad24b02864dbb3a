"""What a metric is asked: a period, an optional comparison period, filters and a breakdown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from alinea.analytics.periods import Period

Filters = tuple[tuple[str, tuple[str, ...]], ...]


def _normalise(filters: Mapping[str, Sequence[str]] | Filters) -> Filters:
    pairs = filters.items() if isinstance(filters, Mapping) else filters
    normal: list[tuple[str, tuple[str, ...]]] = []
    for dimension, values in pairs:
        if isinstance(values, str):
            raise TypeError(
                f"filter {dimension!r}: give a list of values, not the string {values!r}"
            )
        normal.append((dimension, tuple(sorted(set(values)))))
    return tuple(sorted(normal))


@dataclass(frozen=True)
class MetricQuery:
    """One question to a metric (frozen and hashable, so callers can cache answers by it).

    - ``period``: the days measured; ``comparison``: another span to measure the same way;
    - ``now``: the moment of the question (facts at or after it are ignored; it decides maturity);
    - ``filters``: ``{dimension: values}`` — keep leads/deals whose value is one of ``values``
      (missing values are ``"(none)"``); several dimensions must all match;
    - ``group_by``: a dimension to break the value down by, or ``None`` for one row;
    - ``window_days``: the conversion window of the stage-to-stage rates.

    >>> q = MetricQuery(period=Period(dt.date(2025, 4, 1), dt.date(2025, 7, 1)),
    ...                 now=dt.datetime(2025, 7, 1, tzinfo=dt.UTC),
    ...                 filters={"channel": ["email", "events"]})
    >>> q.filters
    (('channel', ('email', 'events')),)
    """

    period: Period
    now: dt.datetime
    comparison: Period | None = None
    filters: Mapping[str, Sequence[str]] | Filters = ()
    group_by: str | None = None
    window_days: int = 90

    def __post_init__(self) -> None:
        object.__setattr__(self, "filters", _normalise(self.filters))
        if self.now.tzinfo is None or self.now.utcoffset() is None:
            raise ValueError(f"now must be timezone-aware (UTC), got {self.now!r}")
        if self.window_days < 1:
            raise ValueError(f"window_days must be at least 1, not {self.window_days}")

    @property
    def filter_pairs(self) -> Filters:
        """The filters as sorted ``(dimension, values)`` pairs."""
        return _normalise(self.filters)

    def dimensions(self) -> list[str]:
        """Every dimension the query names (filters and breakdown)."""
        named = [dimension for dimension, _ in self.filter_pairs]
        return [*named, self.group_by] if self.group_by else named
