"""Business time agrees with a walk, minute by minute, over the local wall clock.

The reference below shares nothing with the implementation but the calendar spec: it steps through
UTC minutes, converts each to local time with ``zoneinfo``, and asks whether that local date is
open (the ``holidays`` package directly, plus the extra closed days) and whether the wall-clock
minute lies in one of the weekday's opening hours. Hypothesis draws the calendars (split days,
night shifts, hours around the DST switch), the zones (with DST in both hemispheres, half-hour and
45-minute offsets, a zone switching at midnight) and instants around DST changes and holidays.
"""

from __future__ import annotations

import datetime as dt
import functools
from zoneinfo import ZoneInfo

import holidays
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alinea.analytics.sla.business_time import (
    add_business_days,
    add_business_hours,
    business_days_between,
    business_hours_between,
)
from alinea.analytics.sla.calendar import BusinessCalendar, OpeningHours

MINUTE = dt.timedelta(minutes=1)
ZONES = (
    "Europe/Madrid",
    "America/New_York",
    "Australia/Sydney",
    "America/Santiago",  # switches at local midnight
    "Asia/Kolkata",  # +05:30, no DST
    "Pacific/Chatham",  # +12:45 / +13:45
    "Europe/London",
    "UTC",
)
HOLIDAY_REGIONS = ((None, None), ("ES", "MD"), ("US", "NY"), ("AU", "NSW"), ("CL", None))
#: Local minutes where DST changes happen somewhere, plus usual office hours.
NOTABLE_MINUTES = (0, 60, 120, 150, 165, 180, 225, 240, 540, 780, 840, 1080, 1380, 1440)
#: DST changes (EU, US, Sydney, Santiago, Chatham), holidays and a leap day.
ANCHORS = tuple(
    dt.datetime.fromisoformat(f"{day}T12:00:00+00:00")
    for day in (
        "2025-03-30",
        "2025-10-26",
        "2025-03-09",
        "2025-11-02",
        "2025-04-06",
        "2025-10-05",
        "2025-09-07",
        "2025-09-28",
        "2025-12-25",
        "2026-01-01",
        "2024-02-29",
    )
)

# ---------------------------------------------------------------- the reference


@functools.cache
def _public_holidays(country: str, subdivision: str | None, year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays(country, subdiv=subdivision, years=year))


def _open_date(calendar: BusinessCalendar, day: dt.date) -> bool:
    if day in calendar.closed_days:
        return False
    if calendar.country is None:
        return True
    return day not in _public_holidays(calendar.country, calendar.subdivision, day.year)


def _works(calendar: BusinessCalendar, instant: dt.datetime) -> bool:
    local = instant.astimezone(ZoneInfo(calendar.timezone))
    if not _open_date(calendar, local.date()):
        return False
    minute = local.hour * 60 + local.minute
    for hours in calendar.week[local.weekday()]:
        start = hours.start.hour * 60 + hours.start.minute
        end = hours.end.hour * 60 + hours.end.minute or 24 * 60
        if start <= minute < end:
            return True
    return False


def reference_minutes(calendar: BusinessCalendar, start: dt.datetime, end: dt.datetime) -> int:
    count, instant = 0, start
    while instant < end:
        count += _works(calendar, instant)
        instant += MINUTE
    return count


def reference_due_hours(
    calendar: BusinessCalendar, start: dt.datetime, minutes: int
) -> dt.datetime:
    instant, count = start, 0
    while count < minutes:
        count += _works(calendar, instant)
        instant += MINUTE
    return instant


@functools.cache
def _day_minutes(calendar: BusinessCalendar, day: dt.date) -> int:
    """Working minutes whose local date is ``day`` (walks the two UTC days around it)."""
    zone = ZoneInfo(calendar.timezone)
    instant = dt.datetime.combine(day, dt.time(), dt.UTC) - dt.timedelta(hours=15)
    count = 0
    for _ in range(54 * 60):
        if instant.astimezone(zone).date() == day:
            count += _works(calendar, instant)
        instant += MINUTE
    return count


def _day_share(calendar: BusinessCalendar, instant: dt.datetime) -> float:
    """The share of a business day one working minute is (0 outside working time)."""
    if not _works(calendar, instant):
        return 0.0
    return 1.0 / _day_minutes(calendar, instant.astimezone(ZoneInfo(calendar.timezone)).date())


def reference_days(calendar: BusinessCalendar, start: dt.datetime, end: dt.datetime) -> float:
    total, instant = 0.0, start
    while instant < end:
        total += _day_share(calendar, instant)
        instant += MINUTE
    return total


