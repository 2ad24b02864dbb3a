"""A handful of hand-written facts around one day, 2025-05-14, and the counts worked out by hand.

Quarter to date is 2025-04-01 … 2025-05-14; the previous span is 2025-01-01 … 2025-02-13 (as many
days, from the previous quarter's first day). Facts sit on and just beyond every boundary.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from ibis.backends import BaseBackend

from alinea.warehouse import connect, ingest_many

TODAY = dt.date(2025, 5, 14)


def _leads() -> list[dict[str, object]]:
    created = {
        "L1": "2025-04-01T00:00:00Z",  # first instant of the quarter: counted
        "L2": "2025-04-20T10:00:00+02:00",
        "L3": "2025-05-14T23:59:59Z",  # last instant of today: counted
        "L4": "2025-05-15T00:00:00Z",  # tomorrow: not counted
        "L5": "2025-01-10T09:00:00Z",  # previous span
        "L6": "2025-02-13T23:00:00Z",  # last day of the previous span
        "L7": "2025-02-14T00:00:00Z",  # just after the previous span: not counted
        "L8": "2024-12-31T23:59:59Z",  # before everything
        "L9": "2025-03-31T23:59:59Z",  # end of last quarter, outside both spans
    }
    return [{"lead_id": k, "created_at": v, "channel": "paid_search"} for k, v in created.items()]


def _stage_changes() -> list[dict[str, object]]:
    rows = [
        ("L1", "mql", "2025-04-05T12:00:00Z"),
        ("L1", "sql", "2025-04-10T12:00:00Z"),
        ("L1", "opportunity", "2025-04-15T12:00:00Z"),
        ("L1", "customer", "2025-05-01T12:00:00Z"),
        ("L2", "mql", "2025-04-22T12:00:00Z"),
        ("L2", "mql", "2025-05-02T12:00:00Z"),  # recycled and back: one MQL
        ("L2", "sql", "2025-05-15T08:00:00Z"),  # tomorrow
        ("L3", "mql", "2025-05-14T18:00:00Z"),
        ("L5", "mql", "2025-01-15T12:00:00Z"),
        ("L5", "sql", "2025-02-01T12:00:00Z"),
        ("L5", "opportunity", "2025-02-13T12:00:00Z"),
        ("L6", "mql", "2025-03-01T12:00:00Z"),  # between the spans
        ("L8", "lead", "2025-04-02T12:00:00Z"),  # not a scoreboard stage
    ]
    return [{"lead_id": lead, "stage": stage, "changed_at": at} for lead, stage, at in rows]


def _deals() -> list[dict[str, object]]:
    rows = [
        ("D1", "won", "2025-04-15T12:00:00Z", "2025-05-01T12:00:00Z", 12000.0),
        ("D2", "won", "2024-12-15T12:00:00Z", "2025-01-20T12:00:00Z", 5000.0),
        ("D3", "lost", "2025-04-02T12:00:00Z", "2025-04-20T12:00:00Z", 9999.0),
        ("D4", "won", "2025-02-01T12:00:00Z", "2025-03-20T12:00:00Z", 8000.0),
        ("D5", "open", "2025-05-01T12:00:00Z", None, 4000.0),
        ("D6", "won", "2025-04-03T12:00:00Z", "2025-05-14T20:00:00Z", 2500.5),
    ]
    return [
        {
            "deal_id": deal,
            "status": status,
            "created_at": created,
            "closed_at": closed,
            "amount": amount,
            "currency": "EUR",
        }
        for deal, status, created, closed, amount in rows
    ]


#: metric → (this quarter to date, previous span), worked out by hand from the rows above.
EXPECTED = {
    "leads": (3.0, 2.0),
    "mqls": (3.0, 1.0),
    "sqls": (1.0, 1.0),
    "opportunities": (1.0, 1.0),
    "customers": (1.0, 0.0),
    "won_revenue": (14500.5, 5000.0),
}


_COUNTS_SQL = """
SELECT
  (SELECT count(*) FROM leads
    WHERE created_at >= TIMESTAMPTZ '{start} 00:00:00+00'
      AND created_at < TIMESTAMPTZ '{end} 00:00:00+00') AS leads,
  (SELECT count(DISTINCT lead_id) FROM stage_changes WHERE stage = 'mql'
    AND changed_at >= TIMESTAMPTZ '{start} 00:00:00+00'
    AND changed_at < TIMESTAMPTZ '{end} 00:00:00+00') AS mqls,
  (SELECT count(DISTINCT lead_id) FROM stage_changes WHERE stage = 'sql'
    AND changed_at >= TIMESTAMPTZ '{start} 00:00:00+00'
    AND changed_at < TIMESTAMPTZ '{end} 00:00:00+00') AS sqls,
  (SELECT count(DISTINCT lead_id) FROM stage_changes WHERE stage = 'opportunity'
    AND changed_at >= TIMESTAMPTZ '{start} 00:00:00+00'
    AND changed_at < TIMESTAMPTZ '{end} 00:00:00+00') AS opportunities,
  (SELECT count(DISTINCT lead_id) FROM stage_changes WHERE stage = 'customer'
    AND changed_at >= TIMESTAMPTZ '{start} 00:00:00+00'
    AND changed_at < TIMESTAMPTZ '{end} 00:00:00+00') AS customers,
  (SELECT coalesce(sum(amount), 0) FROM deals WHERE status = 'won'
    AND closed_at >= TIMESTAMPTZ '{start} 00:00:00+00'
    AND closed_at < TIMESTAMPTZ '{end} 00:00:00+00') AS won_revenue
"""
METRICS = ("leads", "mqls", "sqls", "opportunities", "customers", "won_revenue")


def sql_counts(con: BaseBackend, start: dt.date, end: dt.date) -> dict[str, float]:
    """The scoreboard's numbers for [start, end), written directly in SQL (no ibis, no alinea)."""
    cursor = con.raw_sql(_COUNTS_SQL.format(start=start.isoformat(), end=end.isoformat()))
    row = cursor.fetchone()
    if con.name == "postgres":  # DuckDB hands back the connection itself: keep it open
        cursor.close()
    return {metric: float(value) for metric, value in zip(METRICS, row, strict=True)}


@dataclass(frozen=True)
class HandFacts:
    today: dt.date
    expected: dict[str, tuple[float, float]]
    con: BaseBackend

    def sql_counts(self, start: dt.date, end: dt.date) -> dict[str, float]:
        return sql_counts(self.con, start, end)


def fill(con: BaseBackend) -> None:
    ingest_many(con, {"leads": _leads(), "stage_changes": _stage_changes(), "deals": _deals()})


@pytest.fixture
def hand_facts(warehouse_url: str) -> HandFacts:
    """The test's warehouse file (``ALINEA_WAREHOUSE``), filled with the facts above."""
    con = connect(warehouse_url)
    fill(con)
    return HandFacts(today=TODAY, expected=EXPECTED, con=con)


@pytest.fixture
def hand_facts_on_each_engine(warehouse: BaseBackend) -> HandFacts:
    """The same facts in an empty warehouse on DuckDB and on PostgreSQL (root ``warehouse``)."""
    fill(warehouse)
    return HandFacts(today=TODAY, expected=EXPECTED, con=warehouse)
