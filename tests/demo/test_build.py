"""build_demo's contract: what it writes, what it reports, and what it refuses."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pytest

import alinea.demo.build
from alinea.demo import build_demo
from alinea.warehouse import FACT_TABLES, connect

if TYPE_CHECKING:
    from tests.demo.conftest import Builder, Demo, Reader

AS_OF = dt.date(2025, 6, 30)


def test_summary_counts_what_the_warehouse_holds(demo: Demo) -> None:
    summary = demo.summary
    assert summary.rows == {name: len(demo[name]) for name in FACT_TABLES}
    assert summary.leads == 20_000
    assert summary.seed == 7
    assert (summary.first_day, summary.last_day) == (dt.date(2024, 4, 1), AS_OF)
    assert summary.total_rows == sum(len(frame) for frame in demo.tables.values())


def test_every_fact_table_gets_rows(demo: Demo) -> None:
    assert all(len(demo[name]) > 0 for name in FACT_TABLES)


def test_progress_reports_each_chunk_once(
    monkeypatch: pytest.MonkeyPatch, builder: Builder
) -> None:
    monkeypatch.setattr(alinea.demo.build, "CHUNK_LEADS", 400)
    small = builder(1_000)
    assert small.progress == [400, 400, 200]
    assert len(small["leads"]) == 1_000
    assert small["leads"]["lead_id"].is_unique


def test_building_again_into_the_same_warehouse_adds_nothing(read: Reader) -> None:
    con = connect("duckdb://")
    build_demo(con, leads=800, as_of=AS_OF)
    first = {name: len(frame) for name, frame in read(con).items()}
    build_demo(con, leads=800, as_of=AS_OF)
    assert {name: len(frame) for name, frame in read(con).items()} == first


@pytest.mark.parametrize(("leads", "seed"), [(0, 7), (-5, 7), (100, -1)])
def test_nonsense_sizes_and_seeds_are_refused(leads: int, seed: int) -> None:
    with pytest.raises(ValueError, match="must"):
        build_demo(connect("duckdb://"), leads=leads, seed=seed, as_of=AS_OF)