def reference_due_days(calendar: BusinessCalendar, start: dt.datetime, days: float) -> dt.datetime:
    """The end of the working minute during which ``days`` business days are reached."""
    instant, total = start, 0.0
    while total < days - 1e-9:
        total += _day_share(calendar, instant)
        instant += MINUTE
    return instant


# ---------------------------------------------------------------- strategies


def _hours(minute: int) -> dt.time:
    return dt.time(0) if minute == 24 * 60 else dt.time(minute // 60, minute % 60)


@st.composite
def day_hours(draw: st.DrawFn) -> tuple[OpeningHours, ...]:
    minute = st.sampled_from(NOTABLE_MINUTES) | st.integers(0, 24 * 60)
    points = sorted(draw(st.sets(minute, max_size=6)))
    pairs = zip(points[0::2], points[1::2], strict=False)
    return tuple(OpeningHours(_hours(a), _hours(b)) for a, b in pairs)


@st.composite
def calendars(draw: st.DrawFn) -> BusinessCalendar:
    week = tuple(draw(day_hours()) for _ in range(7))
    if not any(week):
        week = (week[0] + (OpeningHours(dt.time(9), dt.time(17)),), *week[1:])
    country, subdivision = draw(st.sampled_from(HOLIDAY_REGIONS))
    anchor = draw(st.sampled_from(ANCHORS)).date()
    closed = draw(st.sets(st.integers(-6, 6).map(lambda d: anchor + dt.timedelta(days=d))))
    return BusinessCalendar(
        timezone=draw(st.sampled_from(ZONES)),
        week=week,
        country=country,
        subdivision=subdivision,
        closed_days=frozenset(closed),
    )


instants = st.builds(
    lambda anchor, minutes: anchor + dt.timedelta(minutes=minutes),
    st.sampled_from(ANCHORS),
    st.integers(-4 * 24 * 60, 4 * 24 * 60),
)
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ---------------------------------------------------------------- properties


@PROPERTY
@given(
    calendar=calendars(),
    spans=st.lists(st.tuples(instants, st.integers(0, 5 * 24 * 60)), min_size=1, max_size=4),
)
def test_business_hours_between_equal_the_minute_walk(calendar, spans) -> None:
    starts = [start for start, _ in spans]
    ends = [start + dt.timedelta(minutes=m) for start, m in spans]
    got = business_hours_between(calendar, starts, ends)
    expected = [reference_minutes(calendar, s, e) / 60 for s, e in zip(starts, ends, strict=True)]
    assert np.allclose(got, expected, rtol=0, atol=1e-12)
    assert np.allclose(business_hours_between(calendar, ends, starts), -got)


@PROPERTY
@given(
    calendar=calendars(),
    jobs=st.lists(st.tuples(instants, st.integers(0, 30 * 60)), min_size=1, max_size=4),
)
def test_due_after_business_hours_equals_the_minute_walk(calendar, jobs) -> None:
    starts = [start for start, _ in jobs]
    minutes = np.array([m for _, m in jobs])
    got = add_business_hours(calendar, starts, minutes / 60)
    expected = [reference_due_hours(calendar, s, int(m)) for s, m in jobs]
    assert list(got) == expected


@PROPERTY
@given(
    calendar=calendars(),
    spans=st.lists(st.tuples(instants, st.integers(0, 3 * 24 * 60)), min_size=1, max_size=3),
)
def test_business_days_between_equal_the_minute_walk(calendar, spans) -> None:
    starts = [start for start, _ in spans]
    ends = [start + dt.timedelta(minutes=m) for start, m in spans]
    got = business_days_between(calendar, starts, ends)
    expected = [reference_days(calendar, s, e) for s, e in zip(starts, ends, strict=True)]
    assert np.allclose(got, expected, rtol=0, atol=1e-9)


@PROPERTY
@given(
    calendar=calendars(),
    jobs=st.lists(
        st.tuples(instants, st.integers(0, 12).map(lambda q: q / 4)), min_size=1, max_size=3
    ),
)
def test_due_after_business_days_falls_in_the_minute_the_walk_reaches_it(calendar, jobs) -> None:
    starts = [start for start, _ in jobs]
    days = np.array([d for _, d in jobs])
    got = add_business_days(calendar, starts, days)
    for (start, amount), due in zip(jobs, got, strict=True):
        expected = reference_due_days(calendar, start, amount)
        if amount == 0:
            assert due == start
        else:
            assert expected - MINUTE < due <= expected
    # the due time is the earliest microsecond by which the days have passed: at it they have,
    # a microsecond earlier (for a positive amount) they have not
    reached = business_days_between(calendar, starts, list(got))
    assert np.all(reached >= days - 1e-12)
    before = business_days_between(calendar, starts, list(got - dt.timedelta(microseconds=1)))
    assert np.all((before < days) | (days == 0))
