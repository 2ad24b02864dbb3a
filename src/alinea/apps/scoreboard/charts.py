"""The scoreboard's charts as HTML fragments (plotly.js itself is served from our static files).

Titles are the page's own headings; the figures carry only axes, traces and legend.
"""

from __future__ import annotations

import plotly.graph_objects as go
from django.utils import formats

from alinea.apps.scoreboard.labels import METRIC_LABELS
from alinea.apps.scoreboard.selectors import Trend

VOLUME_METRICS = ("leads", "mqls", "sqls", "opportunities", "customers")
PALETTE = {
    "leads": "#2563eb",
    "mqls": "#7c3aed",
    "sqls": "#0891b2",
    "opportunities": "#d97706",
    "customers": "#059669",
    "won_revenue": "#059669",
}
# no mode bar: its tooltips exist only in English in the bundled plotly.js
_CONFIG = {"displayModeBar": False, "responsive": True}


def _month_labels(trend: Trend) -> list[str]:
    return [formats.date_format(month, "M Y") for month in trend.months]


def _layout() -> dict[str, object]:
    return {
        "margin": {"l": 48, "r": 16, "t": 36, "b": 40},
        "height": 300,
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "font": {"family": "Inter, system-ui, sans-serif", "color": "#334155", "size": 12},
        "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
        "xaxis": {"type": "category", "gridcolor": "#e2e8f0"},
        "yaxis": {"gridcolor": "#e2e8f0", "rangemode": "tozero", "separatethousands": True},
        "separators": formats.get_format("DECIMAL_SEPARATOR")
        + formats.get_format("THOUSAND_SEPARATOR"),
        "hovermode": "x unified",
    }


def volume_chart(trend: Trend) -> str:
    """Leads, MQLs, SQLs, opportunities and customers per month, one line each."""
    months = _month_labels(trend)
    figure = go.Figure(layout=_layout())
    for metric in VOLUME_METRICS:
        figure.add_trace(
            go.Scatter(
                x=months,
                y=list(trend.values[metric]),
                name=str(METRIC_LABELS[metric]),
                mode="lines+markers",
                line={"color": PALETTE[metric], "width": 2},
            )
        )
    return _html(figure, "chart-volume")


def revenue_chart(trend: Trend) -> str:
    """Won revenue per month, as bars."""
    figure = go.Figure(layout=_layout())
    figure.add_trace(
        go.Bar(
            x=_month_labels(trend),
            y=list(trend.values["won_revenue"]),
            name=str(METRIC_LABELS["won_revenue"]),
            marker_color=PALETTE["won_revenue"],
        )
    )
    figure.update_layout(showlegend=False, margin={"t": 16})
    return _html(figure, "chart-revenue")


def _html(figure: go.Figure, div_id: str) -> str:
    html: str = figure.to_html(
        full_html=False, include_plotlyjs=False, config=_CONFIG, div_id=div_id
    )
    return html
