"""Typed columns for ingestion: Arrow-backed text, ids and timezone-aware UTC timestamps.

The warehouse validator has fast paths for Arrow strings and ``datetime64[…, UTC]``; building the
columns this way keeps validation vectorised even for millions of rows.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def text(values: pa.Array) -> pd.Series:
    """An Arrow string array as a pandas text column (nulls stay missing)."""
    return pd.Series(pd.arrays.ArrowStringArray(values.cast(pa.string())))


def strings(values: Sequence[str | None]) -> pd.Series:
    """A short list of Python strings as a pandas text column."""
    return text(pa.array(list(values), type=pa.string()))


def labels(names: Sequence[str | None], codes: np.ndarray) -> pd.Series:
    """The text column whose row ``i`` is ``names[codes[i]]``; code -1 means missing."""
    codes = np.asarray(codes, dtype=np.int64)
    indices = pa.array(codes, mask=codes < 0)
    return text(pa.array(list(names), type=pa.string()).take(indices))


def numbered(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """``prefix`` followed by each number zero-padded to ``width`` digits, e.g. ``L0000042``."""
    digits = pc.utf8_lpad(pc.cast(pa.array(numbers, type=pa.int64()), pa.string()), width, "0")
    return pc.binary_join_element_wise(prefix, digits, "")


def ids(prefix: str, numbers: np.ndarray, width: int) -> pd.Series:
    """An id column such as ``L0000042``."""
    return text(numbered(prefix, numbers, width))


def sub_ids(
    prefix: str, numbers: np.ndarray, width: int, ranks: np.ndarray, rank_width: int
) -> pd.Series:
    """Ids of things that belong to a numbered parent, such as ``A0000042-03``."""
    rank = numbered("", ranks, rank_width)
    return text(pc.binary_join_element_wise(numbered(prefix, numbers, width), rank, "-"))


def utc(seconds: np.ndarray, present: np.ndarray | None = None) -> pd.Series:
    """Epoch seconds as a timezone-aware UTC column; missing where ``present`` is false."""
    stamps = np.asarray(seconds, dtype=np.int64).astype("datetime64[s]").astype("datetime64[us]")
    if present is not None:
        stamps = np.where(present, stamps, np.datetime64("NaT", "us"))
    return pd.Series(pd.DatetimeIndex(stamps, tz="UTC"))


def rank_within(groups: np.ndarray) -> np.ndarray:
    """0-based position of each row within its run of equal ``groups`` values (sorted input)."""
    n = len(groups)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    run_lengths = np.diff(np.r_[starts, n])
    return np.arange(n) - np.repeat(starts, run_lengths)
