"""Stage a batch too large for memory in pieces, then write it to the fact tables all at once.

A large import is read and validated piece by piece; every valid piece is appended to a staging
table inside the warehouse (one per fact table, named ``_alinea_staging_<tag>_<table>``). Staged
rows carry where they came from (``_alinea_file``, ``_alinea_line``) so that problems found across
pieces name the line. ``commit`` then, in ONE transaction, checks the staged rows against the stored
facts, inserts the new ones (anti-join on the natural key) tagged with the batch id, and drops the
staging tables. A process killed at any moment leaves the fact tables as they were, plus at most
some staging tables, which the next ``Staging`` opened on the warehouse drops (on DuckDB they are
temporary tables, which end with the connection anyway).

What differs by engine is in ``staging_engines``, the clash queries in ``staging_clashes``, the
provenance columns and SQL naming in ``staging_columns``.

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

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, NamedTuple

import ibis
import ibis.expr.datatypes as dt
import pyarrow as pa
import sqlglot as sg
from ibis.backends import BaseBackend

from alinea.warehouse.errors import IngestError
from alinea.warehouse.firsts import refresh_firsts
from alinea.warehouse.ingest import IngestResult, transaction
from alinea.warehouse.schema import BATCH_COLUMN, FactTable, fact_table
from alinea.warehouse.staging_clashes import (
    Clash,
    clash_problem,
    staged_clashes,
    stored_clashes,
)
from alinea.warehouse.staging_columns import (
    FILE_COLUMN,
    LINE_COLUMN,
    column_list,
    key_match,
    quoted,
    with_provenance,
)
from alinea.warehouse.staging_engines import (
    APPENDERS,
    NO_OWNERSHIP,
    OWNERSHIP,
    TEMPORARY_STAGING,
    bound_memory,
)
from alinea.warehouse.validate import typed_problems

PREFIX = "_alinea_staging_"

_TAG_LENGTH = 12
_LIVE_TAGS: set[str] = set()


@dataclass(frozen=True)
class StagedCount:
    """Rows staged for one fact table: ``facts`` distinct facts, of which ``new`` are not stored."""

    table: str
    staged: int
    facts: int
    new: int


class _Size(NamedTuple):
    staged: int
    keys: int
    repeated: int


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
        self._sizes: dict[str, _Size] = {}
        self._finished = False
        OWNERSHIP.get(con.name, NO_OWNERSHIP).claim(con, self.tag)
        _LIVE_TAGS.add(self.tag)
        drop_stale_staging(con)
        self._restore_memory = bound_memory(con)

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

    def add(self, table: str, rows: pa.Table, *, checked: bool = False) -> None:
        """Append rows of fact table ``table``, in its declared columns and types.

        ``rows`` may carry ``_alinea_file`` and ``_alinea_line``; without them the rows are numbered
        from 1 in the order they are added. Rows that break a value rule raise ``IngestError``;
        ``checked`` says the caller found none already (``typed_problems`` on these rows), so
        that they are not checked twice.
        """
        spec = self._ensure(table)
        arrow = with_provenance(spec, rows, self._lines.get(table, 0))
        self._lines[table] = self._lines.get(table, 0) + arrow.num_rows
        problems = [] if checked else typed_problems(spec, arrow)
        if problems:
            raise IngestError(problems)
        if arrow.num_rows:
            self._clash_free.discard(table)
            self._sizes.pop(table, None)
            APPENDERS[self.con.name](self.con, self.staging_name(table), arrow)

    def clashes(self, *, limit: int = 10_000) -> list[Clash]:
        """Keys staged twice with different values, then keys stored with different values."""
        found: list[Clash] = []
        for _table, spec in self._tables.items():
            found.extend(self._staged_clashes(spec, limit))
            found.extend(
                stored_clashes(self._rows, spec, quoted(self.staging_name(spec.name)), limit)
            )
        return found

    def discard_file(self, file: int) -> None:
        """Remove every staged row (in every table) that came from file number ``file``."""
        self._sizes.clear()
        for table in self._tables:
            name = quoted(self.staging_name(table))
            self._run(f"DELETE FROM {name} WHERE {quoted(FILE_COLUMN)} = {int(file)}")

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
                name = quoted(self.staging_name(table))
                before = self._scalar(f"SELECT count(*) FROM {name}")
                self._run(
                    f"DELETE FROM {name} WHERE ({quoted(FILE_COLUMN)}, {quoted(LINE_COLUMN)}) "
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
                raise IngestError([clash_problem(c) for c in clashes])
            for table, spec in self._tables.items():
                results[table] = self._insert(spec)
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
            temporary = self.con.name in TEMPORARY_STAGING
            self.con.create_table(self.staging_name(table), schema=schema, temp=temporary)
            self._tables[table] = spec
        return self._tables[table]

    def _staged_clashes(self, spec: FactTable, limit: int) -> list[Clash]:
        if spec.name in self._clash_free:
            return []
        if self._size(spec).repeated == 0:
            self._clash_free.add(spec.name)
            return []
        return staged_clashes(self._rows, spec, quoted(self.staging_name(spec.name)), limit)

    def _count(self, spec: FactTable) -> StagedCount:
        name = quoted(self.staging_name(spec.name))
        stored = f"SELECT 1 FROM {quoted(spec.name)} AS f WHERE {key_match(spec)}"
        size = self._size(spec)
        if size.repeated == 0:  # every staged row is its own fact: no DISTINCT needed
            found = f"SELECT count(*) FROM {name} AS s WHERE EXISTS ({stored})"
            new = size.staged - self._scalar(found)
        else:
            distinct = f"SELECT DISTINCT {column_list(spec.key, 's')} FROM {name} AS s"
            new = self._scalar(
                f"SELECT count(*) FROM ({distinct} WHERE NOT EXISTS ({stored})) AS n"
            )
        return StagedCount(table=spec.name, staged=size.staged, facts=size.keys, new=new)

    def _size(self, spec: FactTable) -> _Size:
        """Rows staged for ``spec``, their distinct keys and the keys staged more than once, in
        one pass over the staging table."""
        if spec.name not in self._sizes:
            name, key = quoted(self.staging_name(spec.name)), column_list(spec.key)
            [row] = self._rows(
                "SELECT coalesce(sum(n), 0), count(*), count(*) FILTER (WHERE n > 1) "
                f"FROM (SELECT count(*) AS n FROM {name} GROUP BY {key}) AS g"
            )
            self._sizes[spec.name] = _Size(*(int(v) for v in row))
        return self._sizes[spec.name]

    def _insert(self, spec: FactTable) -> IngestResult:
        name, facts = quoted(self.staging_name(spec.name)), column_list(spec.column_names, "s")
        batch = sg.exp.Literal.string(self.batch_id).sql(dialect=self.con.dialect)
        staged, received, _ = self._size(spec)
        # Without clashes a key staged twice is the same fact twice; when no key is, every row
        # is distinct already and the costly DISTINCT over every column can be left out.
        distinct = "DISTINCT " if received != staged else ""
        target = f"{quoted(spec.name)} ({column_list(spec.column_names)}, {quoted(BATCH_COLUMN)})"
        before = self._scalar(f"SELECT count(*) FROM {quoted(spec.name)}")
        self._run(
            f"INSERT INTO {target} "
            f"SELECT {distinct}{facts}, {batch} FROM {name} AS s WHERE NOT EXISTS "
            f"(SELECT 1 FROM {quoted(spec.name)} AS f WHERE {key_match(spec)})"
        )
        inserted = self._scalar(f"SELECT count(*) FROM {quoted(spec.name)}") - before
        return IngestResult(table=spec.name, received=received, inserted=inserted)

    def _drop_all(self) -> None:
        for table in self._tables:
            self._run(f"DROP TABLE IF EXISTS {quoted(self.staging_name(table))}")

    def _finish(self) -> None:
        if not self._finished:
            self._finished = True
            _LIVE_TAGS.discard(self.tag)
            OWNERSHIP.get(self.con.name, NO_OWNERSHIP).release(self.con, self.tag)
            self._restore_memory()

    def _run(self, sql: str) -> None:
        self.con.con.execute(sql)

    def _rows(self, sql: str) -> list[tuple[Any, ...]]:
        return list(self.con.con.execute(sql).fetchall())

    def _scalar(self, sql: str) -> int:
        return int(self._rows(sql)[0][0])


def drop_stale_staging(con: BaseBackend) -> list[str]:
    """Drop staging tables left by imports that are no longer running (e.g. a killed process)."""
    ownership = OWNERSHIP.get(con.name, NO_OWNERSHIP)
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
            con.con.execute(f"DROP TABLE IF EXISTS {quoted(name)}")
            dropped.append(name)
        ownership.release(con, tag)
    return dropped


__all__ = [
    "FILE_COLUMN",
    "LINE_COLUMN",
    "PREFIX",
    "Clash",
    "StagedCount",
    "Staging",
    "drop_stale_staging",
]
