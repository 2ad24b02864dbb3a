"""Check a batch of records against a fact table's declaration and convert it to its exact types.

Checks are vectorised (pandas / Arrow); only rows already known to be bad are looked at one by one,
to name them. Every problem in the batch is reported, not only the first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeAlias

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from alinea.warehouse.errors import Problem
from alinea.warehouse.schema import Column, FactTable

Records: TypeAlias = pd.DataFrame | pa.Table | Iterable[Mapping[str, Any]]

_OFFSET_AT_END = r"(?:[zZ]|[+-]\d{2}(?::?\d{2})?)$"


def as_frame(data: Records) -> pd.DataFrame:
    """Any accepted batch shape as a DataFrame with a fresh 0-based index."""
    if isinstance(data, pd.DataFrame):
        return data.reset_index(drop=True)
    if isinstance(data, pa.Table):
        return data.to_pandas(types_mapper=None).reset_index(drop=True)
    return pd.DataFrame.from_records(list(data))


def validate(table: FactTable, data: Records) -> tuple[pd.DataFrame, list[Problem]]:
    """Return the batch with every declared column in its declared type, and the problems found.

    Undeclared columns, missing required columns, values of the wrong type, naive timestamps,
    values outside the allowed set, missing conditional values and repeated natural keys are all
    problems. The returned frame is only meaningful when the problem list is empty.
    """
    frame = as_frame(data)
    problems: list[Problem] = []
    for name in frame.columns:
        if name not in table.column_names:
            problems.append(
                Problem(table.name, None, str(name), None, "unknown column for this fact table")
            )
    out: dict[str, pd.Series] = {}
    unreadable: dict[str, np.ndarray] = {}
    for column in table.columns:
        if column.name not in frame.columns:
            if column.required and len(frame):
                problems.append(
                    Problem(table.name, None, column.name, None, "required column is missing")
                )
            out[column.name] = _empty(column, len(frame))
            continue
        series, bad = _convert(column, frame[column.name])
        problems.extend(_problems(table, column, frame[column.name], bad, _type_reason(column)))
        out[column.name] = series
        unreadable[column.name] = bad
    converted = pd.DataFrame(out, index=frame.index)
    problems.extend(_value_problems(table, converted, unreadable))
    return converted, problems


def _problems(
    table: FactTable, column: Column, raw: pd.Series, bad: np.ndarray, reason: str
) -> list[Problem]:
    rows = np.flatnonzero(bad)
    return [Problem(table.name, int(i) + 1, column.name, _plain(raw.iloc[i]), reason) for i in rows]


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def _type_reason(column: Column) -> str:
    return {
        "string": "expected text",
        "int64": "expected a whole number",
        "float64": "expected a number",
        "boolean": "expected true or false",
        "timestamp": "expected a timestamp with a time zone (ISO 8601, e.g. 2025-03-01T09:30:00Z)",
        "date": "expected a date (YYYY-MM-DD)",
    }[column.type]


def _empty(column: Column, n: int) -> pd.Series:
    return pd.Series([None] * n, dtype=_DTYPES[column.type])


_DTYPES: dict[str, Any] = {
    "string": "object",
    "int64": "Int64",
    "float64": "Float64",
    "boolean": "boolean",
    "timestamp": "datetime64[us, UTC]",
    "date": "object",
}


def _convert(column: Column, raw: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """The column converted to its type, and a mask of values that could not be converted."""
    present = raw.notna().to_numpy()
    kind = column.type
    if kind == "string":
        if pd.api.types.is_string_dtype(raw.dtype) and not pd.api.types.is_object_dtype(raw.dtype):
            return raw.astype(object).where(raw.notna(), None), np.zeros(len(raw), bool)
        bad = present & ~_each(raw, present, lambda v: isinstance(v, str))
        return raw.where(~bad & present, None).astype(object), bad
    if kind in ("int64", "float64"):
        if pd.api.types.is_bool_dtype(raw.dtype):
            return _empty(column, len(raw)), present
        numeric = pd.api.types.is_numeric_dtype(raw.dtype)
        numbers = raw if numeric else pd.to_numeric(raw.astype(object), errors="coerce")
        if not numeric:
            numbers = numbers.where(
                ~_each(raw, present, lambda v: isinstance(v, bool), absent=False)
            )
        bad = present & numbers.isna().to_numpy()
        if kind == "int64":
            as_float = numbers.astype("Float64")
            fractional = (as_float.fillna(0) % 1 != 0).to_numpy(dtype=bool)
            bad |= present & fractional
            return numbers.where(~bad).astype("Float64").astype("Int64"), bad
        return numbers.where(~bad).astype("Float64"), bad
    if kind == "boolean":
        bad = present & ~_each(raw, present, lambda v: isinstance(v, bool | np.bool_))
        return raw.where(~bad).astype("boolean"), bad
    if kind == "timestamp":
        return _to_utc(raw, present)
    return _to_date(raw, present)


def _each(
    raw: pd.Series, present: np.ndarray, test: Callable[[Any], bool], *, absent: bool = True
) -> np.ndarray:
    """``test`` applied to each present value (``absent`` where the value is missing)."""
    result = np.full(len(raw), absent)
    result[present] = [test(v) for v in raw.to_numpy(dtype=object)[present]]
    return result


def _to_utc(raw: pd.Series, present: np.ndarray) -> tuple[pd.Series, np.ndarray]:
    if isinstance(raw.dtype, pd.DatetimeTZDtype):
        return raw.dt.tz_convert("UTC").astype("datetime64[us, UTC]"), np.zeros(len(raw), bool)
    if pd.api.types.is_datetime64_dtype(raw.dtype):  # naive: every value lacks a zone
        return _empty_ts(len(raw)), present
    text = raw.map(_instant_text, na_action="ignore")
    has_zone = text.str.contains(_OFFSET_AT_END, regex=True, na=False).to_numpy()
    parsed = pd.to_datetime(text.where(has_zone), format="ISO8601", utc=True, errors="coerce")
    bad = present & (~has_zone | parsed.isna().to_numpy())
    return parsed.where(~bad).astype("datetime64[us, UTC]"), bad


def _instant_text(value: Any) -> str | None:
    """Text form of a timestamp-like value: aware datetimes keep their offset, others refused."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dt.datetime):
        return value.isoformat() if value.tzinfo is not None else ""
    return ""


