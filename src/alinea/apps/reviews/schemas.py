"""API shapes of ``/api/reviews``: goal-setting sessions and joint reviews. Times in seconds."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema


class SessionIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    held_on: dt.date
    budget_minutes: int = Field(ge=2, description="split equally between marketing and sales")
    participants: list[int] = Field(description="user ids; someone from each team")
    goals: list[int] = Field(min_length=1, description="goal ids, in agenda order")


class TimeUsedOut(Schema):
    marketing: float
    sales: float


class SessionAnswerOut(Schema):
    goal_id: int
    question: str
    kind: str
    text: str
    recorded_at: dt.datetime


class DecisionOut(Schema):
    id: int
    text: str
    recorded_at: dt.datetime
    recorded_by: str | None


class SessionOut(Schema):
    id: int
    title: str
    held_on: dt.date
    status: str
    budget_minutes: int
    seconds_per_team: float
    running_team: str
    goals: list[int]
    participants: list[int]


class SessionDetailOut(SessionOut):
    time_used: TimeUsedOut
    answers: list[SessionAnswerOut]
    decisions: list[DecisionOut]
    closed_at: dt.datetime | None


class AnswersIn(Schema):
    """The five questions for one goal; every list item becomes one initiative, obstacle,
    resource need or ask."""

    title: str | None = Field(None, max_length=200, description="what: a new title, or null")
    why: str | None = Field(None, description="why it matters: new text, or null")
    initiatives: list[str] = Field(default_factory=list)
    obstacles: list[str] = Field(default_factory=list)
    resource_kind: str = Field("information", description="information, data, analysis, …")
    resources: list[str] = Field(default_factory=list)
    asked_team: str = Field("", description="marketing or sales (needed with asks)")
    asks: list[str] = Field(default_factory=list)


class TimerIn(Schema):
    team: str | None = Field(None, description="marketing or sales to start its timer; null stops")


class DecisionIn(Schema):
    text: str = Field(min_length=1)


class ReviewIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    scheduled_for: dt.date
    participants: list[int] = Field(description="user ids; someone from each team")


class ReviewOut(Schema):
    id: int
    title: str
    scheduled_for: dt.date
    status: str
    opened_at: dt.datetime | None
    closed_at: dt.datetime | None
    participants: list[int]


class ReviewDetailOut(ReviewOut):
    agenda: dict[str, Any] = Field(
        description="frozen when the review opened; built from the data now while planned"
    )
    closing: dict[str, Any] | None = Field(description="the numbers frozen when it closed")
    decisions: list[DecisionOut]
