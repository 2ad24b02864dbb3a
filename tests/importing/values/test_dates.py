"""Dates and instants as people write them; day-first versus month-first is never guessed."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pytest

from alinea.importing.values.dates import DateEvidence, parse_format, to_dates, to_instants

UTC = dt.UTC


def instants(values: list[str | None], order: str = "dmy", timezone: str | None = "UTC"):
    found = to_instants(pa.array(values, pa.string()), order, timezone)  # type: ignore[arg-type]
    return found.array.to_pylist(), found.bad.tolist(), found.naive.tolist()


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("2018-04-03", "dmy", dt.datetime(2018, 4, 3, tzinfo=UTC)),
        ("2018-04-03", "mdy", dt.datetime(2018, 4, 3, tzinfo=UTC)),  # year first: never ambiguous
        ("2018-04-03T09:30:00Z", "dmy", dt.datetime(2018, 4, 3, 9, 30, tzinfo=UTC)),
        ("2018-04-03T09:30:00.250+02:00", "dmy", dt.datetime(2018, 4, 3, 7, 30, 0, 250_000, UTC)),
        ("2018-04-03 09:30 -0500", "dmy", dt.datetime(2018, 4, 3, 14, 30, tzinfo=UTC)),
        ("03-04-2018", "dmy", dt.datetime(2018, 4, 3, tzinfo=UTC)),
        ("03-04-2018", "mdy", dt.datetime(2018, 3, 4, tzinfo=UTC)),
        ("25-12-2018 18:05", "dmy", dt.datetime(2018, 12, 25, 18, 5, tzinfo=UTC)),
        ("25/12/18", "dmy", dt.datetime(2018, 12, 25, tzinfo=UTC)),
        ("01-01-70", "dmy", dt.datetime(1970, 1, 1, tzinfo=UTC)),  # %y: 69–99 are the 1900s
        ("25.12.2018", "dmy", dt.datetime(2018, 12, 25, tzinfo=UTC)),
        ("12/25/2018", "mdy", dt.datetime(2018, 12, 25, tzinfo=UTC)),
        ("12/25/2018 9:30 PM", "mdy", dt.datetime(2018, 12, 25, 21, 30, tzinfo=UTC)),
        ("12/25/2018 12:10 am", "mdy", dt.datetime(2018, 12, 25, 0, 10, tzinfo=UTC)),
        ("12/25/2018, 09:30:15 UTC", "mdy", dt.datetime(2018, 12, 25, 9, 30, 15, tzinfo=UTC)),
    ],
)
def test_each_written_form_is_read(text, order, expected) -> None:
    values, bad, naive = instants([text], order)
    assert (values, bad, naive) == ([expected], [False], [False])


@pytest.mark.parametrize(
    "text", ["31-02-2018", "2018-13-01", "12/25/2018 25:00", "13:00 PM 1/1/2018", "soon", "1/2"]
)
def test_impossible_or_unknown_values_are_bad(text) -> None:
    values, bad, _ = instants([text, None])
    assert values == [None, None]
    assert bad == [True, False]  # an empty value is not bad, only absent


def test_times_without_a_zone_need_one() -> None:
    values, bad, naive = instants(["2018-04-03 09:30", "2018-04-03T09:30Z"], timezone=None)
    assert naive == [True, False]
    assert bad == [False, False]
    assert values == [None, dt.datetime(2018, 4, 3, 9, 30, tzinfo=UTC)]


def test_times_without_a_zone_are_read_in_the_given_zone_with_daylight_saving() -> None:
    values, _, naive = instants(["15-01-2018 09:30", "15-07-2018 09:30"], timezone="Europe/Madrid")
    assert naive == [False, False]
    assert values == [
        dt.datetime(2018, 1, 15, 8, 30, tzinfo=UTC),
        dt.datetime(2018, 7, 15, 7, 30, tzinfo=UTC),
    ]


def test_calendar_days_ignore_a_time_part() -> None:
    days, bad = to_dates(pa.array(["03-04-2018 10:00", "2018-04-05", "x"]), "dmy")
    assert days.to_pylist() == [dt.date(2018, 4, 3), dt.date(2018, 4, 5), None]
    assert bad.tolist() == [False, False, True]


@pytest.mark.parametrize(
    ("text", "order"),
    [
        ("dd-mm-yyyy", "dmy"),
        ("dd/mm/yy", "dmy"),
        ("mm/dd/yyyy", "mdy"),
        ("%m/%d/%Y %H:%M", "mdy"),
        ("%d.%m.%y", "dmy"),
        ("yyyy-mm-dd", "ymd"),
        ("ISO", "ymd"),
    ],
)
def test_date_formats_name_an_order(text, order) -> None:
    assert parse_format(text) == order


def test_an_unknown_date_format_is_refused() -> None:
    with pytest.raises(ValueError, match="not understood"):
        parse_format("yyyy")


def evidence(values: list[str]) -> DateEvidence:
    found = DateEvidence("Closed")
    found.add(pa.array(values), np.arange(2, len(values) + 2))
    return found


def test_a_day_above_twelve_settles_day_first() -> None:
    decision = evidence(["03-04-2018", "25-04-2018"]).decide()
    assert decision.choice == "dmy"
    assert decision.problem is None
    assert "'25-04-2018' (line 3) reads only that way" in (decision.note or "")


def test_a_day_above_twelve_in_second_place_settles_month_first() -> None:
    decision = evidence(["03/04/2018", "04/25/2018"]).decide()
    assert decision.choice == "mdy"
    assert decision.problem is None


def test_dates_that_read_both_ways_are_an_error_asking_to_choose() -> None:
    decision = evidence(["03-04-2018", "05-06-2018", "2018-01-09"]).decide()
    assert decision.problem is not None
    assert "ambiguous dates: '03-04-2018' (line 2)" in decision.problem
    assert "choose a date format: dd-mm-yyyy or mm/dd/yyyy" in decision.problem


def test_a_column_mixing_both_orders_is_an_error() -> None:
    decision = evidence(["25-04-2018", "04/26/2018"]).decide()
    assert decision.problem is not None
    assert "mixes day-first" in decision.problem


def test_same_day_and_month_or_year_first_values_need_no_choice() -> None:
    decision = evidence(["04-04-2018", "2018-05-06"]).decide()
    assert (decision.problem, decision.note) == (None, None)
