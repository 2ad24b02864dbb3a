"""A demo company built once per session (the default 20,000 leads, in memory) and read back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import pytest

from alinea.demo import DemoSummary, build_demo
from alinea.warehouse import FACT_TABLES, connect

AS_OF = dt.date(2025, 6, 30)
#: Last instant a fact may have: the end of the as_of day (UTC).
HORIZON = pd.Timestamp("2025-07-01", tz="UTC")
FIRST_DAY = pd.Timestamp("2024-04-01", tz="UTC")


@dataclass(frozen=True)
class Demo:
    summary: DemoSummary
    tables: dict[str, pd.DataFrame]
    progress: list[int]

    def __getitem__(self, table: str) -> pd.DataFrame:
        return self.tables[table]


def read_tables(con: object) -> dict[str, pd.DataFrame]:
    """Every fact table as pandas, in declared column order."""
    tables = {}
    for name, table in FACT_TABLES.items():
        frame = con.table(name).to_pandas()  # type: ignore[attr-defined]
        tables[name] = frame[list(table.column_names)]
    return tables


def build(leads: int, seed: int = 7, as_of: dt.date = AS_OF) -> Demo:
    con = connect("duckdb://")
    progress: list[int] = []
    summary = build_demo(con, leads=leads, seed=seed, as_of=as_of, progress=progress.append)
    demo = Demo(summary, read_tables(con), progress)
    con.disconnect()
    return demo


Builder = Callable[..., Demo]
Reader = Callable[[object], dict[str, pd.DataFrame]]


@pytest.fixture(scope="session")
def builder() -> Builder:
    """``build(leads, seed=7, as_of=AS_OF)``: a fresh in-memory demo, read back."""
    return build


@pytest.fixture(scope="session")
def read() -> Reader:
    """Read every fact table of a warehouse as pandas."""
    return read_tables


@pytest.fixture(scope="session")
def demo() -> Demo:
    """The default demo company (20,000 leads, seed 7) as of 2025-06-30."""
    return build(20_000)
