from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router

from alinea.analytics.periods import Period
from alinea.apps.scoreboard.schemas import AsOfQuery, PeriodOut, ScoreboardOut, TrendOut
from alinea.apps.scoreboard.selectors import monthly_trend_for, scoreboard_for
from alinea.web.warehouse import get_warehouse

router = Router()


def _period(period: Period) -> PeriodOut:
    return PeriodOut(start=period.start, end=period.end, last_day=period.last_day)


@router.get("", response=ScoreboardOut, summary="Scoreboard: quarter to date vs previous quarter")
def scoreboard(request: HttpRequest, query: Query[AsOfQuery]) -> dict[str, Any]:
    """Each team's headline metrics from the first day of the quarter through ``today``, and over
    the same number of days from the start of the previous quarter. ``end`` is exclusive."""
    board = scoreboard_for(con=get_warehouse(), today=query.today or timezone.localdate())
    return {
        "today": board.today,
        "current_period": _period(board.current),
        "previous_period": _period(board.previous),
        "metrics": [
            {
                "metric": line.metric,
                "team": line.team,
                "current": line.current,
                "previous": line.previous,
                "change_pct": line.change_pct,
            }
            for line in board.lines
        ],
    }


@router.get("/trend", response=TrendOut, summary="Scoreboard metrics per month, last 12 months")
def trend(request: HttpRequest, query: Query[AsOfQuery]) -> dict[str, Any]:
    today = query.today or timezone.localdate()
    series = monthly_trend_for(con=get_warehouse(), today=today)
    points = [
        {"month": month, "metric": metric, "value": values[i]}
        for metric, values in series.values.items()
        for i, month in enumerate(series.months)
    ]
    return {"today": today, "points": points}
