"""What differs between warehouse engines when staging: who owns a staging table (PostgreSQL
advisory locks, so that a live import's tables are never taken for a dead one's), whether staging
tables are temporary, how DuckDB's memory is bounded while staging, and how rows are appended."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pyarrow as pa
from ibis.backends import BaseBackend

from alinea.warehouse.staging_columns import column_list, quoted


class Ownership:
    """Who owns a staging tag. Only this process's tags are live unless an engine says more."""

    def claim(self, con: BaseBackend, tag: str, *, wait: bool = True) -> bool:
        return True

    def release(self, con: BaseBackend, tag: str) -> None:
        return None


class _PostgresOwnership(Ownership):
    """A session advisory lock per tag: held while staging, free once the owner's session ends."""

    def claim(self, con: BaseBackend, tag: str, *, wait: bool = True) -> bool:
        function = "pg_advisory_lock" if wait else "pg_try_advisory_lock"
        row = con.con.execute(f"SELECT {function}({_lock_key(tag)})").fetchone()
        return wait or bool(row[0])

    def release(self, con: BaseBackend, tag: str) -> None:
        con.con.execute(f"SELECT pg_advisory_unlock({_lock_key(tag)})")


def _lock_key(tag: str) -> int:
    return int(tag, 16) & 0x7FFF_FFFF_FFFF_FFFF


#: Engines that stage in temporary tables: never written to the database file (DuckDB spills
#: them to its temporary directory when they outgrow memory) and gone with the connection.
TEMPORARY_STAGING = frozenset({"duckdb"})

NO_OWNERSHIP = Ownership()
OWNERSHIP: dict[str, Ownership] = {"postgres": _PostgresOwnership()}


#: DuckDB keeps temporary tables in memory up to its memory limit (by default most of the RAM)
#: and only then spills them to its temporary directory: while staging, the limit is lowered to
#: this, so that a file of any size is staged, checked and committed in bounded memory.
DUCKDB_STAGING_MEMORY = 1 << 30
_UNITS = {"": 1, "b": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12}
_UNITS |= {"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40}


def bound_memory(con: BaseBackend) -> Callable[[], None]:
    """Lower DuckDB's memory limit to ``DUCKDB_STAGING_MEMORY``; return what restores it."""
    if con.name != "duckdb":
        return lambda: None
    row = con.con.execute("SELECT current_setting('memory_limit')").fetchone()
    before = str(row[0]) if row else ""
    number, _, unit = before.partition(" ")
    try:
        current = float(number) * _UNITS[unit.strip().lower()]
    except (KeyError, ValueError):
        return lambda: None
    if current <= DUCKDB_STAGING_MEMORY:
        return lambda: None
    con.con.execute(f"SET memory_limit = '{DUCKDB_STAGING_MEMORY}B'")

    def restore() -> None:
        con.con.execute(f"SET memory_limit = '{before}'")

    return restore


def _append_duckdb(con: BaseBackend, name: str, arrow: pa.Table) -> None:
    raw = con.con
    view = f"_alinea_piece_{uuid.uuid4().hex[:8]}"
    raw.register(view, arrow)
    try:
        columns = column_list(arrow.column_names)
        raw.execute(f"INSERT INTO {quoted(name)} ({columns}) SELECT {columns} FROM {quoted(view)}")
    finally:
        raw.unregister(view)


def _append_postgres(con: BaseBackend, name: str, arrow: pa.Table) -> None:
    columns = column_list(arrow.column_names)
    values = [arrow.column(i).to_pylist() for i in range(arrow.num_columns)]
    copy_in = f"COPY {quoted(name)} ({columns}) FROM STDIN"
    with con.con.cursor() as cursor, cursor.copy(copy_in) as copy:
        for row in zip(*values, strict=True):
            copy.write_row(row)


APPENDERS: dict[str, Callable[[BaseBackend, str, pa.Table], None]] = {
    "duckdb": _append_duckdb,
    "postgres": _append_postgres,
}
