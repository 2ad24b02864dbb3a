"""API shapes of ``/api/goals``. Ratios are fractions (0.25 = 25 %); periods give the last day."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema


class GoalIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    why: str = ""
    owner: str = Field(description="marketing, sales or joint")
    metric: str = Field(description="a metric of /api/metrics")
    segment: dict[str, list[str]] = Field(default_factory=dict)
    target_kind: str = Field(description="absolute, relative (+5 = +5 %) or points (+5 = +5 pp)")
    target_amount: float
    period_start: dt.date
    period_last_day: dt.date
    cadence_days: int | None = Field(default=None, ge=1)
    window_days: int = Field(default=90, ge=1)


class GoalPatch(Schema):
    title: str | None = None
    why: str | None = None
    owner: str | None = None
    metric: str | None = None
    segment: dict[str, list[str]] | None = None
    target_kind: str | None = None
    target_amount: float | None = None
    period_start: dt.date | None = None
    period_last_day: dt.date | None = None
    cadence_days: int | None = Field(default=None, ge=1)
    window_days: int | None = Field(default=None, ge=1)


class GoalOut(GoalIn):
    id: int
    baseline_value: float | None
    baseline_description: str
    created_at: dt.datetime


class InitiativeIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    owner: str = ""
    due: dt.date | None = None


class InitiativeOut(InitiativeIn):
    id: int
    status: str


class TextIn(Schema):
    description: str = Field(min_length=1)


class ResourceNeedIn(TextIn):
    kind: str = Field(description="information, data, analysis, people or budget")


class AskIn(Schema):
    asked_team: str = Field(description="marketing or sales")
    request: str = Field(min_length=1)


class AskOut(AskIn):
    id: int
    status: str
    comment: str
    answered_at: dt.datetime | None


class AnswerIn(Schema):
    accept: bool
    comment: str = ""


class LinkIn(Schema):
    supports: int = Field(description="id of the goal this one supports")


class CheckInIn(Schema):
    confidence: int = Field(ge=0, le=10)
    comment: str = ""


class CheckInOut(CheckInIn):
    id: int
    at: dt.datetime
    metric_value: float | None


class LetterOut(Schema):
    letter: str
    name: str
    passed: bool
    reason: str = Field(description="in English; translate by message and params")
    message: str = Field(description="the reason's message id")
    params: dict[str, str | int]


class PointOut(Schema):
    day: dt.date
    actual: float | None
    pace: float | None


class EvaluationOut(Schema):
    now: dt.datetime
    unit: str
    direction: str
    baseline: float | None
    baseline_description: str
    target: float | None
    target_text: str
    current: float | None
    probability: float | None
    forecast: float | None
    forecast_low: float | None
    forecast_high: float | None
    interval: float
    status: str
    maturing: int
    points: list[PointOut]
    smart: list[LetterOut]
    fast: list[LetterOut]


class GoalDetailOut(GoalOut):
    initiatives: list[InitiativeOut]
    obstacles: list[str]
    resource_needs: list[ResourceNeedIn]
    asks: list[AskOut]
    supports: list[int]
    check_ins: list[CheckInOut]
    evaluation: EvaluationOut


class NowQuery(Schema):
    now: dt.datetime | None = Field(default=None, description="evaluate as of (default: now)")


class PlanQuery(NowQuery):
    lookback_days: int = Field(default=182, ge=7, description="days the rates are measured over")
    sla_mqls_per_week: float | None = Field(default=None, ge=0)
    reps: int | None = Field(default=None, ge=1)
    mqls_per_rep_per_week: float | None = Field(default=None, gt=0)


class StageNeedOut(Schema):
    stage: str
    total: float
    per_week: float
    lead_days: float
    arrive_from: dt.date
    arrive_until: dt.date


class GapOut(Schema):
    about: str
    ratio: float
    difference_per_week: float
    sentence: str
    proposal: str
    message: str = Field(description="the sentence's message id, for translation")
    proposal_message: str
    params: dict[str, str]


class PlanOut(Schema):
    goal_kind: str
    goal: float
    average_deal_size: float | None
    rates: dict[str, float]
    cycle_days: dict[str, float]
    needs: list[StageNeedOut]
    gaps: list[GapOut]
    proposals: dict[str, dict[str, Any]] = Field(
        description="by gap (``about``, or ``missing_mqls``): goal fields that would close it"
    )


class ChangeIn(Schema):
    """New values for what the goal promises (only the ones that change are needed)."""

    reason: str = ""
    metric: str | None = None
    segment: dict[str, list[str]] | None = None
    target_kind: str | None = None
    target_amount: float | None = None
    period_start: dt.date | None = None
    period_last_day: dt.date | None = None


class ChangeOut(Schema):
    id: int
    status: str
    reason: str
    before: dict[str, Any]
    changes: dict[str, Any]
    marketing_approved_at: dt.datetime | None
    sales_approved_at: dt.datetime | None
    applied_at: dt.datetime | None


class SignIn(Schema):
    side: str = Field(description="marketing or sales: the team the signing lead speaks for")
