from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field


class AsOfQuery(Schema):
    today: dt.date | None = Field(
        None, description="The day to report through (YYYY-MM-DD); default: today."
    )


class PeriodOut(Schema):
    start: dt.date
    end: dt.date
    last_day: dt.date


class ScoreboardMetricOut(Schema):
    metric: str
    team: str
    current: float
    previous: float
    change_pct: float | None


class ScoreboardOut(Schema):
    today: dt.date
    current_period: PeriodOut
    previous_period: PeriodOut
    metrics: list[ScoreboardMetricOut]


class TrendPointOut(Schema):
    month: dt.date
    metric: str
    value: float


class TrendOut(Schema):
    today: dt.date
    points: list[TrendPointOut]
