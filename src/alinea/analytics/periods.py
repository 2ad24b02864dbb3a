"""Reporting periods: half-open ranges of calendar days, compared like for like."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir


@dataclass(frozen=True)
class Period:
    """Days ``start`` (included) to ``end`` (excluded), read as UTC days."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError(f"a period must end after it starts: {self.start} → {self.end}")

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)

    def contains(self, instant: ir.TimestampValue) -> ir.BooleanValue:
        """Whether a UTC timestamp column falls in the period."""
        start = ibis.timestamp(dt.datetime.combine(self.start, dt.time(), dt.UTC))
        end = ibis.timestamp(dt.datetime.combine(self.end, dt.time(), dt.UTC))
        return (instant >= start) & (instant < end)


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_to_date(today: dt.date) -> Period:
    """From the first day of ``today``'s quarter up to and including ``today``.

    >>> quarter_to_date(dt.date(2025, 5, 14))
    Period(start=datetime.date(2025, 4, 1), end=datetime.date(2025, 5, 15))
    """
    return Period(quarter_start(today), today + dt.timedelta(days=1))


def previous_comparable(period: Period) -> Period:
    """The same span of the previous quarter: as many days, from that quarter's first day.

    Quarter-to-date is compared with the matching days of the last quarter, never with a full
    quarter. When the previous quarter is shorter, the span stops at its end.

    >>> previous_comparable(Period(dt.date(2025, 4, 1), dt.date(2025, 5, 15)))
    Period(start=datetime.date(2025, 1, 1), end=datetime.date(2025, 2, 14))
    """
    start = quarter_start(period.start - dt.timedelta(days=1))
    end = min(start + dt.timedelta(days=period.days), quarter_start(period.start))
    return Period(start, end)
