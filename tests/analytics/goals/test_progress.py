"""Progress: pace line, status thresholds, and cohorts too young to count."""

from __future__ import annotations

import datetime as dt

import pytest

from alinea.analytics.goals.progress import OFF_TRACK, ON_TRACK, pace_at, progress, status_for
from alinea.analytics.goals.series import PeriodValue, weekly_buckets
from alinea.analytics.periods import Period

Q2 = Period(dt.date(2025, 4, 1), dt.date(2025, 7, 1))


@pytest.mark.parametrize(
    ("probability", "status"),
    [(1.0, "on_track"), (ON_TRACK, "on_track"), (0.59, "at_risk"), (OFF_TRACK, "at_risk"),
     (0.24, "off_track"), (0.0, "off_track"), (None, "unknown")],
)  # fmt: skip
def test_status_thresholds(probability, status) -> None:
    assert status_for(probability) == status


def test_pace_line_accumulates_counts_and_moves_rates_from_the_baseline() -> None:
    assert pace_at(0.0, target=91.0, baseline=80.0, additive=True) == 0.0
    assert pace_at(3 / 13, target=91.0, baseline=80.0, additive=True) == pytest.approx(21.0)
    assert pace_at(1.0, target=91.0, baseline=80.0, additive=True) == 91.0
    assert pace_at(0.5, target=0.30, baseline=0.20, additive=False) == pytest.approx(0.25)


def test_running_total_against_pace_by_hand() -> None:
    weeks = weekly_buckets(Q2.start, Q2.end)  # 13 weeks of 7 days
    values = [PeriodValue(w, 10.0, 10, True) for w in weeks[:3]]
    values += [PeriodValue(w, 0.0, 0, False) for w in weeks[3:]]
    got = progress(Q2, values, target=91.0, baseline=80.0, additive=True, probability=0.7)
    assert [p.actual for p in got.points] == [0.0, 10.0, 20.0, 30.0]
    assert [p.pace for p in got.points] == pytest.approx([0.0, 7.0, 14.0, 21.0])
    assert (got.as_of, got.actual, got.pace, got.status) == (
        dt.date(2025, 4, 22),
        30.0,
        21.0,
        "on_track",
    )


def test_young_cohorts_are_maturing_not_failures() -> None:
    weeks = weekly_buckets(Q2.start, Q2.end)
    values = [
        PeriodValue(weeks[0], 0.5, 100, True),
        PeriodValue(weeks[1], 0.3, 50, True),
        PeriodValue(weeks[2], 0.05, 80, False),  # cohort still inside its conversion window
        PeriodValue(weeks[3], 0.0, 40, False),
    ]
    got = progress(Q2, values, target=0.5, baseline=0.4, additive=False, probability=None)
    assert got.actual == pytest.approx((50 + 15) / 150)
    assert got.maturing == 120
    assert got.as_of == dt.date(2025, 4, 15)
    assert got.status == "unknown"
