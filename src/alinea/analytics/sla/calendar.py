"""Business calendars: when a team works, in its own time zone, minus public holidays.

A calendar says which local wall-clock times are working time: opening hours per weekday (several
intervals a day are fine, e.g. 09:00–13:00 and 14:00–18:00), read in an IANA time zone, on every
day that is neither a public holiday of the calendar's country/subdivision (the ``holidays``
package) nor one of its extra closed days.

An instant is working time when its local date is a working day and its local wall-clock time lies
in one of that weekday's intervals. Around daylight-saving changes this follows the wall clock: a
skipped hour is not worked, a repeated hour is worked twice.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

WEEKDAYS: tuple[str, ...] = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
_DAY_SECONDS = 24 * 3600


def _seconds(time: dt.time) -> int:
    return time.hour * 3600 + time.minute * 60 + time.second


def _parse_time(text: str) -> dt.time:
    text = text.strip()
    if text == "24:00":
        return dt.time(0)
    return dt.time.fromisoformat(text)


@dataclass(frozen=True, order=True)
class OpeningHours:
    """Open from ``start`` (included) to ``end`` (excluded), in local wall-clock time.

    ``end`` of 00:00 means midnight at the end of the day (24:00).

    >>> OpeningHours.parse("09:00-13:00").seconds
    14400
    >>> OpeningHours.parse("22:00-24:00").end_seconds
    86400
    """

    start: dt.time
    end: dt.time

    def __post_init__(self) -> None:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("opening hours are local wall-clock times: give times without tzinfo")
        if self.start.microsecond or self.end.microsecond:
            raise ValueError("opening hours are whole seconds")
        if self.end_seconds <= self.start_seconds:
            raise ValueError(f"opening hours must end after they start: {self}")

    @classmethod
    def parse(cls, text: str) -> OpeningHours:
        """``"HH:MM-HH:MM"`` (``24:00`` allowed as the end)."""
        start, sep, end = text.partition("-")
        if not sep:
            raise ValueError(f"opening hours {text!r}: expected 'HH:MM-HH:MM'")
        return cls(_parse_time(start), _parse_time(end))

    @property
    def start_seconds(self) -> int:
        return _seconds(self.start)

    @property
    def end_seconds(self) -> int:
        return _seconds(self.end) or _DAY_SECONDS

    @property
    def seconds(self) -> int:
        return self.end_seconds - self.start_seconds

    def __str__(self) -> str:
        end = "24:00" if self.end_seconds == _DAY_SECONDS else self.end.isoformat("minutes")
        return f"{self.start.isoformat('minutes')}-{end}"


DayHours = tuple[OpeningHours, ...]
HoursLike = OpeningHours | str | tuple[dt.time, dt.time]


def _opening(value: HoursLike) -> OpeningHours:
    if isinstance(value, OpeningHours):
        return value
    if isinstance(value, str):
        return OpeningHours.parse(value)
    return OpeningHours(*value)


def weekly_hours(days: Mapping[int | str, Iterable[HoursLike]]) -> tuple[DayHours, ...]:
    """Seven tuples of opening hours (Monday first) from a mapping of weekday to intervals.

    Weekdays are 0–6 (Monday = 0) or names; missing weekdays are closed.

    >>> week = weekly_hours({"monday": ["09:00-13:00", "14:00-18:00"], 5: ["10:00-12:00"]})
    >>> [len(day) for day in week]
    [2, 0, 0, 0, 0, 1, 0]
    """
    week: list[list[OpeningHours]] = [[] for _ in WEEKDAYS]
    for day, intervals in days.items():
        index = WEEKDAYS.index(day.lower()) if isinstance(day, str) else day
        if not 0 <= index < 7:
            raise ValueError(f"weekday {day!r}: expected 0–6 (Monday = 0) or a weekday name")
        week[index].extend(_opening(i) for i in intervals)
    return tuple(tuple(sorted(day)) for day in week)


@functools.lru_cache(maxsize=512)
def _public_holidays(country: str, subdivision: str | None, year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays(country, subdiv=subdivision, years=year))


def _check_holiday_region(country: str | None, subdivision: str | None) -> None:
    if country is None:
        if subdivision is not None:
            raise ValueError("a holiday subdivision needs a country")
        return
    try:
        holidays.country_holidays(country, subdiv=subdivision)
    except NotImplementedError as exc:
        raise ValueError(f"public holidays: {exc}") from None


@dataclass(frozen=True)
class BusinessCalendar:
    """Working hours per weekday in ``timezone``, closed on public and extra holidays.

    ``week`` holds seven tuples of :class:`OpeningHours`, Monday first. ``country`` (ISO 3166 code)
    and ``subdivision`` select public holidays from the ``holidays`` package; ``closed_days`` adds
    company-specific closed dates (local dates).

    >>> madrid = BusinessCalendar.weekdays(
    ...     "Europe/Madrid", "09:00-14:00", "15:00-18:00", country="ES", subdivision="MD"
    ... )
    >>> madrid.hours_on(dt.date(2025, 5, 2))  # Madrid Day, a Friday
    ()
    >>> [str(h) for h in madrid.hours_on(dt.date(2025, 5, 5))]
    ['09:00-14:00', '15:00-18:00']
    """

    timezone: str
    week: tuple[DayHours, ...]
    country: str | None = None
    subdivision: str | None = None
    closed_days: frozenset[dt.date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{self.timezone!r} is not an IANA time zone") from None
        if len(self.week) != 7:
            raise ValueError(f"a week has 7 days of opening hours, got {len(self.week)}")
        week = tuple(tuple(sorted(_opening(h) for h in day)) for day in self.week)
        object.__setattr__(self, "week", week)
        object.__setattr__(self, "closed_days", frozenset(self.closed_days))
        for name, day in zip(WEEKDAYS, week, strict=True):
            for before, after in itertools.pairwise(day):
                if after.start_seconds < before.end_seconds:
                    raise ValueError(f"{name}: opening hours {before} and {after} overlap")
        if not any(week):
            raise ValueError("a business calendar needs opening hours on at least one weekday")
        _check_holiday_region(self.country, self.subdivision)

    @classmethod
    def weekdays(
        cls,
        timezone: str,
        *hours: HoursLike,
        country: str | None = None,
        subdivision: str | None = None,
        closed_days: Iterable[dt.date] = (),
    ) -> BusinessCalendar:
        """The same opening hours Monday to Friday, closed at weekends."""
        day = tuple(_opening(h) for h in hours)
        return cls(
            timezone=timezone,
            week=(day,) * 5 + ((), ()),
            country=country,
            subdivision=subdivision,
            closed_days=frozenset(closed_days),
        )

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def in_zone(self, timezone: str) -> BusinessCalendar:
        """The same hours and holidays, read in another time zone (e.g. a rep's own)."""
        if timezone == self.timezone:
            return self
        return BusinessCalendar(
            timezone, self.week, self.country, self.subdivision, self.closed_days
        )

    def closed_dates(self, first_year: int, last_year: int) -> frozenset[dt.date]:
        """Public holidays and extra closed days from ``first_year`` to ``last_year`` inclusive."""
        closed = set(self.closed_days)
        if self.country is not None:
            for year in range(first_year, last_year + 1):
                closed |= _public_holidays(self.country, self.subdivision, year)
        return frozenset(closed)

    def hours_on(self, day: dt.date) -> DayHours:
        """The opening hours of a local date (none on holidays and closed days)."""
        if day in self.closed_dates(day.year, day.year):
            return ()
        return self.week[day.weekday()]
