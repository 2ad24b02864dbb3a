from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field


class TargetSchema(Schema):
    mqls: int = Field(..., ge=1)
    every: Literal["week", "month"]
    segment: str = ""
    region: str = ""


class ReasonSchema(Schema):
    outcome: Literal["rejected", "recycled"]
    code: str = Field(..., min_length=1, max_length=100)
    label: str = ""


class CalendarSchema(Schema):
    timezone: str
    hours: dict[str, list[str]] = Field(
        ..., description='weekday name → intervals, e.g. {"monday": ["09:00-17:00"]}'
    )
    scope: Literal["default", "team", "region"] = "default"
    key: str = ""
    country: str = ""
    subdivision: str = ""


class TermsSchema(Schema):
    quality_floor: float = Field(..., ge=0, le=1)
    first_response_hours: float = Field(..., gt=0)
    attempts: int = Field(..., ge=1)
    attempts_within_days: float = Field(..., gt=0)
    disposition_within_days: float = Field(..., gt=0)
    calendars: list[CalendarSchema] = Field(..., min_length=1)
    targets: list[TargetSchema] = []
    reasons: list[ReasonSchema] = []
    clock_starts: Literal["mql", "assignment"] = "mql"
    at_risk_share: float = Field(0.25, ge=0, le=1)
    unworked_after_days: float | None = Field(None, gt=0)
    rep_time_zones: bool = True
    note: str = ""


class PolicyOut(TermsSchema):
    id: int
    version: int
    status: str
    created_at: dt.datetime
    proposed_at: dt.datetime | None
    marketing_approved_by: str | None
    marketing_approved_at: dt.datetime | None
    sales_approved_by: str | None
    sales_approved_at: dt.datetime | None
    activated_at: dt.datetime | None
    retired_at: dt.datetime | None


class ApproveIn(Schema):
    side: Literal["marketing", "sales"]


class NowQuery(Schema):
    now: dt.datetime | None = Field(None, description="Evaluate the clocks at this instant.")


class ScorecardQuery(NowQuery):
    every: Literal["week", "month"] = "week"


class ComplianceQuery(ScorecardQuery):
    clock: Literal["response", "attempts", "disposition"] = "response"
    by: list[Literal["rep", "team", "region", "lead_region", "segment"]] = []


class InboxItemOut(Schema):
    lead_id: str
    mql_at: dt.datetime
    company: str
    segment: str
    region: str
    attempts: int
    clock: str
    status: str
    due_at: dt.datetime
    response_due_at: dt.datetime
    disposition_due_at: dt.datetime


class DispositionIn(Schema):
    outcome: Literal["accepted", "rejected", "recycled"]
    reason: str = ""


class AttemptIn(Schema):
    kind: Literal["call", "email", "meeting", "social"]
    outcome: str = ""


class FactOut(Schema):
    table: str
    row: dict[str, object]
