"""The demo workspace's facts are in the import history, one import per fact table."""

from __future__ import annotations

import datetime as dt

import pytest

from alinea.apps.imports.models import ImportRecord, Source
from alinea.apps.imports.services import demo_imports_setup, import_rollback
from alinea.demo import build_demo
from alinea.warehouse import FACT_TABLES, connect

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2025, 7, 1, 8, tzinfo=dt.UTC)


@pytest.fixture
def generated(warehouse_url: str) -> dict[str, int]:
    con = connect(warehouse_url)
    try:
        build_demo(con, leads=200, seed=5, as_of=dt.date(2025, 6, 30))
        return {t: int(con.table(t).count().execute()) for t in FACT_TABLES}
    finally:
        con.disconnect()


def stored(url: str) -> dict[str, int]:
    con = connect(url)
    try:
        return {t: int(con.table(t).count().execute()) for t in FACT_TABLES}
    finally:
        con.disconnect()


def test_each_generated_fact_table_is_one_recorded_import(generated, warehouse_url) -> None:
    records = demo_imports_setup(now=NOW)
    assert {r.mapping_name for r in records} == {"demo"}
    found = {table: counts for r in records for table, counts in r.counts.items()}
    assert found == {t: {"facts": n, "inserted": n} for t, n in generated.items() if n}
    assert {(r.source, r.actor_name, r.status) for r in records} == {
        (Source.CLI, "alinea demo", "imported")
    }
    assert stored(warehouse_url) == generated  # adopting adds and removes nothing
    assert demo_imports_setup(now=NOW) == []  # running the demo again records nothing more
    assert ImportRecord.objects.count() == len(records)


def test_a_demo_import_rolls_back_its_table_only(generated, warehouse_url) -> None:
    records = {next(iter(r.counts)): r for r in demo_imports_setup(now=NOW)}
    con = connect(warehouse_url)
    try:
        done = import_rollback(actor=None, record=records["spend"], con=con)
    finally:
        con.disconnect()
    assert done.removed == {"spend": generated["spend"]}
    assert stored(warehouse_url) == generated | {"spend": 0}