def _empty_ts(n: int) -> pd.Series:
    return pd.Series(pd.NaT, index=range(n), dtype="datetime64[us, UTC]")


def _to_date(raw: pd.Series, present: np.ndarray) -> tuple[pd.Series, np.ndarray]:
    def one(value: Any) -> dt.date | None:
        if isinstance(value, dt.datetime):
            return None
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                return None
        return None

    if pd.api.types.is_datetime64_any_dtype(raw.dtype):
        return raw.dt.date.astype(object), np.zeros(len(raw), bool)
    dates = raw.map(one, na_action="ignore")
    bad = present & dates.isna().to_numpy()
    return dates.where(~bad, None).astype(object), bad


def _value_problems(
    table: FactTable, frame: pd.DataFrame, unreadable: dict[str, np.ndarray]
) -> list[Problem]:
    """Nulls in required columns, values outside the allowed set, conditional columns, key repeats.

    Values already reported as unreadable are not reported again as missing.
    """
    problems = typed_problems(table, to_arrow(table, frame), unreadable=unreadable)
    problems.extend(_repeated_keys(table, frame))
    return problems


def typed_problems(
    table: FactTable, data: pa.Table, *, unreadable: Mapping[str, np.ndarray] | None = None
) -> list[Problem]:
    """The value rules of ``table`` checked on a batch already in the declared Arrow types.

    Reports nulls in required columns, values outside the allowed set and missing conditional
    values (``required_when``); ``row`` is the 1-based position in ``data``. Values marked in
    ``unreadable`` (per column) are not reported again as missing. Repeated keys are not checked
    here: a batch staged in pieces is checked for them as a whole (see ``warehouse.staging``).

    >>> from alinea.warehouse.schema import fact_table
    >>> people = fact_table("people")
    >>> rows = {"person_id": ["p1"], "name": ["Ada"], "team": ["sales"], "role": ["boss"]}
    >>> batch = pa.table({c.name: rows.get(c.name, [None]) for c in people.columns})
    >>> found = typed_problems(people, batch.cast(people.ibis_schema().to_pyarrow()))
    >>> [(p.row, p.column, p.value) for p in found]
    [(1, 'role', 'boss')]
    """
    unreadable = unreadable or {}
    problems: list[Problem] = []
    for column in table.columns:
        values = data.column(column.name)
        if column.required:
            missing = np.asarray(pc.is_null(values))
            if column.name in unreadable:
                missing &= ~unreadable[column.name]
            problems.extend(
                Problem(table.name, int(i) + 1, column.name, None, "a value is required")
                for i in np.flatnonzero(missing)
            )
        if column.allowed is not None:
            outside = pc.and_(
                pc.is_valid(values), pc.invert(pc.is_in(values, pa.array(column.allowed)))
            )
            reason = "not one of: " + ", ".join(column.allowed)
            problems.extend(
                Problem(table.name, int(i) + 1, column.name, values[int(i)].as_py(), reason)
                for i in np.flatnonzero(np.asarray(outside))
            )
    for (when_column, when_value), needed in table.required_when.items():
        applies = pc.fill_null(pc.equal(data.column(when_column), when_value), False)
        lacking = pc.and_(applies, pc.is_null(data.column(needed)))
        reason = f"a value is required when {when_column} is {when_value!r}"
        problems.extend(
            Problem(table.name, int(i) + 1, needed, None, reason)
            for i in np.flatnonzero(np.asarray(lacking))
        )
    return problems


def _repeated_keys(table: FactTable, frame: pd.DataFrame) -> list[Problem]:
    keys = frame[list(table.key)]
    repeated = keys.duplicated(keep="first").to_numpy()
    if not repeated.any():
        return []
    first_row = keys.reset_index().groupby(list(table.key), dropna=False)["index"].transform("min")
    label = ", ".join(table.key)
    return [
        Problem(
            table.name,
            int(i) + 1,
            label,
            tuple(_plain(v) for v in keys.iloc[i]),
            f"the same key as row {int(first_row.iloc[i]) + 1} in this batch",
        )
        for i in np.flatnonzero(repeated)
    ]


def to_arrow(table: FactTable, frame: pd.DataFrame) -> pa.Table:
    """A validated frame as an Arrow table with exactly the declared schema."""
    schema = table.ibis_schema().to_pyarrow()
    arrays = [
        pa.array(frame[f.name], type=f.type, from_pandas=True)
        if f.type != pa.date32()
        else pa.array(list(frame[f.name]), type=f.type, from_pandas=True)
        for f in schema
    ]
    return pa.Table.from_arrays(arrays, schema=schema)
