"""Convert a column of source values to the declared type of a fact column.

One converter per fact column type (a registry), each accepting text (CSV, spreadsheets, JSON) or
values that already have a type (Parquet, spreadsheet numbers and dates). Each returns the typed
Arrow array, the values it could not read, and the values that lack a needed time zone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from alinea.importing.values import dates, decimals
from alinea.importing.values.dates import DateOrder
from alinea.importing.values.decimals import DecimalMark

_UTC = pa.timestamp("us", "UTC")


@dataclass(frozen=True)
class Reading:
    """How to read the values of one source column."""

    order: DateOrder = "dmy"
    decimal: DecimalMark = "."
    timezone: str | None = None


@dataclass(frozen=True)
class Converted:
    array: pa.Array
    bad: np.ndarray
    naive: np.ndarray


REASONS: dict[str, str] = {
    "string": "expected text",
    "int64": "not a whole number",
    "float64": "not a number",
    "boolean": "not a yes/no value (true/false, yes/no, 1/0)",
    "timestamp": "not a date or time",
    "date": "not a date",
}


def convert(values: pa.Array, kind: str, reading: Reading) -> Converted:
    """``values`` as fact column type ``kind`` (see ``REASONS`` for the kinds)."""
    return CONVERTERS[kind](values, reading)


def _none(n: int) -> np.ndarray:
    return np.zeros(n, bool)


def _present(values: pa.Array) -> np.ndarray:
    return np.asarray(pc.is_valid(values))


def _is_text(values: pa.Array) -> bool:
    return pa.types.is_string(values.type) or pa.types.is_large_string(values.type)


def _to_text(values: pa.Array, reading: Reading) -> Converted:
    if _is_text(values):
        return Converted(values.cast(pa.string()), _none(len(values)), _none(len(values)))
    if pa.types.is_floating(values.type):
        integral = pc.fill_null(pc.equal(pc.floor(values), values), False)
        whole = pc.cast(pc.if_else(integral, values, None), pa.int64(), safe=False)
        text = pc.if_else(integral, pc.cast(whole, pa.string()), pc.cast(values, pa.string()))
        return Converted(text, _none(len(values)), _none(len(values)))
    if pa.types.is_boolean(values.type):
        text = pc.if_else(values, "true", "false")
        return Converted(text, _none(len(values)), _none(len(values)))
    return Converted(pc.cast(values, pa.string()), _none(len(values)), _none(len(values)))


def _to_float(values: pa.Array, reading: Reading) -> Converted:
    if _is_text(values):
        numbers, bad = decimals.to_numbers(values, reading.decimal)
        return Converted(numbers, bad, _none(len(values)))
    if pa.types.is_integer(values.type) or pa.types.is_floating(values.type):
        return Converted(pc.cast(values, pa.float64()), _none(len(values)), _none(len(values)))
    return _refused(values, pa.float64())


def _to_int(values: pa.Array, reading: Reading) -> Converted:
    if pa.types.is_integer(values.type):
        return Converted(pc.cast(values, pa.int64()), _none(len(values)), _none(len(values)))
    numbers = _to_float(values, reading)
    whole = np.asarray(pc.fill_null(pc.equal(pc.floor(numbers.array), numbers.array), True))
    bad = numbers.bad | ~whole
    kept = pc.if_else(pa.array(~bad), numbers.array, None)
    return Converted(pc.cast(kept, pa.int64(), safe=False), bad, numbers.naive)


_TRUE = ("true", "t", "yes", "y", "1", "si", "sí", "verdadero", "x")
_FALSE = ("false", "f", "no", "n", "0", "falso")


def _to_boolean(values: pa.Array, reading: Reading) -> Converted:
    if pa.types.is_boolean(values.type):
        return Converted(values, _none(len(values)), _none(len(values)))
    text = pc.utf8_lower(pc.utf8_trim_whitespace(_to_text(values, reading).array))
    truthy, falsy = pc.is_in(text, pa.array(_TRUE)), pc.is_in(text, pa.array(_FALSE))
    known = pc.or_(truthy, falsy)
    result = pc.if_else(known, truthy, None)
    return Converted(result, _present(values) & ~np.asarray(known), _none(len(values)))


def _to_timestamp(values: pa.Array, reading: Reading) -> Converted:
    if _is_text(values):
        instants = dates.to_instants(values, reading.order, reading.timezone)
        return Converted(instants.array, instants.bad, instants.naive)
    if pa.types.is_date(values.type):
        values = pc.cast(values, pa.timestamp("us"))
    if pa.types.is_timestamp(values.type):
        return _stamps(values, reading)
    return _refused(values, _UTC)


def _stamps(values: pa.Array, reading: Reading) -> Converted:
    stamps = pc.cast(values, pa.timestamp("us", values.type.tz))
    if stamps.type.tz is not None:
        return Converted(pc.cast(stamps, _UTC), _none(len(values)), _none(len(values)))
    if reading.timezone is None:
        return Converted(pa.nulls(len(values), _UTC), _none(len(values)), _present(values))
    local = np.asarray(pc.fill_null(pc.cast(stamps, pa.int64()), 0))
    utc = dates.localize(local, reading.timezone)
    array = pa.array(utc, pa.int64(), mask=~_present(values)).cast(_UTC)
    return Converted(array, _none(len(values)), _none(len(values)))


def _to_date(values: pa.Array, reading: Reading) -> Converted:
    if _is_text(values):
        days, bad = dates.to_dates(values, reading.order)
        return Converted(days, bad, _none(len(values)))
    if pa.types.is_timestamp(values.type) or pa.types.is_date(values.type):
        return Converted(pc.cast(values, pa.date32()), _none(len(values)), _none(len(values)))
    return _refused(values, pa.date32())


def _refused(values: pa.Array, kind: pa.DataType) -> Converted:
    return Converted(pa.nulls(len(values), kind), _present(values), _none(len(values)))


CONVERTERS: dict[str, Callable[[pa.Array, Reading], Converted]] = {
    "string": _to_text,
    "int64": _to_int,
    "float64": _to_float,
    "boolean": _to_boolean,
    "timestamp": _to_timestamp,
    "date": _to_date,
}
