"""Hand-worked business time: DST both ways, nights, weekends, holidays, split days, rep zones."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from alinea.analytics.sla.business_time import (
    add_business_days,
    add_business_hours,
    business_days_between,
    business_hours_between,
    to_utc_ns,
)
from alinea.analytics.sla.calendar import BusinessCalendar, OpeningHours, weekly_hours

UTC = dt.UTC
ALWAYS_MADRID = BusinessCalendar(
    "Europe/Madrid", weekly_hours({day: ["00:00-24:00"] for day in range(7)})
)
OFFICE_MADRID = BusinessCalendar.weekdays(
    "Europe/Madrid", "09:00-13:00", "14:00-18:00", country="ES", subdivision="MD"
)


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


def hours(calendar: BusinessCalendar, start: str, end: str) -> float:
    return float(business_hours_between(calendar, [utc(start)], [utc(end)])[0])


def due(calendar: BusinessCalendar, start: str, amount: float, *, days: bool = False) -> str:
    add = add_business_days if days else add_business_hours
    return add(calendar, [utc(start)], amount)[0].strftime("%Y-%m-%d %H:%M")


def test_dst_days_have_23_and_25_working_hours_on_a_24_hour_calendar() -> None:
    # Madrid local midnights in UTC: 30 March 2025 starts at +01:00 and ends at +02:00
    assert hours(ALWAYS_MADRID, "2025-03-29 23:00", "2025-03-30 22:00") == 23
    assert hours(ALWAYS_MADRID, "2025-10-25 22:00", "2025-10-26 23:00") == 25
    # a business day is a working day, whatever its length
    assert business_days_between(
        ALWAYS_MADRID, [utc("2025-03-29 23:00")], [utc("2025-03-30 22:00")]
    ).tolist() == [1.0]


def test_hours_in_the_skipped_hour_never_happen_and_the_repeated_hour_counts_twice() -> None:
    night = BusinessCalendar(
        "Europe/Madrid", weekly_hours({"sunday": ["02:00-03:00"], "monday": ["09:00-10:00"]})
    )
    assert hours(night, "2025-03-29 00:00", "2025-03-31 00:00") == 0  # 02:00 → 03:00 CEST
    assert hours(night, "2025-10-25 00:00", "2025-10-27 00:00") == 2  # 02:00 CEST and CET
    assert hours(night, "2025-11-01 00:00", "2025-11-03 00:00") == 1  # an ordinary Sunday
    # due one hour after Saturday: the next Sunday's hour does not exist, so Monday 09:00–10:00
    assert due(night, "2025-03-29 12:00", 1) == "2025-03-31 08:00"
    # half an hour after the first 02:00–02:30 CEST is the second 02:00 CET … 02:30 CET
    assert due(night, "2025-10-26 00:00", 1.5) == "2025-10-26 01:30"


def test_new_york_across_the_spring_change() -> None:
    cal = BusinessCalendar.weekdays("America/New_York", "09:00-17:00")
    # Friday 7 March 16:00 EST → Monday 10 March 10:00 EDT: 1 h + 1 h
    assert hours(cal, "2025-03-07 21:00", "2025-03-10 14:00") == 2
    # 4 business hours after Friday 15:00 EST: 2 h Friday, then 11:00 EDT Monday = 15:00 UTC
    assert due(cal, "2025-03-07 20:00", 4) == "2025-03-10 15:00"


def test_arrivals_at_night_at_weekends_and_on_holidays_start_at_the_next_opening() -> None:
    # Thursday 1 May 2025 is Labour Day and Friday 2 May is Madrid Day
    assert due(OFFICE_MADRID, "2025-04-30 22:00", 1) == "2025-05-05 08:00"  # Mon 10:00 CEST
    # Saturday night → Monday: the lunch break does not count
    assert due(OFFICE_MADRID, "2025-03-29 23:00", 5) == "2025-03-31 13:00"
    # Tuesday 11:30 CEST + 2 h: 1.5 h before lunch, 0.5 h after it
    assert due(OFFICE_MADRID, "2025-06-03 09:30", 2) == "2025-06-03 12:30"


def test_split_days_equal_one_interval_when_they_touch() -> None:
    split = BusinessCalendar.weekdays("Europe/Madrid", "09:00-13:00", "13:00-18:00")
    whole = BusinessCalendar.weekdays("Europe/Madrid", "09:00-18:00")
    start = [utc("2025-06-02 06:00"), utc("2025-06-06 15:59")]
    assert add_business_hours(split, start, 7).equals(add_business_hours(whole, start, 7))


def test_business_days_keep_the_share_of_the_day_that_had_passed() -> None:
    cal = BusinessCalendar(
        "Europe/Madrid",
        weekly_hours({d: ["09:00-17:00"] for d in range(4)} | {4: ["09:00-14:00"]}),
    )
    # Monday 10:00 CEST + 2 days = Wednesday 10:00 CEST
    assert due(cal, "2025-06-02 08:00", 2, days=True) == "2025-06-04 08:00"
    # Thursday 13:00 (half the day) + 1 day = Friday at half of 09–14 = 11:30 CEST
    assert due(cal, "2025-06-05 11:00", 1, days=True) == "2025-06-06 09:30"
    # Saturday + 1 day = the end of Monday, not Tuesday's opening
    assert due(cal, "2025-06-07 10:00", 1, days=True) == "2025-06-09 15:00"
    assert due(cal, "2025-06-07 10:00", 0.5, days=True) == "2025-06-09 11:00"


def test_a_rep_works_the_same_hours_in_their_own_zone() -> None:
    madrid = BusinessCalendar.weekdays("Europe/Madrid", "09:00-17:00")
    new_york = madrid.in_zone("America/New_York")
    start = [utc("2025-06-02 12:00")]  # 14:00 in Madrid, 08:00 in New York
    assert add_business_hours(madrid, start, 1)[0] == pd.Timestamp("2025-06-02 13:00Z")
    assert add_business_hours(new_york, start, 1)[0] == pd.Timestamp("2025-06-02 14:00Z")
    # in the weeks when Europe has changed the clocks and America has not … (both in 2025)
    assert hours(new_york, "2025-03-03 00:00", "2025-03-15 00:00") == 80
    assert new_york.in_zone("America/New_York") is new_york


def test_due_times_far_ahead_extend_the_timeline() -> None:
    closed = {dt.date(2025, 1, 1) + dt.timedelta(days=n) for n in range(600)}
    cal = BusinessCalendar.weekdays("UTC", "09:00-17:00", closed_days=closed)
    assert due(cal, "2025-01-01 00:00", 1) == "2026-08-24 10:00"  # the first open Monday
    with pytest.raises(ValueError, match="no working time"):
        add_business_hours(cal, [utc("2025-01-01 00:00")], 8 * 5 * 52 * 30)


def test_missing_instants_give_missing_answers_and_naive_ones_are_refused() -> None:
    got = business_hours_between(OFFICE_MADRID, [utc("2025-06-02 07:00"), None], [None, None])
    assert np.isnan(got).all()
    assert add_business_hours(OFFICE_MADRID, [None], 1).isna().all()
    with pytest.raises(ValueError, match="naive"):
        business_hours_between(OFFICE_MADRID, [dt.datetime(2025, 6, 2)], [utc("2025-06-03")])  # noqa: DTZ001
    with pytest.raises(ValueError, match="naive"):
        to_utc_ns(pd.Series(pd.to_datetime(["2025-06-02"])))
    # numpy datetime64 is read as UTC; other zones are converted
    ns, _ = to_utc_ns(np.array(["2025-06-02T10:00"], dtype="datetime64[s]"))
    madrid = dt.datetime(2025, 6, 2, 12, tzinfo=OFFICE_MADRID.zone)
    assert ns.tolist() == to_utc_ns([madrid])[0].tolist()


def test_results_are_vectorised_over_mixed_instants() -> None:
    starts = pd.Series(pd.to_datetime(["2025-06-02 07:00Z", "2025-06-07 07:00Z"] * 3))
    got = add_business_hours(OFFICE_MADRID, starts, np.array([1, 2, 3, 4, 5, 6]))
    assert [t.strftime("%a %H:%M") for t in got] == [
        "Mon 08:00",
        "Mon 09:00",
        "Mon 10:00",
        "Mon 11:00",  # Monday 09:00 CEST + 4 h = 13:00 CEST: due as lunch starts, not after
        "Mon 13:00",
        "Mon 14:00",
    ]


def test_calendar_specs_are_checked() -> None:
    with pytest.raises(ValueError, match="not an IANA time zone"):
        BusinessCalendar.weekdays("Mars/Olympus", "09:00-17:00")
    with pytest.raises(ValueError, match="overlap"):
        BusinessCalendar.weekdays("UTC", "09:00-13:00", "12:00-18:00")
    with pytest.raises(ValueError, match="at least one weekday"):
        BusinessCalendar("UTC", weekly_hours({}))
    with pytest.raises(ValueError, match="public holidays"):
        BusinessCalendar.weekdays("UTC", "09:00-17:00", country="XX")
    with pytest.raises(ValueError, match="needs a country"):
        BusinessCalendar.weekdays("UTC", "09:00-17:00", subdivision="MD")
    with pytest.raises(ValueError, match="end after"):
        OpeningHours.parse("18:00-09:00")
    with pytest.raises(ValueError, match="weekday"):
        weekly_hours({9: ["09:00-17:00"]})
    assert str(OpeningHours.parse("22:00-24:00")) == "22:00-24:00"
    # a calendar is a value: equal specs share one cached timeline
    assert (
        BusinessCalendar.weekdays(
            "Europe/Madrid", "09:00-13:00", "14:00-18:00", country="ES", subdivision="MD"
        )
        == OFFICE_MADRID
    )
