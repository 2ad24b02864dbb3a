"""The formats of a file are settled while it is staged (one read of the file): when a later chunk
settles what the first chunk left open, the outcome is the one of a scan of the whole file first."""

from __future__ import annotations

import datetime as dt

from tests.importing.conftest import LEADS, facts, write

from alinea.importing import ReadOptions, commit, preview

HEADER = "Id,Created,Source,Company,Employees\n"
SMALL_BLOCKS = ReadOptions(block_size=1 << 10)


def dated_file(folder, late: str, *, ambiguous: int = 200):
    """``ambiguous`` leads created on 03-04-2018 (either order), then one created on ``late``."""
    lines = [f"l{i},03-04-2018 10:00,Web,Acme,1" for i in range(ambiguous)]
    lines.append(f"late,{late} 10:00,Web,Acme,2")
    return write(folder, "leads.csv", HEADER + "\n".join(lines) + "\n")


def created(warehouse) -> set[dt.datetime]:
    return {row["created_at"] for row in facts(warehouse, "leads", "lead_id")}


def test_a_late_month_first_date_decides_the_order_of_every_row(warehouse, folder) -> None:
    dated_file(folder, "04/25/2018")
    result = preview([folder], LEADS, options=SMALL_BLOCKS)
    assert [f.rows for f in result.files] == [201]
    assert not result.problems, result.problems
    commit(warehouse, [folder], LEADS, options=SMALL_BLOCKS)
    assert created(warehouse) == {
        dt.datetime(2018, 3, 4, 10, tzinfo=dt.UTC),
        dt.datetime(2018, 4, 25, 10, tzinfo=dt.UTC),
    }


def test_a_late_day_first_date_decides_the_order_of_every_row(warehouse, folder) -> None:
    dated_file(folder, "25-04-2018")
    commit(warehouse, [folder], LEADS, options=SMALL_BLOCKS)
    assert created(warehouse) == {
        dt.datetime(2018, 4, 3, 10, tzinfo=dt.UTC),
        dt.datetime(2018, 4, 25, 10, tzinfo=dt.UTC),
    }


def test_a_file_never_settled_is_as_ambiguous_as_with_one_chunk(warehouse, folder) -> None:
    dated_file(folder, "03-04-2018")
    chunked = preview([folder], LEADS, options=SMALL_BLOCKS)
    whole = preview([folder], LEADS)
    assert chunked.problems == whole.problems
    assert [p.reason for p in chunked.problems if p.line is None]
    assert chunked.counts == whole.counts
