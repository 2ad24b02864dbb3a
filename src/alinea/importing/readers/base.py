"""What every reader gives: the file's columns and its rows in chunks, with their line numbers."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import pyarrow as pa


class ReaderError(ValueError):
    """The file cannot be read at all (not the format it claims, empty, no such sheet, …)."""


@dataclass(frozen=True)
class BrokenRow:
    """A row the reader could not split into columns, where it is and why."""

    line: int
    reason: str
    text: str


@dataclass(frozen=True)
class Chunk:
    """Some consecutive rows of a file.

    ``table`` has the file's columns (text for text formats, typed where the format has types),
    ``lines`` the line (or row) number of each row as a person sees it, ``done`` how far into the
    file the reader is (bytes or rows, as its ``total``), ``broken`` rows that could not be read.
    """

    table: pa.Table
    lines: np.ndarray
    done: int
    broken: tuple[BrokenRow, ...] = field(default=())


class Reader(Protocol):
    """One file of one format. ``chunks`` can be called more than once (it starts over)."""

    columns: tuple[str, ...]
    total: int
    details: dict[str, str]

    def chunks(self) -> Iterator[Chunk]: ...


def unique_names(header: Sequence[Any]) -> tuple[str, ...]:
    """Header cells as column names; blank or repeated names become ``column <n>``."""
    names: list[str] = []
    for position, cell in enumerate(header, start=1):
        name = "" if cell is None else str(cell).strip()
        names.append(name if name and name not in names else f"column {position}")
    return tuple(names)


def table_from_rows(names: Sequence[str], rows: Sequence[Sequence[Any]]) -> pa.Table:
    """Rows of Python values as a table: a column keeps its type when all its values share it,
    otherwise its values become text (whole floats without ``.0``, times in ISO 8601)."""
    columns = []
    for index in range(len(names)):
        values = [row[index] if index < len(row) else None for row in rows]
        columns.append(_column(values))
    return pa.Table.from_arrays(columns, names=list(names))


def _column(values: list[Any]) -> pa.Array:
    kinds = {_kind(v) for v in values if v is not None}
    if not kinds:
        return pa.nulls(len(values), pa.string())
    if kinds <= {"int"}:
        return pa.array(values, pa.int64())
    if kinds <= {"int", "float"}:
        return pa.array(values, pa.float64())
    if len(kinds) == 1 and kinds != {"other"}:
        try:
            return pa.array(values)
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # e.g. datetimes in different zones
            pass
    return pa.array([None if v is None else as_text(v) for v in values], pa.string())


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, dt.datetime):
        return "datetime"
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, str):
        return "str"
    return "other"


def as_text(value: Any) -> str:
    """One value as the text a person would type for it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
