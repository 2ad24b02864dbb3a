"""The demo's history window and its clock: UTC seconds, calendar days and business hours.

Times inside the generator are ``int64`` seconds since the Unix epoch (UTC). Something that does
not happen gets the time ``NEVER``, so "did it happen by as_of?" is always ``time <= horizon``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

MINUTE = 60
HOUR = 60 * MINUTE
DAY = 24 * HOUR
WEEK = 7 * DAY
NEVER = np.int64(2**62)

#: Reps work Monday to Friday, 09:00–18:00 in their own time zone.
OPENS_AT = 9 * HOUR
BUSINESS_DAY = 9 * HOUR
BUSINESS_WEEK = 5 * BUSINESS_DAY
_A_MONDAY = 4 * DAY  # 1970-01-05 00:00 UTC was a Monday

_EPOCH = dt.date(1970, 1, 1)


@dataclass(frozen=True)
class Window:
    """The calendar days the demo history covers, ``first_day`` to ``last_day`` (= as_of)."""

    first_day: dt.date
    last_day: dt.date

    @property
    def start(self) -> int:
        """First second of the first day (UTC)."""
        return (self.first_day - _EPOCH).days * DAY

    @property
    def horizon(self) -> int:
        """Last second of the last day (UTC): no fact happens after it."""
        return (self.last_day - _EPOCH).days * DAY + DAY - 1

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    def day_starts(self) -> np.ndarray:
        """The first second (UTC) of each day of the window."""
        return self.start + DAY * np.arange(self.days, dtype=np.int64)

    def dates(self) -> list[dt.date]:
        return [self.first_day + dt.timedelta(days=i) for i in range(self.days)]


def history_window(as_of: dt.date, months: int = 15) -> Window:
    """The ``months`` calendar months ending with ``as_of`` (the first one complete).

    >>> history_window(dt.date(2025, 6, 15))
    Window(first_day=datetime.date(2024, 4, 1), last_day=datetime.date(2025, 6, 15))
    """
    index = as_of.year * 12 + (as_of.month - 1) - (months - 1)
    return Window(first_day=dt.date(index // 12, index % 12 + 1, 1), last_day=as_of)


def lognormal_seconds(
    rng: np.random.Generator, median: np.ndarray | float, sigma: float, size: int
) -> np.ndarray:
    """Delays (seconds) with the given median seconds and log-spread, at least one minute."""
    delays = np.asarray(median, dtype=float) * np.exp(sigma * rng.standard_normal(size))
    return np.maximum(delays, MINUTE).astype(np.int64)


def business_clock(utc: np.ndarray, offset: np.ndarray | int) -> np.ndarray:
    """Business seconds elapsed since a reference Monday, counted in local time ``utc + offset``.

    Nights and weekends do not count, so the clock stands still outside 09:00–18:00 Mon–Fri.
    """
    local = np.asarray(utc, dtype=np.int64) + offset - _A_MONDAY
    weeks, in_week = np.divmod(local, WEEK)
    day, in_day = np.divmod(in_week, DAY)
    open_seconds = np.clip(in_day - OPENS_AT, 0, BUSINESS_DAY)
    return (
        weeks * BUSINESS_WEEK
        + np.minimum(day, 5) * BUSINESS_DAY
        + np.where(day < 5, open_seconds, 0)
    )


def from_business_clock(clock: np.ndarray, offset: np.ndarray | int) -> np.ndarray:
    """The UTC second at which the business clock of ``business_clock`` reads ``clock``."""
    weeks, in_week = np.divmod(np.asarray(clock, dtype=np.int64), BUSINESS_WEEK)
    day, in_day = np.divmod(in_week, BUSINESS_DAY)
    return weeks * WEEK + day * DAY + OPENS_AT + in_day + _A_MONDAY - offset


def add_business_hours(utc: np.ndarray, hours: np.ndarray, offset: np.ndarray | int) -> np.ndarray:
    """``utc`` plus ``hours`` of business time in the local time ``offset`` seconds from UTC."""
    clock = business_clock(utc, offset) + (np.asarray(hours) * HOUR).astype(np.int64)
    return np.maximum(from_business_clock(clock, offset), utc)


def business_hours_between(
    start: np.ndarray, end: np.ndarray, offset: np.ndarray | int
) -> np.ndarray:
    """Business hours from ``start`` to ``end`` in the local time ``offset`` seconds from UTC."""
    return (business_clock(end, offset) - business_clock(start, offset)) / HOUR
