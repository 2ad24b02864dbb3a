"""Open the warehouse named by a URL and make sure every fact table exists.

Supported URLs (a registry keyed by scheme, so a new engine is one function):

- ``duckdb:///absolute/path/warehouse.duckdb``, ``duckdb://relative/path.duckdb`` or ``duckdb://``
  (in memory) — the embedded default;
- ``postgresql://user[:password]@host[:port]/database`` (also ``postgres://``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import SplitResult, parse_qs, unquote, urlsplit

import ibis
from ibis.backends import BaseBackend

from alinea import workspace
from alinea.warehouse.errors import WarehouseURLError
from alinea.warehouse.firsts import drop_firsts, ensure_firsts
from alinea.warehouse.schema import FACT_TABLES


def _open_duckdb(url: SplitResult, raw: str) -> BaseBackend:
    path = unquote(url.netloc + url.path)
    if url.query:
        raise WarehouseURLError(f"warehouse URL {raw!r}: DuckDB URLs take no query parameters")
    if path in ("", ":memory:"):
        return ibis.duckdb.connect()
    file = Path(path)
    if not file.parent.is_dir():
        raise WarehouseURLError(
            f"warehouse URL {raw!r}: the folder {str(file.parent)!r} does not exist"
        )
    if file.is_dir():
        raise WarehouseURLError(f"warehouse URL {raw!r}: {path!r} is a folder, not a DuckDB file")
    return ibis.duckdb.connect(str(file))


def _open_postgres(url: SplitResult, raw: str) -> BaseBackend:
    database = url.path.lstrip("/")
    if not url.hostname:
        raise WarehouseURLError(f"warehouse URL {raw!r}: no host (postgresql://user@host/db)")
    if not database:
        raise WarehouseURLError(f"warehouse URL {raw!r}: no database name after the host")
    try:
        port = url.port or 5432
    except ValueError:
        raise WarehouseURLError(f"warehouse URL {raw!r}: the port is not a number") from None
    options = {k: v[-1] for k, v in parse_qs(url.query).items()}
    try:
        return ibis.postgres.connect(
            host=url.hostname,
            port=port,
            user=unquote(url.username or "postgres"),
            password=unquote(url.password) if url.password else None,
            database=unquote(database),
            **options,
        )
    except Exception as exc:  # psycopg raises several kinds; all mean "cannot open"
        raise WarehouseURLError(f"warehouse URL {raw!r}: cannot connect: {exc}") from exc


OPENERS: dict[str, Callable[[SplitResult, str], BaseBackend]] = {
    "duckdb": _open_duckdb,
    "postgresql": _open_postgres,
    "postgres": _open_postgres,
}


def connect(url: str | None = None, *, create: bool = True) -> BaseBackend:
    """Open the warehouse at ``url`` (default: ``ALINEA_WAREHOUSE`` or the workspace's DuckDB file).

    With ``create`` (the default) every declared fact table that is missing is created empty.

    >>> con = connect("duckdb://")
    >>> sorted(con.list_tables())[:3]
    ['activities', 'assignments', 'deals']
    """
    raw = url if url is not None else workspace.warehouse_url()
    if "://" not in raw:
        raise WarehouseURLError(
            f"warehouse URL {raw!r} has no scheme; expected one of "
            + ", ".join(f"{s}://…" for s in OPENERS)
        )
    parts = urlsplit(raw)
    opener = OPENERS.get(parts.scheme)
    if opener is None:
        raise WarehouseURLError(
            f"warehouse URL {raw!r}: unknown engine {parts.scheme!r}; supported: "
            + ", ".join(OPENERS)
        )
    con = opener(parts, raw)
    if create:
        ensure_tables(con)
    return con


def ensure_tables(con: BaseBackend) -> None:
    """Create each declared fact table that does not exist yet, and the derived ``lead_firsts``."""
    existing = set(con.list_tables())
    for table in FACT_TABLES.values():
        if table.name not in existing:
            con.create_table(table.name, schema=table.storage_schema())
    ensure_firsts(con)


def reset_tables(con: BaseBackend) -> None:
    """Drop every fact table and create it again, empty (used to rebuild a demo workspace)."""
    existing = set(con.list_tables())
    for table in FACT_TABLES.values():
        if table.name in existing:
            con.drop_table(table.name)
    drop_firsts(con)
    ensure_tables(con)
