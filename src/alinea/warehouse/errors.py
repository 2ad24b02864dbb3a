"""Errors the warehouse raises: each names what is wrong so a person can fix it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class WarehouseError(Exception):
    """Base class of the warehouse's errors."""


class WarehouseURLError(WarehouseError, ValueError):
    """A warehouse URL that cannot be opened, with the reason."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data handed to ``ingest``.

    ``row`` is the 1-based position of the record in the batch (``None`` when the problem concerns a
    whole column), ``column`` the fact column, ``value`` the offending value as given.
    """

    table: str
    row: int | None
    column: str | None
    value: Any
    reason: str

    def __str__(self) -> str:
        where = [self.table]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        shown = "" if self.value is None else f" (value {self.value!r})"
        return f"{', '.join(where)}: {self.reason}{shown}"


class IngestError(WarehouseError, ValueError):
    """Data refused as a whole: nothing was written. ``problems`` lists every issue found."""

    SHOWN = 50

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = [str(p) for p in problems[: self.SHOWN]]
        if len(problems) > self.SHOWN:
            lines.append(f"… and {len(problems) - self.SHOWN} more problems")
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        super().__init__(f"nothing was written; {count}:\n  " + "\n  ".join(lines))
