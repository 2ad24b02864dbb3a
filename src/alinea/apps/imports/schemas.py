from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema


class ProblemOut(Schema):
    table: str
    row: int | None
    column: str | None
    value: Any
    reason: str


class ProblemsOut(Schema):
    detail: str
    problems: list[ProblemOut]


class BatchOut(Schema):
    table: str
    received: int
    inserted: int
    already_present: int
    batch_id: str
    import_id: int
    replayed: bool


class WebhookOut(Schema):
    event: str
    table: str
    inserted: int
    import_id: int


class ImportOut(Schema):
    id: int
    source: str
    status: str
    imported_by: str
    started_at: dt.datetime
    finished_at: dt.datetime
    batch_id: str
    mapping_name: str
    counts: dict[str, dict[str, int]]
    skipped_rows: int
    files: list[dict[str, Any]]
    rolled_back_at: dt.datetime | None


class MappingOut(Schema):
    name: str
    description: str
    built_in: bool
    based_on: str
    updated_at: dt.datetime | None
    definition: dict[str, Any]


class MappingCopyIn(Schema):
    name: str
    copy_of: str


class MappingChangeIn(Schema):
    name: str | None = None
    definition: dict[str, Any] | None = None
