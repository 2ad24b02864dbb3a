"""Rows of a fact table while it is being generated: equal-length numpy columns of codes and times.

Simulation code works on integer codes (positions in a label list) and epoch seconds; only
``facts`` turns them into the text and timestamps the warehouse stores.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Rows:
    columns: dict[str, np.ndarray]

    def __len__(self) -> int:
        return len(next(iter(self.columns.values()))) if self.columns else 0

    def __getitem__(self, name: str) -> np.ndarray:
        return self.columns[name]

    def where(self, mask: np.ndarray) -> Rows:
        """The rows where ``mask`` holds."""
        return Rows({name: values[mask] for name, values in self.columns.items()})

    def ordered(self, *keys: str) -> Rows:
        """The rows sorted by the given columns (first key most significant)."""
        order = np.lexsort(tuple(self.columns[k] for k in reversed(keys)))
        return Rows({name: values[order] for name, values in self.columns.items()})

    @staticmethod
    def concat(parts: Sequence[Rows]) -> Rows:
        """All rows of ``parts`` (which have the same columns), in order."""
        names = parts[0].columns.keys()
        return Rows({n: np.concatenate([p.columns[n] for p in parts]) for n in names})


def rows(**columns: np.ndarray | int | float) -> Rows:
    """Rows from columns; scalars are repeated to the length of the array columns."""
    length = max(np.size(v) for v in columns.values() if np.ndim(v) > 0)
    return Rows({k: np.broadcast_to(np.asarray(v), (length,)).copy() for k, v in columns.items()})
