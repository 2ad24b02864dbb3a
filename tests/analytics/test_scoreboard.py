from __future__ import annotations

import datetime as dt

import pytest

from alinea.analytics.facts import Facts
from alinea.analytics.periods import Period, previous_comparable, quarter_to_date
from alinea.analytics.run import fetch
from alinea.analytics.scoreboard import monthly_trend, scoreboard
from alinea.warehouse import ingest_many

TODAY = dt.date(2025, 5, 14)  # Q2: current = Apr 1 – May 14, previous = Jan 1 – Feb 13


def _stage(lead: str, stage: str, at: str) -> dict[str, str]:
    return {"lead_id": lead, "stage": stage, "changed_at": at}


def _facts(warehouse) -> Facts:
    ingest_many(
        warehouse,
        {
            "leads": [
                {"lead_id": "a", "created_at": "2025-04-01T00:00:00Z"},  # first instant: in
                {"lead_id": "b", "created_at": "2025-05-14T23:59:59Z"},  # last instant: in
                {"lead_id": "c", "created_at": "2025-05-15T00:00:00Z"},  # after today: out
                {"lead_id": "d", "created_at": "2025-02-13T12:00:00Z"},  # previous span
                {"lead_id": "e", "created_at": "2025-02-14T00:00:00Z"},  # after previous span
                {"lead_id": "f", "created_at": "2025-04-02T01:00:00+02:00"},  # = Apr 1 23:00 UTC
            ],
            "stage_changes": [
                _stage("a", "mql", "2025-04-03T10:00:00Z"),
                _stage("a", "lead", "2025-04-10T10:00:00Z"),  # recycled …
                _stage("a", "mql", "2025-04-20T10:00:00Z"),  # … and re-qualified: one MQL
                _stage("b", "sql", "2025-05-01T10:00:00Z"),  # skipped MQL
                _stage("b", "opportunity", "2025-05-02T10:00:00Z"),
                _stage("b", "customer", "2025-05-10T10:00:00Z"),
                _stage("d", "mql", "2025-02-01T10:00:00Z"),
                _stage("d", "sql", "2025-02-13T23:00:00Z"),
                _stage("f", "mql", "2025-03-31T23:00:00Z"),  # Q1, outside both spans
            ],
            "deals": [
                {"deal_id": "x", "lead_id": "b", "created_at": "2025-05-02T10:00:00Z",
                 "closed_at": "2025-05-10T10:00:00Z", "status": "won", "amount": 1200.0},
                {"deal_id": "y", "created_at": "2025-01-02T10:00:00Z",
                 "closed_at": "2025-02-10T10:00:00Z", "status": "won", "amount": 800.5},
                {"deal_id": "z", "created_at": "2025-04-02T10:00:00Z",
                 "closed_at": "2025-04-10T10:00:00Z", "status": "lost", "amount": 9999.0},
                {"deal_id": "o", "created_at": "2025-04-02T10:00:00Z", "status": "open",
                 "amount": 5000.0},
            ],
        },
    )  # fmt: skip
    return Facts.of(warehouse)


def test_periods_compare_quarter_to_date_with_the_same_days_of_last_quarter() -> None:
    current = quarter_to_date(TODAY)
    assert current == Period(dt.date(2025, 4, 1), dt.date(2025, 5, 15))
    assert previous_comparable(current) == Period(dt.date(2025, 1, 1), dt.date(2025, 2, 14))
    # 31 March is day 90 of Q1; Q4 has 92 days, so the span fits
    late = quarter_to_date(dt.date(2025, 3, 31))
    assert previous_comparable(late) == Period(dt.date(2024, 10, 1), dt.date(2024, 12, 30))
    # 30 September is day 92 of Q3; Q2 has only 91 days: stop at the quarter's end
    assert previous_comparable(quarter_to_date(dt.date(2025, 9, 30))).end == dt.date(2025, 7, 1)
    with pytest.raises(ValueError, match="must end after it starts"):
        Period(dt.date(2025, 1, 2), dt.date(2025, 1, 2))


def test_scoreboard_counts_hand_worked_facts(warehouse) -> None:
    current = quarter_to_date(TODAY)
    board = fetch(
        scoreboard(_facts(warehouse), current=current, previous=previous_comparable(current))
    )
    got = {r["metric"]: (r["team"], r["current"], r["previous"]) for r in board.to_dict("records")}
    assert got == {
        "leads": ("marketing", 3.0, 1.0),
        "mqls": ("marketing", 1.0, 1.0),
        "sqls": ("sales", 1.0, 1.0),
        "opportunities": ("sales", 1.0, 0.0),
        "customers": ("sales", 1.0, 0.0),
        "won_revenue": ("sales", 1200.0, 800.5),
    }
    assert list(board["metric"]) == list(got)  # stable order for every caller


def test_monthly_trend_buckets_by_calendar_month(warehouse) -> None:
    trend = fetch(
        monthly_trend(_facts(warehouse), start=dt.date(2025, 1, 1), end=dt.date(2025, 6, 1))
    )
    got = {(str(r["month"])[:10], r["metric"]): r["value"] for r in trend.to_dict("records")}
    assert got == {
        ("2025-02-01", "leads"): 2.0,
        ("2025-02-01", "mqls"): 1.0,
        ("2025-02-01", "sqls"): 1.0,
        ("2025-02-01", "won_revenue"): 800.5,
        ("2025-03-01", "mqls"): 1.0,
        ("2025-04-01", "leads"): 2.0,
        ("2025-04-01", "mqls"): 1.0,
        ("2025-05-01", "leads"): 2.0,
        ("2025-05-01", "sqls"): 1.0,
        ("2025-05-01", "opportunities"): 1.0,
        ("2025-05-01", "customers"): 1.0,
        ("2025-05-01", "won_revenue"): 1200.0,
    }
