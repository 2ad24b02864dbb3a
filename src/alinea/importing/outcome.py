"""What an import shows before committing (``Preview``) and leaves on record (``ImportRecord``).

Both are plain frozen dataclasses with ``to_dict()`` giving JSON-ready data, so that the app can
store them (the import history) and the API can return them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from alinea.importing.problems import ImportProblem

Status = Literal["imported", "unchanged", "already_imported"]


@dataclass(frozen=True)
class FileRecord:
    """One file of an import: where it was, its SHA-256, how it was read and how many rows it had.

    ``details`` says how it was read (encoding, delimiter, sheet); ``tables`` the fact tables its
    rows went to (empty for files the mapping reads nothing from).
    """

    name: str
    path: str
    sha256: str
    size: int
    format: str
    details: dict[str, str] = field(default_factory=dict)
    columns: tuple[str, ...] = ()
    rows: int = 0
    tables: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableCount:
    """Facts of one table in an import: distinct ``facts`` in the files, of which ``new`` are not
    in the warehouse yet (``None`` when the preview was not made against a warehouse)."""

    table: str
    facts: int
    new: int | None = None

    @property
    def already_present(self) -> int | None:
        return None if self.new is None else self.facts - self.new


@dataclass(frozen=True)
class Preview:
    """Everything an import would do, found without writing a fact.

    ``problems`` lists every problem up to a limit (``problem_count`` counts them all);
    ``skipped_rows`` is the number of source rows left out because of row-level problems, which a
    commit with ``skip_bad_rows`` leaves out and a commit without it refuses.
    """

    mapping: str
    files: tuple[FileRecord, ...]
    counts: dict[str, TableCount]
    problems: tuple[ImportProblem, ...]
    problem_count: int
    skipped_rows: int
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """No problem at all: a commit writes every row."""
        return self.problem_count == 0

    @property
    def skippable(self) -> bool:
        """Every problem is a bad row, so that skipping the bad rows makes the import possible."""
        return all(p.skippable for p in self.problems)

    def to_dict(self) -> dict[str, Any]:
        return {
            "mapping": self.mapping,
            "files": [asdict(f) for f in self.files],
            "counts": {k: asdict(v) for k, v in self.counts.items()},
            "problems": [p.to_dict() for p in self.problems],
            "problem_count": self.problem_count,
            "skipped_rows": self.skipped_rows,
            "notes": list(self.notes),
            "ok": self.ok,
            "skippable": self.skippable,
        }


@dataclass(frozen=True)
class TableResult:
    """Facts of one table in a committed import: ``facts`` in the files, ``inserted`` new ones."""

    table: str
    facts: int
    inserted: int


@dataclass(frozen=True)
class ImportRecord:
    """The record of one import, for the import history: who, when, which files (with hashes),
    the mapping used (in full), what was written, and which rows were skipped and why.

    ``batch_id`` tags every fact the import wrote; ``alinea.warehouse.rollback_batch`` with it
    undoes the whole import. ``status`` is ``imported`` (facts written), ``unchanged`` (every fact
    was already stored) or ``already_imported`` (this batch is in the warehouse; nothing was read).
    """

    batch_id: str
    status: Status
    mapping_name: str
    mapping: dict[str, Any]
    user: str | None
    started_at: dt.datetime
    finished_at: dt.datetime
    files: tuple[FileRecord, ...]
    tables: dict[str, TableResult]
    skipped_rows: int = 0
    skipped: tuple[ImportProblem, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def inserted(self) -> int:
        return sum(t.inserted for t in self.tables.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "batch_id": self.batch_id,
            "status": self.status,
            "mapping_name": self.mapping_name,
            "mapping": self.mapping,
            "user": self.user,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat(),
            "files": [asdict(f) for f in self.files],
            "tables": {k: asdict(v) for k, v in self.tables.items()},
            "skipped_rows": self.skipped_rows,
            "skipped": [p.to_dict() for p in self.skipped],
            "notes": list(self.notes),
        }
