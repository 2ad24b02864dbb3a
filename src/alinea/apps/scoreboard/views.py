from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from alinea.apps.scoreboard import charts
from alinea.apps.scoreboard.labels import METRIC_HELP, METRIC_LABELS, TEAM_LABELS
from alinea.apps.scoreboard.selectors import TEAMS, monthly_trend_for, scoreboard_for
from alinea.web.warehouse import get_warehouse


def scoreboard_page(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    con = get_warehouse()
    board = scoreboard_for(con=con, today=today)
    trend = monthly_trend_for(con=con, today=today)
    teams = [
        {
            "key": team,
            "label": TEAM_LABELS[team],
            "lines": [
                {
                    "line": line,
                    "label": METRIC_LABELS[line.metric],
                    "help": METRIC_HELP[line.metric],
                }
                for line in board.for_team(team)
            ],
        }
        for team in TEAMS
    ]
    context = {
        "board": board,
        "teams": teams,
        "volume_chart": charts.volume_chart(trend),
        "revenue_chart": charts.revenue_chart(trend),
    }
    return render(request, "scoreboard/index.html", context)
