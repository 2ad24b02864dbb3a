"""API shapes of ``/api/definitions``."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Schema


class DefinitionOut(Schema):
    id: int
    stage: str
    version: int
    status: str
    note: str
    document: dict[str, Any]
    criteria: list[str]
    created_by: str | None
    created_at: dt.datetime
    proposed_at: dt.datetime | None
    marketing_approved_by: str | None
    marketing_approved_at: dt.datetime | None
    sales_approved_by: str | None
    sales_approved_at: dt.datetime | None
    activated_at: dt.datetime | None
    retired_at: dt.datetime | None


class StageOut(Schema):
    stage: str
    active: DefinitionOut | None
    latest: DefinitionOut


class CreateIn(Schema):
    stage: str
    document: dict[str, Any]
    note: str = ""


class EditIn(Schema):
    document: dict[str, Any]
    note: str | None = None


class ApproveIn(Schema):
    side: Literal["marketing", "sales"]


class DiffOut(Schema):
    old: int
    new: int
    lines: list[str]


class BacktestQuery(Schema):
    months: int = 12
    now: dt.datetime | None = None


class ExplainQuery(Schema):
    now: dt.datetime | None = None


class ReasonOut(Schema):
    criterion: str
    met: bool


class FactorOut(Schema):
    factor: str
    points: float


class ExplanationOut(Schema):
    lead_id: str
    version: str
    qualified: bool
    score: float | None
    reasons: list[ReasonOut]
    factors: list[FactorOut]
