"""Properties of the import path: files imported in any order, any number of times, give the same
warehouse; a file with one bad row writes nothing."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.importing.conftest import LEADS, facts

from alinea.importing import ImportRefused, commit
from alinea.warehouse import connect

HEADER = "Id,Created,Source,Company,Employees\n"

#: Lead numbers; the same lead may appear in several files, and twice in one.
lead_rows = st.lists(st.integers(0, 30), min_size=1, max_size=8)


def line(number: int) -> str:
    """A lead's row: its values follow from its number, so it means the same in every file."""
    source = "Google" if number % 2 else "Web"
    return f"l{number},2025-01-{1 + number % 28:02d}T08:00:00Z,{source},Peña {number},{number}"


def write_files(folder: Path, files: list[list[int]]) -> list[Path]:
    paths = []
    for index, rows in enumerate(files):
        path = folder / f"part{index}.csv"
        path.write_text(HEADER + "\n".join(line(n) for n in rows) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def warehouse_after(paths: list[Path]) -> list[dict]:
    con = connect("duckdb://")
    for path in paths:
        commit(con, [path], LEADS)
    return facts(con, "leads", "lead_id")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=st.lists(lead_rows, min_size=1, max_size=4), data=st.data())
def test_any_order_and_repetition_of_files_gives_the_same_warehouse(files, data) -> None:
    with tempfile.TemporaryDirectory() as folder:
        paths = write_files(Path(folder), files)
        once = warehouse_after(paths)
        shuffled = data.draw(st.permutations(paths))
        repeated = data.draw(st.lists(st.sampled_from(paths), max_size=4))
        assert warehouse_after([*shuffled, *repeated, *paths]) == once
        wanted = sorted({f"l{number}" for rows in files for number in rows})
        assert [row["lead_id"] for row in once] == wanted


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=lead_rows, bad_at=st.integers(0, 7), bad=st.sampled_from(["yesterday", "31-02-2025"]))
def test_a_file_with_one_bad_row_writes_nothing(rows, bad_at, bad) -> None:
    with tempfile.TemporaryDirectory() as folder:
        [path] = write_files(Path(folder), [rows])
        lines = path.read_text().splitlines()
        at = 1 + bad_at % len(rows)
        lines[at] = lines[at].replace(lines[at].split(",")[1], bad)
        path.write_text("\n".join(lines) + "\n")
        con = connect("duckdb://")
        with pytest.raises(ImportRefused) as refused:
            commit(con, [path], LEADS)
        assert refused.value.preview.problems[0].line == at + 1
        assert facts(con, "leads", "lead_id") == []
