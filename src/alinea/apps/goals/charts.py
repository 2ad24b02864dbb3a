"""The goal page's progress chart: actual vs pace line, the target and the forecast interval."""

from __future__ import annotations

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from alinea.analytics.goals import GoalEvaluation

_CONFIG = {"displayModeBar": False, "responsive": True}


def progress_chart(result: GoalEvaluation) -> str:
    points = result.progress.points
    end = result.spec.period.end
    figure = go.Figure(
        layout={
            "margin": {"l": 48, "r": 16, "t": 24, "b": 40},
            "height": 320,
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)",
            "legend": {"orientation": "h", "y": 1.08},
            "yaxis": {"gridcolor": "#e2e8f0", "rangemode": "tozero"},
        }
    )
    days = [p.day.isoformat() for p in points]
    figure.add_trace(
        go.Scatter(x=days, y=[p.actual for p in points], name=_("Actual"), mode="lines+markers")
    )
    if result.target is not None:
        start = result.spec.period.start.isoformat()
        first = points[0].pace
        figure.add_trace(
            go.Scatter(
                x=[start, end.isoformat()],
                y=[first, result.target],
                name=_("Pace to the target"),
                mode="lines",
                line={"dash": "dash"},
            )
        )
    forecast = result.forecast
    if forecast.forecast is not None and forecast.low is not None and forecast.high is not None:
        figure.add_trace(
            go.Scatter(
                x=[end.isoformat()],
                y=[forecast.forecast],
                name=_("Forecast (likely range)"),
                mode="markers",
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": [forecast.high - forecast.forecast],
                    "arrayminus": [forecast.forecast - forecast.low],
                },
            )
        )
    html: str = figure.to_html(
        full_html=False, include_plotlyjs=False, config=_CONFIG, div_id="chart-progress"
    )
    return html
