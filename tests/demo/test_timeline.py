"""The generator's clock: history windows and business-hour arithmetic, on hand-worked cases."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from alinea.demo.people import rep_count
from alinea.demo.timeline import (
    HOUR,
    add_business_hours,
    business_hours_between,
    history_window,
)

MADRID_WINTER = 1 * HOUR  # UTC+1


def _utc(text: str) -> np.ndarray:
    seconds = dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC).timestamp()
    return np.array([int(seconds)], dtype=np.int64)


def _iso(seconds: np.ndarray) -> str:
    return dt.datetime.fromtimestamp(int(seconds[0]), dt.UTC).strftime("%Y-%m-%d %H:%M")


@pytest.mark.parametrize(
    ("start", "hours", "offset", "expected"),
    [
        ("2025-03-04 09:00", 2, 0, "2025-03-04 11:00"),  # Tuesday morning, same day
        ("2025-03-04 17:00", 2, 0, "2025-03-05 10:00"),  # past closing: next morning
        ("2025-03-07 17:30", 1, 0, "2025-03-10 09:30"),  # Friday evening: Monday
        ("2025-03-08 12:00", 1, 0, "2025-03-10 10:00"),  # Saturday: the clock stands still
        ("2025-03-04 07:00", 1, MADRID_WINTER, "2025-03-04 09:00"),  # 08:00 in Madrid
        ("2025-03-04 23:00", 0.5, -5 * HOUR, "2025-03-05 14:30"),  # 18:00 in New York
        ("2025-03-03 09:00", 45, 0, "2025-03-10 09:00"),  # a whole business week
    ],
)
def test_add_business_hours(start: str, hours: float, offset: int, expected: str) -> None:
    assert _iso(add_business_hours(_utc(start), np.array([hours]), offset)) == expected


def test_business_hours_between_skips_the_weekend() -> None:
    hours = business_hours_between(_utc("2025-03-07 16:00"), _utc("2025-03-10 11:00"), 0)
    assert hours.tolist() == [4.0]


def test_the_history_is_fifteen_months_ending_at_as_of() -> None:
    window = history_window(dt.date(2025, 6, 30))
    assert (window.first_day, window.last_day, window.days) == (
        dt.date(2024, 4, 1),
        dt.date(2025, 6, 30),
        456,
    )
    assert window.horizon - window.start == 456 * 24 * HOUR - 1


@pytest.mark.parametrize(
    ("leads", "reps"), [(500, 12), (20_000, 16), (200_000, 160), (4_000_000, 400)]
)
def test_one_rep_per_thousand_yearly_leads_within_bounds(leads: int, reps: int) -> None:
    assert rep_count(leads, history_window(dt.date(2025, 6, 30))) == reps
