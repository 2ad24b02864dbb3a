"""Named transformations a mapping rule can apply to a column (a registry, one function each).

Each takes the column (Arrow) and the rule's ``args`` and returns the new column and the mask of
values it could not transform.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from alinea.importing.values import dates
from alinea.importing.values.decimals import to_numbers

Applied = tuple[pa.Array, np.ndarray]


@dataclass(frozen=True)
class Function:
    name: str
    meaning: str
    args: tuple[str, ...]
    apply: Callable[[pa.Array, dict[str, str]], Applied]


def _text(values: pa.Array) -> pa.Array:
    return values if pa.types.is_string(values.type) else pc.cast(values, pa.string())


def _slug(values: pa.Array, args: dict[str, str]) -> Applied:
    """``"Dustin Brinkmann"`` → ``"dustin-brinkmann"``; accents folded (``Peña`` → ``pena``)."""
    encoded = pc.dictionary_encode(_text(values))
    words = [_slug_one(v) for v in encoded.dictionary.to_pylist()]
    slugs = pc.take(pa.array(words, pa.string()), encoded.indices)
    return slugs, np.zeros(len(values), bool)


def _slug_one(text: str) -> str | None:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    return slug or None


def _lower(values: pa.Array, args: dict[str, str]) -> Applied:
    return pc.utf8_lower(_text(values)), np.zeros(len(values), bool)


def _sequence_time(values: pa.Array, args: dict[str, str]) -> Applied:
    """``origin`` + value × ``step``: a deterministic instant for data without timestamps."""
    from alinea.importing.mapping import parse_duration

    origin = dt.datetime.fromisoformat(args["origin"])
    step = parse_duration(args["step"])
    numbers, bad = to_numbers(_text(values), ".")
    micros = np.asarray(pc.fill_null(numbers, 0)) * (step / dt.timedelta(microseconds=1))
    start = int((origin - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)) / dt.timedelta(microseconds=1))
    stamps = pa.array(
        start + micros.astype(np.int64), pa.int64(), mask=np.asarray(pc.is_null(numbers))
    )
    return stamps.cast(pa.timestamp("us", "UTC")), bad


FUNCTIONS: dict[str, Function] = {
    f.name: f
    for f in (
        Function(
            "slug", "lower-case id from a name: 'Dustin Brinkmann' → 'dustin-brinkmann'", (), _slug
        ),
        Function("lower", "lower-case text", (), _lower),
        Function(
            "sequence_time",
            "instant origin + value × step (origin: ISO instant with zone, step: ISO duration)",
            ("origin", "step"),
            _sequence_time,
        ),
    )
}


def check(name: str, args: dict[str, str]) -> None:
    """Refuse an unknown function or missing/extra arguments, naming what is allowed."""
    if name not in FUNCTIONS:
        raise ValueError(f"unknown function {name!r}; the functions are: {', '.join(FUNCTIONS)}")
    wanted = set(FUNCTIONS[name].args)
    if set(args) != wanted:
        raise ValueError(f"function {name!r} takes the arguments {sorted(wanted) or 'none'}")
    if name == "sequence_time":
        origin = dt.datetime.fromisoformat(args["origin"])
        if origin.tzinfo is None:
            raise ValueError("sequence_time: origin needs a time zone, e.g. 2018-01-01T00:00:00Z")


def apply(name: str, values: pa.Array, args: dict[str, str]) -> Applied:
    return FUNCTIONS[name].apply(values, args)


__all__ = ["FUNCTIONS", "Function", "apply", "check", "dates"]
