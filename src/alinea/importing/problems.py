"""What is wrong with an import, said so that a person can find it in the file and fix it."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from alinea.importing.outcome import Preview


@dataclass(frozen=True)
class ImportProblem:
    """One problem found while reading and mapping files.

    ``line`` is where the row is as a person sees it: the line in a CSV/TSV/JSON Lines file (the
    header is line 1), the row number in a spreadsheet, the 1-based record in a Parquet file.
    ``line`` is ``None`` for problems of a whole column or file (a missing column, ambiguous dates,
    a time zone that is needed): those are fixed in the mapping and can never be skipped.
    ``column`` is the source column as named in the file (or ``table.column`` when the fact column
    is not read from one), ``value`` the value as found, ``table`` the fact table concerned.
    """

    file: str
    line: int | None
    column: str | None
    value: Any
    reason: str
    table: str | None = None

    @property
    def skippable(self) -> bool:
        """Whether skipping the bad row would remove the problem (row-level problems only)."""
        return self.line is not None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["value"] = _plain(self.value)
        return data

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        shown = "" if self.value is None else f" (value {_plain(self.value)!r})"
        return f"{', '.join(where)}: {self.reason}{shown}"


def _plain(value: Any) -> Any:
    """A JSON-friendly form of a problem value (keys are tuples, times are datetimes)."""
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


class ImportRefused(ValueError):
    """The import was not committed: nothing was written. ``preview`` holds every problem."""

    SHOWN = 20

    def __init__(self, preview: Preview, why: str) -> None:
        self.preview = preview
        self.why = why
        lines = [str(p) for p in preview.problems[: self.SHOWN]]
        if preview.problem_count > self.SHOWN:
            lines.append(f"… and {preview.problem_count - self.SHOWN} more problems")
        super().__init__(f"nothing was written: {why}:\n  " + "\n  ".join(lines))
