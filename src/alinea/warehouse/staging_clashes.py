"""Clashes in a staged batch: one natural key with different values, staged twice or differing
from a stored fact. Found with SQL over the staging table, reported by file and line."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from alinea.warehouse.errors import Problem
from alinea.warehouse.schema import FactTable
from alinea.warehouse.staging_columns import (
    FILE_COLUMN,
    LINE_COLUMN,
    column_list,
    key_match,
    quoted,
)

#: Runs a query and returns its rows.
Rows = Callable[[str], list[tuple[Any, ...]]]


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


def staged_clashes(rows: Rows, spec: FactTable, staged: str, limit: int) -> list[Clash]:
    """Keys staged twice with different values (``staged`` is the quoted staging table)."""
    key, facts = column_list(spec.key), column_list(spec.column_names)
    differing = (
        f"SELECT {key} FROM (SELECT DISTINCT {facts} FROM {staged}) AS d "
        f"GROUP BY {key} HAVING count(*) > 1 ORDER BY {key} LIMIT {limit}"
    )
    return _clashes(rows, spec, staged, differing, stored=False)


def stored_clashes(rows: Rows, spec: FactTable, staged: str, limit: int) -> list[Clash]:
    """Keys staged with values other than the stored fact's."""
    others = [c for c in spec.column_names if c not in spec.key]
    if not others:
        return []
    differs = " OR ".join(f"s.{quoted(c)} IS DISTINCT FROM f.{quoted(c)}" for c in others)
    clashing = (
        f"SELECT DISTINCT {column_list(spec.key, 's')} FROM {staged} AS s "
        f"JOIN {quoted(spec.name)} AS f ON {key_match(spec)} WHERE {differs} "
        f"ORDER BY {column_list(spec.key, 's')} LIMIT {limit}"
    )
    return _clashes(rows, spec, staged, clashing, stored=True)


def _clashes(
    rows: Rows, spec: FactTable, staged: str, keys_sql: str, *, stored: bool
) -> list[Clash]:
    key = column_list(spec.key, "s")
    found = rows(
        f"SELECT {key}, s.{quoted(FILE_COLUMN)}, s.{quoted(LINE_COLUMN)} FROM {staged} AS s "
        f"JOIN ({keys_sql}) AS f ON {key_match(spec)} "
        f"ORDER BY {key}, s.{quoted(FILE_COLUMN)}, s.{quoted(LINE_COLUMN)}"
    )
    width = len(spec.key)
    grouped: dict[tuple[Any, ...], list[tuple[int, int]]] = {}
    for row in found:
        grouped.setdefault(tuple(row[:width]), []).append((int(row[width]), int(row[-1])))
    return [
        Clash(spec.name, spec.key, values, tuple(places), stored)
        for values, places in grouped.items()
    ]


def clash_problem(clash: Clash) -> Problem:
    """The problem a clash is, named by its first place."""
    file, line = clash.places[0]
    where = "already stored" if clash.stored else "staged twice"
    return Problem(
        clash.table,
        line,
        ", ".join(clash.key_columns),
        clash.key,
        f"this key is {where} with different values (file {file})",
    )
