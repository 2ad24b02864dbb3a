"""Stage a batch too large for memory in pieces, then write it to the fact tables all at once.

A large import is read and validated piece by piece; every valid piece is appended to a staging
table inside the warehouse (one per fact table, named ``_alinea_staging_<tag>_<table>``). Staged
rows carry where they came from (``_alinea_file``, ``_alinea_line``) so that problems found across
pieces name the line. ``commit`` then, in ONE transaction, checks the staged rows against the stored
facts, inserts the new ones (anti-join on the natural key) tagged with the batch id, and drops the
staging tables. A process killed at any moment leaves the fact tables as they were, plus at most
some staging tables, which the next ``Staging`` opened on the warehouse drops (on DuckDB they are
temporary tables, which end with the connection anyway).

>>> import pyarrow as pa
>>> from alinea.warehouse import connect
>>> con = connect("duckdb://")
>>> person = {"person_id": ["p1"], "name": ["Ada"], "team": ["sales"], "role": ["ae"]}
>>> with Staging(con, "import-1") as staging:
...     staging.add("people", pa.table(person))
...     staging.commit()["people"].inserted
1
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import ibis
import ibis.expr.datatypes as dt
import pyarrow as pa
import sqlglot as sg
from ibis.backends import BaseBackend

from alinea.warehouse.errors import IngestError, Problem
from alinea.warehouse.firsts import refresh_firsts
from alinea.warehouse.ingest import IngestResult, transaction
from alinea.warehouse.schema import BATCH_COLUMN, FactTable, fact_table
from alinea.warehouse.validate import typed_problems

PREFIX = "_alinea_staging_"
FILE_COLUMN = "_alinea_file"
LINE_COLUMN = "_alinea_line"
#: Test hook: when set to a path, ``commit`` writes that file from inside its transaction (after
#: the first fact table is written) and waits, so that a test can kill the process mid-commit.
PAUSE_ENV = "ALINEA_TEST_PAUSE_IN_COMMIT"

_TAG_LENGTH = 12
_LIVE_TAGS: set[str] = set()


@dataclass(frozen=True)
class Clash:
    """Staged rows with one natural key but different values, or differing from a stored fact.

    ``places`` are the ``(file, line)`` provenances of the staged rows involved.
    """

    table: str
    key_columns: tuple[str, ...]
    key: tuple[Any, ...]
    places: tuple[tuple[int, int], ...]
    stored: bool


@dataclass(frozen=True)
class StagedCount:
    """Rows staged for one fact table: ``facts`` distinct facts, of which ``new`` are not stored."""

    table: str
    staged: int
    facts: int
    new: int


class Staging:
    """Staging tables for one batch on one warehouse connection (see the module docstring)."""

    def __init__(self, con: BaseBackend, batch_id: str) -> None:
        self.con = con
        self.batch_id = batch_id
        self.tag = uuid.uuid4().hex[:_TAG_LENGTH]
        self._tables: dict[str, FactTable] = {}
        self._lines: dict[str, int] = {}
        # What is known of the staged rows until rows are added: tables found free of staged
        # clashes (removing rows keeps them so), and (rows, distinct keys) per table.
        self._clash_free: set[str] = set()
        self._sizes: dict[str, tuple[int, int]] = {}
        self._finished = False
        _OWNERSHIP.get(con.name, _no_ownership).claim(con, self.tag)
        _LIVE_TAGS.add(self.tag)
        drop_stale_staging(con)
        self._restore_memory = _bound_memory(con)

    def __enter__(self) -> Staging:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if not self._finished:
            self.abort()

    def staging_name(self, table: str) -> str:
        return f"{PREFIX}{self.tag}_{table}"

    @property
    def tables(self) -> tuple[str, ...]:
        """The fact tables that have staged rows (or at least a staging table)."""
        return tuple(self._tables)

    def add(self, table: str, rows: pa.Table) -> None:
        """Append rows of fact table ``table``, in its declared columns and types.

        ``rows`` may carry ``_alinea_file`` and ``_alinea_line``; without them the rows are numbered
        from 1 in the order they are added. Rows that break a value rule raise ``IngestError``.
        """
        spec = self._ensure(table)
        arrow = _with_provenance(spec, rows, self._lines.get(table, 0))
        self._lines[table] = self._lines.get(table, 0) + arrow.num_rows
        problems = typed_problems(spec, arrow)
        if problems:
            raise IngestError(problems)
        if arrow.num_rows:
            self._clash_free.discard(table)
            self._sizes.pop(table, None)
            _APPENDERS[self.con.name](self.con, self.staging_name(table), arrow)

    def clashes(self, *, limit: int = 10_000) -> list[Clash]:
        """Keys staged twice with different values, then keys stored with different values."""
        found: list[Clash] = []
        for _table, spec in self._tables.items():
            found.extend(self._staged_clashes(spec, limit))
            found.extend(self._stored_clashes(spec, limit))
        return found

    def discard_file(self, file: int) -> None:
        """Remove every staged row (in every table) that came from file number ``file``."""
        self._sizes.clear()
        for table in self._tables:
            name = _q(self.staging_name(table))
            self._run(f"DELETE FROM {name} WHERE {_q(FILE_COLUMN)} = {int(file)}")

    def discard(self, places: Iterable[tuple[int, int]]) -> int:
        """Remove every staged row (in every table) that came from one of ``places``."""
        chosen = sorted(set(places))
        if not chosen or not self._tables:
            return 0
        removed = 0
        self._sizes.clear()
        for start in range(0, len(chosen), 5_000):
            values = ", ".join(f"({f}, {n})" for f, n in chosen[start : start + 5_000])
            for table in self._tables:
                name = _q(self.staging_name(table))
                before = self._scalar(f"SELECT count(*) FROM {name}")
                self._run(
                    f"DELETE FROM {name} WHERE ({_q(FILE_COLUMN)}, {_q(LINE_COLUMN)}) "
                    f"IN (VALUES {values})"
                )
                removed += before - self._scalar(f"SELECT count(*) FROM {name}")
        return removed

    def counts(self) -> dict[str, StagedCount]:
        """Per staged table: rows staged, distinct facts, and facts not yet stored."""
        return {table: self._count(spec) for table, spec in self._tables.items()}

    def commit(self) -> dict[str, IngestResult]:
        """Write the new staged facts of every table and drop the staging tables, atomically.

        Raises ``IngestError`` (and writes nothing) when a staged key is stored with other values
        or staged twice with different values; call ``clashes`` first to see and ``discard`` them.
        """
        results: dict[str, IngestResult] = {}
        with transaction(self.con):
            clashes = self.clashes(limit=100)
            if clashes:
                raise IngestError([_problem(c) for c in clashes])
            for index, (table, spec) in enumerate(self._tables.items()):
                results[table] = self._insert(spec)
                if index == 0:
                    _pause_if_asked()
            if "stage_changes" in results and results["stage_changes"].inserted:
                refresh_firsts(self.con)
            self._drop_all()
        self._finish()
        return results

    def abort(self) -> None:
        """Drop the staging tables; nothing reaches the fact tables."""
        self._drop_all()
        self._finish()

    # -- internals -------------------------------------------------------------------------------

    def _ensure(self, table: str) -> FactTable:
        if self._finished:
            raise RuntimeError("this staging is already committed or aborted")
        if table not in self._tables:
            spec = fact_table(table)
            schema = ibis.schema(
                {**spec.ibis_schema(), FILE_COLUMN: dt.int32, LINE_COLUMN: dt.int64}
            )
            temporary = self.con.name in _TEMPORARY_STAGING
            self.con.create_table(self.staging_name(table), schema=schema, temp=temporary)
            self._tables[table] = spec
        return self._tables[table]

    def _staged_clashes(self, spec: FactTable, limit: int) -> list[Clash]:
        name, key = _q(self.staging_name(spec.name)), _columns(spec.key)
        repeated = f"SELECT {key} FROM {name} GROUP BY {key} HAVING count(*) > 1"
        if spec.name in self._clash_free:
            return []
        if self._scalar(f"SELECT count(*) FROM ({repeated}) AS r") == 0:
            self._clash_free.add(spec.name)
            return []
        facts = _columns(spec.column_names)
        differing = (
            f"SELECT {key} FROM (SELECT DISTINCT {facts} FROM {name}) AS d "
            f"GROUP BY {key} HAVING count(*) > 1 ORDER BY {key} LIMIT {limit}"
        )
        return self._clashes(spec, name, differing, stored=False)

    def _stored_clashes(self, spec: FactTable, limit: int) -> list[Clash]:
        others = [c for c in spec.column_names if c not in spec.key]
        if not others:
            return []
        name = _q(self.staging_name(spec.name))
        differs = " OR ".join(f"s.{_q(c)} IS DISTINCT FROM f.{_q(c)}" for c in others)
        clashing = (
            f"SELECT DISTINCT {_columns(spec.key, 's')} FROM {name} AS s "
            f"JOIN {_q(spec.name)} AS f ON {_key_match(spec)} WHERE {differs} "
            f"ORDER BY {_columns(spec.key, 's')} LIMIT {limit}"
        )
        return self._clashes(spec, name, clashing, stored=True)

    def _clashes(self, spec: FactTable, name: str, keys_sql: str, *, stored: bool) -> list[Clash]:
        key = _columns(spec.key, "s")
        rows = self._rows(
            f"SELECT {key}, s.{_q(FILE_COLUMN)}, s.{_q(LINE_COLUMN)} FROM {name} AS s "
            f"JOIN ({keys_sql}) AS f ON {_key_match(spec)} "
            f"ORDER BY {key}, s.{_q(FILE_COLUMN)}, s.{_q(LINE_COLUMN)}"
        )
        width = len(spec.key)
        grouped: dict[tuple[Any, ...], list[tuple[int, int]]] = {}
        for row in rows:
            grouped.setdefault(tuple(row[:width]), []).append((int(row[width]), int(row[-1])))
        return [
            Clash(spec.name, spec.key, values, tuple(places), stored)
            for values, places in grouped.items()
        ]

    def _count(self, spec: FactTable) -> StagedCount:
        name = _q(self.staging_name(spec.name))
        distinct = f"SELECT DISTINCT {_columns(spec.key, 's')} FROM {name} AS s"
        stored = f"SELECT 1 FROM {_q(spec.name)} AS f WHERE {_key_match(spec)}"
        new = f"{distinct} WHERE NOT EXISTS ({stored})"
        staged, facts = self._size(spec)
        return StagedCount(
            table=spec.name,
            staged=staged,
            facts=facts,
            new=self._scalar(f"SELECT count(*) FROM ({new}) AS n"),
        )

    def _size(self, spec: FactTable) -> tuple[int, int]:
        """Rows staged for ``spec`` and their distinct keys."""
        if spec.name not in self._sizes:
            name, key = _q(self.staging_name(spec.name)), _columns(spec.key)
            self._sizes[spec.name] = (
                self._scalar(f"SELECT count(*) FROM {name}"),
                self._scalar(f"SELECT count(*) FROM (SELECT DISTINCT {key} FROM {name}) AS d"),
            )
        return self._sizes[spec.name]

    def _insert(self, spec: FactTable) -> IngestResult:
        name, facts = _q(self.staging_name(spec.name)), _columns(spec.column_names, "s")
        batch = sg.exp.Literal.string(self.batch_id).sql(dialect=self.con.dialect)
        staged, received = self._size(spec)
        # Without clashes a key staged twice is the same fact twice; when no key is, every row
        # is distinct already and the costly DISTINCT over every column can be left out.
        distinct = "DISTINCT " if received != staged else ""
        before = self._scalar(f"SELECT count(*) FROM {_q(spec.name)}")
        self._run(
            f"INSERT INTO {_q(spec.name)} ({_columns(spec.column_names)}, {_q(BATCH_COLUMN)}) "
            f"SELECT {distinct}{facts}, {batch} FROM {name} AS s WHERE NOT EXISTS "
            f"(SELECT 1 FROM {_q(spec.name)} AS f WHERE {_key_match(spec)})"
        )
        inserted = self._scalar(f"SELECT count(*) FROM {_q(spec.name)}") - before
        return IngestResult(table=spec.name, received=received, inserted=inserted)

    def _drop_all(self) -> None:
        for table in self._tables:
            self._run(f"DROP TABLE IF EXISTS {_q(self.staging_name(table))}")

    def _finish(self) -> None:
        if not self._finished:
            self._finished = True
            _LIVE_TAGS.discard(self.tag)
            _OWNERSHIP.get(self.con.name, _no_ownership).release(self.con, self.tag)
            self._restore_memory()

    def _run(self, sql: str) -> None:
        self.con.con.execute(sql)

    def _rows(self, sql: str) -> list[tuple[Any, ...]]:
        return list(self.con.con.execute(sql).fetchall())

    def _scalar(self, sql: str) -> int:
        return int(self._rows(sql)[0][0])


def drop_stale_staging(con: BaseBackend) -> list[str]:
    """Drop staging tables left by imports that are no longer running (e.g. a killed process)."""
    ownership = _OWNERSHIP.get(con.name, _no_ownership)
    stale: dict[str, list[str]] = {}
    for name in con.list_tables():
        if name.startswith(PREFIX):
            tag = name[len(PREFIX) : len(PREFIX) + _TAG_LENGTH]
            if tag not in _LIVE_TAGS:
                stale.setdefault(tag, []).append(name)
    dropped: list[str] = []
    for tag, names in stale.items():
        if not ownership.claim(con, tag, wait=False):
            continue  # another running process owns it
        for name in names:
            con.con.execute(f"DROP TABLE IF EXISTS {_q(name)}")
            dropped.append(name)
        ownership.release(con, tag)
    return dropped


# -- engines -------------------------------------------------------------------------------------


class _Ownership:
    """Who owns a staging tag. Only this process's tags are live unless an engine says more."""

    def claim(self, con: BaseBackend, tag: str, *, wait: bool = True) -> bool:
        return True

    def release(self, con: BaseBackend, tag: str) -> None:
        return None


