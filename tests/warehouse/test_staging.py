"""Staging: a batch added in pieces, written in one transaction, or not at all."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pytest

from alinea.warehouse import FACT_TABLES, IngestError, connect, ingest
from alinea.warehouse.staging import PREFIX, Staging, drop_stale_staging


def people(*rows: tuple[str, str], **extra: list) -> pa.Table:
    """People rows ``(person_id, name)``, all sales AEs."""
    ids, names = zip(*rows, strict=True) if rows else ((), ())
    n = len(ids)
    return pa.table(
        {"person_id": list(ids), "name": list(names), "team": ["sales"] * n, "role": ["ae"] * n}
        | extra
    )


def staging_tables(con) -> list[str]:
    return [t for t in con.list_tables() if t.startswith(PREFIX)]


def count(con, table: str) -> int:
    return int(con.table(table).count().execute())


def test_pieces_are_written_together_and_tagged_with_the_batch(warehouse) -> None:
    with Staging(warehouse, "batch-1") as staging:
        staging.add("people", people(("p1", "Ada"), ("p2", "Bo")))
        staging.add("people", people(("p3", "Cy")))
        staging.add("leads", pa.table({"lead_id": ["l1"], "created_at": ["2025-01-01T00:00:00Z"]}))
        assert count(warehouse, "people") == 0  # nothing reaches the facts before commit
        results = staging.commit()
    assert {t: (r.received, r.inserted) for t, r in results.items()} == {
        "people": (3, 3),
        "leads": (1, 1),
    }
    stored = warehouse.table("people").to_pandas()
    assert sorted(stored.person_id) == ["p1", "p2", "p3"]
    assert set(stored.batch_id) == {"batch-1"}
    assert staging_tables(warehouse) == []


def test_facts_already_stored_are_not_written_again(warehouse) -> None:
    ingest(warehouse, "people", [{"person_id": "p1", "name": "Ada", "team": "sales", "role": "ae"}])
    with Staging(warehouse, "batch-2") as staging:
        staging.add("people", people(("p1", "Ada"), ("p2", "Bo"), ("p2", "Bo")))
        counts = staging.counts()["people"]
        assert (counts.staged, counts.facts, counts.new) == (3, 2, 1)
        result = staging.commit()["people"]
    assert (result.received, result.inserted) == (2, 1)
    assert count(warehouse, "people") == 2


def test_a_piece_breaking_a_value_rule_is_refused(warehouse) -> None:
    with Staging(warehouse, "b") as staging:
        with pytest.raises(IngestError) as error:
            staging.add("people", people(("p1", "Ada"), ("p2", None), role=["ae", "boss"]))
        found = sorted((p.row, p.column, p.value) for p in error.value.problems)
        assert found == [(2, "name", None), (2, "role", "boss")]
        with pytest.raises(ValueError, match="unknown columns"):
            staging.add("people", people(("p1", "Ada"), colour=["red"]))


def test_keys_staged_twice_with_other_values_are_clashes_that_can_be_discarded(warehouse) -> None:
    with Staging(warehouse, "b") as staging:
        first = people(("p1", "Ada"), ("p2", "Bo"))
        staging.add(
            "people",
            first.append_column("_alinea_file", pa.array([0, 0], pa.int32())).append_column(
                "_alinea_line", pa.array([2, 3], pa.int64())
            ),
        )
        second = people(("p1", "Ada L."))
        staging.add(
            "people",
            second.append_column("_alinea_file", pa.array([1], pa.int32())).append_column(
                "_alinea_line", pa.array([7], pa.int64())
            ),
        )
        [clash] = staging.clashes()
        assert (clash.table, clash.key, clash.places, clash.stored) == (
            "people",
            ("p1",),
            ((0, 2), (1, 7)),
            False,
        )
        with pytest.raises(IngestError, match="staged twice with different values"):
            staging.commit()
        assert count(warehouse, "people") == 0
        assert staging.discard(clash.places) == 2
        assert staging.clashes() == []
        assert staging.commit()["people"].inserted == 1
    assert warehouse.table("people").to_pandas().person_id.tolist() == ["p2"]


def test_a_key_stored_with_other_values_is_a_clash(warehouse) -> None:
    ingest(warehouse, "people", [{"person_id": "p1", "name": "Ada", "team": "sales", "role": "ae"}])
    with Staging(warehouse, "b") as staging:
        staging.add("people", people(("p1", "Ada Lovelace")))
        [clash] = staging.clashes()
        assert (clash.key, clash.places, clash.stored) == (("p1",), ((0, 1),), True)
        with pytest.raises(IngestError, match="already stored with different values"):
            staging.commit()
    assert warehouse.table("people").to_pandas().name.tolist() == ["Ada"]


def test_leaving_without_commit_drops_the_staging_tables(warehouse) -> None:
    with Staging(warehouse, "b") as staging:
        staging.add("people", people(("p1", "Ada")))
        assert len(staging_tables(warehouse)) == 1
    assert staging_tables(warehouse) == []
    assert count(warehouse, "people") == 0
    with pytest.raises(RuntimeError, match="already committed or aborted"):
        staging.add("people", people(("p2", "Bo")))


def test_staging_left_by_a_dead_import_is_dropped(warehouse) -> None:
    dead = f"{PREFIX}0123456789ab_people"
    warehouse.raw_sql(f'CREATE TABLE "{dead}" (x INTEGER)')
    assert drop_stale_staging(warehouse) == [dead]
    warehouse.raw_sql(f'CREATE TABLE "{dead}" (x INTEGER)')
    with Staging(warehouse, "b") as live:  # opening a staging drops the dead ones too
        live.add("people", people(("p1", "Ada")))
        assert staging_tables(warehouse) == [live.staging_name("people")]
        assert drop_stale_staging(warehouse) == []  # a live staging is never dropped


#: Stages people and leads, then stops inside the commit after writing people (see the script).
KILLED_COMMIT = Path(__file__).with_name("killed_commit.py")


@pytest.fixture(params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def warehouse_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "duckdb":
        return f"duckdb:///{tmp_path}/facts.duckdb"
    url = request.getfixturevalue("postgres_warehouse_url")
    con = connect(url)
    for table in FACT_TABLES:
        con.raw_sql(f'TRUNCATE TABLE "{table}"').close()
    con.disconnect()
    return url


def test_a_process_killed_in_the_middle_of_a_commit_writes_nothing(warehouse_url, tmp_path) -> None:
    flag = tmp_path / "in-commit"
    process = subprocess.Popen([sys.executable, str(KILLED_COMMIT), warehouse_url, str(flag)])
    try:
        deadline = time.monotonic() + 60
        while not flag.exists():
            assert process.poll() is None, "the import ended before it was killed"
            assert time.monotonic() < deadline, "the import never reached its commit"
            time.sleep(0.05)
        process.kill()  # SIGKILL: no clean-up code runs
    finally:
        process.wait(timeout=30)
    con = connect(warehouse_url)
    try:
        assert flag.read_text() == "people"  # written inside the transaction before the kill
        assert count(con, "people") == 0
        assert count(con, "leads") == 0
        with Staging(con, "next"):
            assert staging_tables(con) == []  # the dead import's staging tables are gone
    finally:
        con.disconnect()
