"""Fixtures shared by every test package.

``warehouse`` is an empty warehouse on each supported engine: analytics and warehouse tests that
take it run once on DuckDB and once on the real PostgreSQL server. PostgreSQL tests skip on a
machine without the server, except in CI (``CI=true``), where a missing server is a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from ibis.backends import BaseBackend

from alinea.warehouse import FACT_TABLES, connect

POSTGRES_SERVER = os.environ.get("ALINEA_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432")


def _require_postgres() -> None:
    try:
        psycopg.connect(f"{POSTGRES_SERVER}/postgres", connect_timeout=3).close()
    except psycopg.OperationalError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required in CI and is not reachable: {exc}")
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_SERVER}: {exc}")


@pytest.fixture(scope="session")
def postgres_warehouse_url() -> Iterator[str]:
    """A throw-away PostgreSQL database for this test session."""
    _require_postgres()
    name = f"alinea_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"{POSTGRES_SERVER}/{name}"
    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def warehouse(request: pytest.FixtureRequest) -> Iterator[BaseBackend]:
    """An empty warehouse, once per engine."""
    if request.param == "duckdb":
        con = connect("duckdb://")
        yield con
        con.disconnect()
        return
    url = request.getfixturevalue("postgres_warehouse_url")
    con = connect(url)
    for table in FACT_TABLES:
        con.raw_sql(f'TRUNCATE TABLE "{table}"').close()
    yield con
    con.disconnect()
