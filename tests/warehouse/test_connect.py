from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from alinea.warehouse import FACT_TABLES, WarehouseURLError, connect


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("warehouse.duckdb", "has no scheme"),
        ("mysql://root@localhost/db", "unknown engine 'mysql'"),
        ("duckdb:///no/such/folder/w.duckdb", "the folder '/no/such/folder' does not exist"),
        ("duckdb:///tmp/w.duckdb?threads=2", "take no query parameters"),
        ("postgresql:///alinea", "no host"),
        ("postgresql://postgres@127.0.0.1:5432/", "no database name"),
        ("postgresql://postgres@127.0.0.1:port/db", "the port is not a number"),
    ],
)
def test_malformed_urls_are_refused_with_the_reason(url: str, message: str) -> None:
    with pytest.raises(WarehouseURLError, match=message):
        connect(url)


def test_a_folder_is_not_a_duckdb_file(tmp_path: Path) -> None:
    with pytest.raises(WarehouseURLError, match="is a folder"):
        connect(f"duckdb:///{tmp_path}")


def test_every_fact_table_is_created_with_its_declared_schema(warehouse) -> None:
    assert set(FACT_TABLES) <= set(warehouse.list_tables())
    for name, table in FACT_TABLES.items():
        stored = warehouse.table(name).schema()
        assert list(stored.names) == [*table.column_names, "batch_id"]
        for column in table.columns:
            assert stored[column.name] == column.ibis_type, (name, column.name)


def test_a_duckdb_file_keeps_its_facts_and_survives_table_overwrites(tmp_path: Path) -> None:
    """Guards the pinned ibis/sqlglot/duckdb combination (see pyproject.toml)."""
    url = f"duckdb:///{tmp_path / 'w.duckdb'}"
    con = connect(url)
    frame = pd.DataFrame({"a": [1, 2]})
    con.create_table("scratch", frame, overwrite=True)
    con.create_table("scratch", frame, overwrite=True)
    con.disconnect()
    again = connect(url)
    assert again.table("scratch").count().execute() == 2
    assert set(FACT_TABLES) <= set(again.list_tables())


def test_an_unreachable_postgres_server_is_a_clear_error() -> None:
    with pytest.raises(WarehouseURLError, match="cannot connect"):
        connect("postgresql://postgres@127.0.0.1:1/alinea?connect_timeout=2")
