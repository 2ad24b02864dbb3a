"""Reading values as people write them: dates, instants and numbers, converted to fact types."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

import numpy as np
import pyarrow as pa

T = TypeVar("T")


@dataclass(frozen=True)
class Decision(Generic[T]):
    """How to read a column, as decided from its values: the choice, a note for the preview
    (how the choice was made), or a problem when the values do not allow a choice."""

    choice: T
    note: str | None = None
    problem: str | None = None


def first_example(values: pa.Array, lines: np.ndarray, mask: np.ndarray) -> tuple[str, int] | None:
    """The first value where ``mask`` holds, with its line, to quote in a note or a problem."""
    hits = np.flatnonzero(mask)
    if not len(hits):
        return None
    first = int(hits[0])
    return str(values[first].as_py()), int(lines[first])
