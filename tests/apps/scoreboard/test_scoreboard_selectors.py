from __future__ import annotations

import datetime as dt

import pytest

from alinea.analytics.periods import Period
from alinea.apps.scoreboard.selectors import (
    METRICS,
    monthly_trend_for,
    scoreboard_for,
    trend_months,
)


def test_scoreboard_matches_hand_count_and_sql(hand_facts_on_each_engine) -> None:
    facts = hand_facts_on_each_engine
    board = scoreboard_for(con=facts.con, today=facts.today)

    assert board.current == Period(dt.date(2025, 4, 1), dt.date(2025, 5, 15))
    assert board.previous == Period(dt.date(2025, 1, 1), dt.date(2025, 2, 14))
    now = facts.sql_counts(board.current.start, board.current.end)
    before = facts.sql_counts(board.previous.start, board.previous.end)
    for metric in METRICS:
        line = board.line(metric)
        assert (line.current, line.previous) == facts.expected[metric]
        assert (line.current, line.previous) == (now[metric], before[metric])
    assert [line.team for line in board.lines] == ["marketing"] * 2 + ["sales"] * 4
    assert [line.metric for line in board.for_team("marketing")] == ["leads", "mqls"]


def test_change_in_percent(hand_facts) -> None:
    board = scoreboard_for(con=hand_facts.con, today=hand_facts.today)
    assert board.line("leads").change_pct == pytest.approx(50.0)
    assert board.line("mqls").change_pct == pytest.approx(200.0)
    assert board.line("sqls").change_pct == 0
    assert board.line("customers").change_pct is None  # nothing to compare with
    assert board.line("won_revenue").change_pct == pytest.approx(190.01)


def test_empty_warehouse_gives_zeros(warehouse) -> None:
    board = scoreboard_for(con=warehouse, today=dt.date(2025, 5, 14))
    assert [(line.current, line.previous) for line in board.lines] == [(0.0, 0.0)] * 6


def test_trend_months() -> None:
    months = trend_months(dt.date(2025, 5, 14))
    assert len(months) == 12
    assert months[0] == dt.date(2024, 6, 1)
    assert months[-1] == dt.date(2025, 5, 1)
    assert trend_months(dt.date(2025, 1, 31), 3) == (
        dt.date(2024, 11, 1),
        dt.date(2024, 12, 1),
        dt.date(2025, 1, 1),
    )


def test_monthly_trend_fills_every_month(hand_facts_on_each_engine) -> None:
    facts = hand_facts_on_each_engine
    trend = monthly_trend_for(con=facts.con, today=facts.today)

    assert trend.months == trend_months(facts.today)
    assert set(trend.values) == set(METRICS)
    by_month = dict(zip(trend.months, trend.values["leads"], strict=True))
    assert by_month[dt.date(2024, 6, 1)] == 0
    assert by_month[dt.date(2024, 12, 1)] == 1  # L8
    assert by_month[dt.date(2025, 2, 1)] == 2  # L6, L7
    assert by_month[dt.date(2025, 4, 1)] == 2  # L1, L2
    assert by_month[dt.date(2025, 5, 1)] == 1  # L3; L4 is tomorrow
    revenue = dict(zip(trend.months, trend.values["won_revenue"], strict=True))
    assert revenue[dt.date(2025, 1, 1)] == 5000.0
    assert revenue[dt.date(2025, 3, 1)] == 8000.0
    assert revenue[dt.date(2025, 5, 1)] == 14500.5
    for month in trend.months:
        sql = facts.sql_counts(month, _next_month(month))
        if month == dt.date(2025, 5, 1):
            sql = facts.sql_counts(month, facts.today + dt.timedelta(days=1))
        for metric in METRICS:
            assert trend.values[metric][trend.months.index(month)] == sql[metric], (month, metric)


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
