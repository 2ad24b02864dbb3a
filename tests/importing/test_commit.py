"""Preview and commit: every problem before anything is written, all or nothing, idempotent,
rolled back as a whole, read in pieces. Runs on every warehouse engine."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from tests.importing.conftest import LEADS, OPPORTUNITIES, count, facts, write

from alinea.importing import ImportRefused, ReadOptions, commit, preview
from alinea.warehouse import FACT_TABLES, rollback_batch
from alinea.warehouse.staging import PREFIX, Staging

UTC = dt.UTC
HEADER = "Id,Created,Source,Company,Employees\n"


def stored(con) -> dict[str, int]:
    return {name: count(con, name) for name in FACT_TABLES if count(con, name)}


def leads_file(folder, rows: int, *, bad: dict[int, str] | None = None, name: str = "leads.csv"):
    """``rows`` good leads; ``bad`` replaces some rows (by 0-based index) with other text."""
    lines = [f"l{i},2025-01-{1 + i % 28:02d}T10:00:00Z,Web,Acme {i},{i}" for i in range(rows)]
    for index, text in (bad or {}).items():
        lines[index] = text
    return write(folder, name, HEADER + "\n".join(lines) + "\n")


def test_preview_lists_every_problem_and_writes_nothing(warehouse, folder) -> None:
    leads_file(
        folder,
        5,
        bad={
            1: "l1,yesterday,Web,Acme,3",
            3: "l3,2025-01-04T10:00:00Z,Fax,Acme,many",
        },
    )
    shown = preview([folder], LEADS, con=warehouse)
    found = [(p.file, p.line, p.column, p.value, p.reason) for p in shown.problems]
    assert found == [
        ("leads.csv", 3, "Created", "yesterday", "not a date or time"),
        ("leads.csv", 5, "Employees", "many", "not a whole number"),
        ("leads.csv", 5, "Source", "Fax", "not a value the mapping knows (it maps: Google, Web)"),
    ]
    assert (shown.problem_count, shown.skipped_rows, shown.skippable) == (3, 2, True)
    assert shown.counts["leads"].facts == 3  # the good rows
    assert stored(warehouse) == {}
    assert not [t for t in warehouse.list_tables() if t.startswith(PREFIX)]


def test_a_file_with_problems_is_refused_unless_bad_rows_are_skipped(warehouse, folder) -> None:
    leads_file(folder, 4, bad={2: "l2,2025-13-45,Web,Acme,1"})
    with pytest.raises(ImportRefused) as refused:
        commit(warehouse, [folder], LEADS)
    assert "leads.csv, line 4, column 'Created': not a date or time" in str(refused.value)
    assert refused.value.preview.problem_count == 1
    assert stored(warehouse) == {}

    record = commit(warehouse, [folder], LEADS, skip_bad_rows=True)
    assert record.status == "imported"
    assert record.skipped_rows == 1
    assert [(p.line, p.column, p.value) for p in record.skipped] == [(4, "Created", "2025-13-45")]
    assert [r["lead_id"] for r in facts(warehouse, "leads", "lead_id")] == ["l0", "l1", "l3"]


def test_skipping_a_bad_row_leaves_none_of_its_facts_in_any_table(warehouse, folder) -> None:
    write(
        folder,
        "opps.csv",
        "Opp,Stage,Engaged,Closed,Value\n"
        "o1,Won,2017-01-05,2017-02-20,100\n"
        "o2,Won,2017-01-06,2017-02-30,200\n",  # 30 February: the deal and both changes go
    )
    record = commit(warehouse, [folder], OPPORTUNITIES, skip_bad_rows=True)
    assert record.skipped_rows == 1
    assert {r["lead_id"] for r in facts(warehouse, "stage_changes", "lead_id")} == {"o1"}
    assert [r["deal_id"] for r in facts(warehouse, "deals", "deal_id")] == ["o1"]


def test_problems_of_a_whole_column_cannot_be_skipped(warehouse, folder) -> None:
    write(folder, "leads.csv", HEADER + "l1,03-04-2018,Web,,\nl2,05-06-2018,Web,,\n")
    with pytest.raises(ImportRefused, match="skipping rows cannot fix"):
        commit(warehouse, [folder], LEADS, skip_bad_rows=True)
    assert stored(warehouse) == {}


def test_the_same_key_with_different_values_names_both_lines(warehouse, folder) -> None:
    leads_file(folder, 3, bad={2: "l0,2025-02-01T10:00:00Z,Web,Other,1"})
    shown = preview([folder], LEADS, con=warehouse)
    assert [(p.line, p.column, p.value) for p in shown.problems] == [
        (2, "Id", "l0"),
        (4, "Id", "l0"),
    ]
    assert "different values on line 4" in shown.problems[0].reason
    record = commit(warehouse, [folder], LEADS, skip_bad_rows=True)
    assert [r["lead_id"] for r in facts(warehouse, "leads", "lead_id")] == ["l1"]
    assert record.skipped_rows == 2


def test_a_row_repeated_identically_is_one_fact(warehouse, folder) -> None:
    leads_file(folder, 3, bad={2: "l0,2025-01-01T10:00:00Z,Web,Acme 0,0"})
    record = commit(warehouse, [folder], LEADS)
    assert record.tables["leads"].inserted == 2


def test_a_fact_stored_with_other_values_is_a_conflict(warehouse, folder) -> None:
    leads_file(folder, 2)
    commit(warehouse, [folder], LEADS)
    changed = folder.parent / "changed"
    changed.mkdir()
    leads_file(changed, 3, bad={0: "l0,2025-01-01T10:00:00Z,Google,Acme 0,0"})
    with pytest.raises(ImportRefused) as refused:
        commit(warehouse, [changed], LEADS)
    [problem] = refused.value.preview.problems
    assert (problem.line, problem.value) == (2, "l0")
    assert "already in the warehouse with other values" in problem.reason
    assert count(warehouse, "leads") == 2


def test_importing_the_same_file_twice_changes_nothing(warehouse, folder) -> None:
    write(
        folder,
        "opps.csv",
        "Opp,Stage,Engaged,Closed,Value\no1,Won,2017-01-05,2017-02-20,100\no2,Open,2017-01-06,,\n",
    )
    first = commit(warehouse, [folder], OPPORTUNITIES)
    before = {
        t: facts(warehouse, t, FACT_TABLES[t].column_names[0]) for t in ("deals", "stage_changes")
    }
    again = commit(warehouse, [folder / "opps.csv"], OPPORTUNITIES)
    assert (first.status, again.status) == ("imported", "already_imported")
    assert again.batch_id == first.batch_id
    renamed = commit(warehouse, [folder], replace(OPPORTUNITIES, name="another name"))
    assert renamed.status == "unchanged"
    assert renamed.inserted == 0
    after = {
        t: facts(warehouse, t, FACT_TABLES[t].column_names[0]) for t in ("deals", "stage_changes")
    }
    assert after == before


def test_an_import_is_rolled_back_as_a_whole(warehouse, folder) -> None:
    write(
        folder,
        "opps.csv",
        "Opp,Stage,Engaged,Closed,Value\no1,Won,2017-01-05,2017-02-20,100\no2,Lost,2017-01-06,2017-02-01,5\n",
    )
    other = folder.parent / "other"
    other.mkdir()
    leads_file(other, 2)
    kept = commit(warehouse, [other], LEADS)
    record = commit(warehouse, [folder], OPPORTUNITIES)
    assert stored(warehouse) == {"leads": 2, "deals": 2, "stage_changes": 3}
    removed = rollback_batch(warehouse, record.batch_id)
    assert {t: n for t, n in removed.items() if n} == {"deals": 2, "stage_changes": 3}
    assert stored(warehouse) == {"leads": 2}
    again = commit(warehouse, [folder], OPPORTUNITIES)
    assert again.status == "imported"
    assert kept.batch_id != record.batch_id


def test_a_failure_while_writing_leaves_every_table_as_it_was(
    warehouse, folder, monkeypatch
) -> None:
    write(
        folder,
        "opps.csv",
        "Opp,Stage,Engaged,Closed,Value\no1,Won,2017-01-05,2017-02-20,100\n",
    )
    real = Staging._insert
    written: list[str] = []

    def insert_then_fail(self, spec):
        if written:
            raise RuntimeError("disk full")
        written.append(spec.name)
        return real(self, spec)

    monkeypatch.setattr(Staging, "_insert", insert_then_fail)
    with pytest.raises(RuntimeError, match="disk full"):
        commit(warehouse, [folder], OPPORTUNITIES)
    assert len(written) == 1  # one table was written inside the transaction, then undone
    assert stored(warehouse) == {}
    assert not [t for t in warehouse.list_tables() if t.startswith(PREFIX)]


def test_a_large_file_is_staged_in_pieces(warehouse, folder, monkeypatch) -> None:
    leads_file(folder, 6_000)
    pieces: list[int] = []
    real = Staging.add

    def spy(self, table, rows, **options):
        pieces.append(rows.num_rows)
        return real(self, table, rows, **options)

    monkeypatch.setattr(Staging, "add", spy)
    record = commit(warehouse, [folder], LEADS, options=ReadOptions(block_size=16 << 10))
    assert len(pieces) > 10
    assert max(pieces) < 1_000
    assert record.tables["leads"].inserted == count(warehouse, "leads") == 6_000


def test_every_format_gives_the_same_facts(warehouse, tmp_path) -> None:
    import json

    import openpyxl
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [
        ("l1", "2025-03-01T09:30:00Z", "Google", "Peña y Cía", 12),
        ("l2", "2025-03-02T10:00:00Z", "Web", "Logroño", None),
    ]
    columns = ["Id", "Created", "Source", "Company", "Employees"]
    made = {name: tmp_path / name for name in ("csv", "tsv", "xlsx", "parquet", "jsonl")}
    for folder in made.values():
        folder.mkdir()
    text = [[("" if v is None else str(v)) for v in r] for r in rows]
    write(made["csv"], "a.csv", "\n".join(";".join(r) for r in [columns, *text]), "cp1252")
    write(made["tsv"], "a.tsv", "\n".join("\t".join(r) for r in [columns, *text]), "utf-8-sig")
    book = openpyxl.Workbook()
    for row in [columns, *rows]:
        book.active.append(list(row))
    book.save(made["xlsx"] / "a.xlsx")
    pq.write_table(
        pa.table(dict(zip(columns, zip(*rows, strict=True), strict=True))),
        made["parquet"] / "a.parquet",
    )
    lines = [json.dumps(dict(zip(columns, r, strict=True)), ensure_ascii=False) for r in rows]
    write(made["jsonl"], "a.jsonl", "\n".join(lines))
    results = {}
    for kind, folder in made.items():
        for table in ("leads",):
            warehouse.raw_sql(f'DELETE FROM "{table}"')
        commit(warehouse, [folder], LEADS)
        results[kind] = facts(warehouse, "leads", "lead_id")
    expected = results["csv"]
    assert [r["company"] for r in expected] == ["Peña y Cía", "Logroño"]
    assert [r["company_size"] for r in expected] == [12, None]
    assert all(found == expected for found in results.values()), results
