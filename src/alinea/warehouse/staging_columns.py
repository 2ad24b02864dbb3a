"""What a staged row holds beyond its fact (where it came from) and how staging SQL names
columns: quoted identifiers, column lists and the natural-key join of staged (``s``) and stored
(``f``) rows."""

from __future__ import annotations

from collections.abc import Iterable

import pyarrow as pa

from alinea.warehouse.schema import FactTable

FILE_COLUMN = "_alinea_file"
LINE_COLUMN = "_alinea_line"


def with_provenance(spec: FactTable, rows: pa.Table, numbered: int) -> pa.Table:
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


def quoted(name: str) -> str:
    """``name`` as an SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def column_list(names: Iterable[str], alias: str | None = None) -> str:
    prefix = f"{alias}." if alias else ""
    return ", ".join(prefix + quoted(n) for n in names)


def key_match(spec: FactTable) -> str:
    """The join condition of a staged row ``s`` and a stored fact ``f`` with the same key."""
    return " AND ".join(f"s.{quoted(k)} = f.{quoted(k)}" for k in spec.key)