class _PostgresOwnership(_Ownership):
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
_TEMPORARY_STAGING = frozenset({"duckdb"})

_no_ownership = _Ownership()
_OWNERSHIP: dict[str, _Ownership] = {"postgres": _PostgresOwnership()}


#: DuckDB keeps temporary tables in memory up to its memory limit (by default most of the RAM)
#: and only then spills them to its temporary directory: while staging, the limit is lowered to
#: this, so that a file of any size is staged, checked and committed in bounded memory.
DUCKDB_STAGING_MEMORY = 1 << 30
_UNITS = {"": 1, "b": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12}
_UNITS |= {"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40}


def _bound_memory(con: BaseBackend) -> Callable[[], None]:
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
        columns = _columns(arrow.column_names)
        raw.execute(f"INSERT INTO {_q(name)} ({columns}) SELECT {columns} FROM {_q(view)}")
    finally:
        raw.unregister(view)


def _append_postgres(con: BaseBackend, name: str, arrow: pa.Table) -> None:
    columns = _columns(arrow.column_names)
    values = [arrow.column(i).to_pylist() for i in range(arrow.num_columns)]
    copy_in = f"COPY {_q(name)} ({columns}) FROM STDIN"
    with con.con.cursor() as cursor, cursor.copy(copy_in) as copy:
        for row in zip(*values, strict=True):
            copy.write_row(row)


_APPENDERS: dict[str, Callable[[BaseBackend, str, pa.Table], None]] = {
    "duckdb": _append_duckdb,
    "postgres": _append_postgres,
}


# -- helpers -------------------------------------------------------------------------------------


def _with_provenance(spec: FactTable, rows: pa.Table, numbered: int) -> pa.Table:
    """``rows`` in the declared schema plus the provenance columns (numbered when absent).

    Declared columns absent from ``rows`` are null; undeclared columns are refused.
    """
    schema = spec.ibis_schema().to_pyarrow()
    unknown = set(rows.column_names) - {*schema.names, FILE_COLUMN, LINE_COLUMN}
    if unknown:
        raise ValueError(f"{spec.name}: unknown columns for this fact table: {sorted(unknown)}")
    arrays = [
        rows.column(f.name).cast(f.type)
        if f.name in rows.column_names
        else pa.nulls(rows.num_rows, f.type)
        for f in schema
    ]
    if FILE_COLUMN in rows.column_names:
        files = rows.column(FILE_COLUMN).cast(pa.int32())
        lines = rows.column(LINE_COLUMN).cast(pa.int64())
    else:
        files = pa.array([0] * rows.num_rows, pa.int32())
        lines = pa.array(range(numbered + 1, numbered + rows.num_rows + 1), pa.int64())
    names = [*schema.names, FILE_COLUMN, LINE_COLUMN]
    return pa.Table.from_arrays([*arrays, files, lines], names=names)


def _problem(clash: Clash) -> Problem:
    file, line = clash.places[0]
    where = "already stored" if clash.stored else "staged twice"
    return Problem(
        clash.table,
        line,
        ", ".join(clash.key_columns),
        clash.key,
        f"this key is {where} with different values (file {file})",
    )


def _pause_if_asked() -> None:
    flag = os.environ.get(PAUSE_ENV)
    if not flag:
        return
    Path(flag).write_text("committing")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # the test kills the process meanwhile
        time.sleep(0.05)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _columns(names: Iterable[str], alias: str | None = None) -> str:
    prefix = f"{alias}." if alias else ""
    return ", ".join(prefix + _q(n) for n in names)


def _key_match(spec: FactTable) -> str:
    return " AND ".join(f"s.{_q(k)} = f.{_q(k)}" for k in spec.key)
