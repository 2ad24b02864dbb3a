"""The scorecard's charts as HTML fragments (plotly.js is served from our static files)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go
from django.utils import formats
from django.utils.translation import gettext as _

from alinea.apps.scoreboard.charts import _layout
from alinea.apps.sla.labels import CLOCK_LABELS
from alinea.apps.sla.scorecard import Scorecard

_CONFIG = {"displayModeBar": False, "responsive": True}
CLOCK_COLOURS = {"response": "#2563eb", "attempts": "#d97706", "disposition": "#059669"}


def _day(value: Any) -> str:
    return formats.date_format(pd.Timestamp(value).date(), "SHORT_DATE_FORMAT")


def _html(figure: go.Figure, div_id: str) -> str:
    html: str = figure.to_html(
        full_html=False, include_plotlyjs=False, config=_CONFIG, div_id=div_id
    )
    return html


def _percent_axis(figure: go.Figure) -> None:
    figure.update_yaxes(tickformat=".0%", range=[0, 1.05], rangemode="normal")


def delivery_chart(card: Scorecard) -> str:
    """MQLs delivered against the commitment, per period, for each delivery target."""
    figure = go.Figure(layout=_layout())
    for _key, rows in card.delivery.groupby("target", sort=True):
        first = rows.iloc[0]
        label = f"{first['segment'] or _('all segments')} · {first['region'] or _('all regions')}"
        x = [pd.Timestamp(d).date().isoformat() for d in rows["period_start"]]
        days = 7 if first["every"] == "week" else 30
        figure.add_trace(
            go.Bar(
                x=x,
                y=list(rows["delivered"]),
                name=_("Delivered: %s") % label,
                width=[days * 0.8 * 86_400_000] * len(x),
                offset=0,
            )
        )
        figure.add_trace(
            go.Scatter(
                x=x,
                y=list(rows["committed"]),
                name=_("Committed: %s") % label,
                mode="lines",
                line={"dash": "dash"},
            )
        )
    figure.update_xaxes(type="date")  # weekly and monthly targets share one time axis
    return _html(figure, "chart-delivery")


def acceptance_chart(card: Scorecard) -> str:
    """Share of dispositioned MQLs sales accepted, per period, against the quality floor."""
    figure = go.Figure(layout=_layout())
    rows = card.acceptance
    x = [_day(d) for d in rows["period_start"]]
    rate = [None if pd.isna(v) else float(v) for v in rows["acceptance_rate"]]
    figure.add_trace(
        go.Scatter(
            x=x, y=rate, name=_("Acceptance rate"), mode="lines+markers", line={"color": "#7c3aed"}
        )
    )
    figure.add_trace(
        go.Scatter(
            x=x,
            y=list(rows["quality_floor"]),
            name=_("Quality floor"),
            mode="lines",
            line={"dash": "dash", "color": "#64748b"},
        )
    )
    _percent_axis(figure)
    return _html(figure, "chart-acceptance")


def compliance_chart(card: Scorecard) -> str:
    """Compliance rate of each sales clock per period."""
    figure = go.Figure(layout=_layout())
    for clock, rows in card.compliance_trend.groupby("clock", sort=False):
        rate = [None if pd.isna(v) else float(v) for v in rows["compliance_rate"]]
        figure.add_trace(
            go.Scatter(
                x=[_day(d) for d in rows["period_start"]],
                y=rate,
                name=str(CLOCK_LABELS[str(clock)]),
                mode="lines+markers",
                line={"color": CLOCK_COLOURS[str(clock)]},
            )
        )
    _percent_axis(figure)
    return _html(figure, "chart-compliance")


def histogram_chart(card: Scorecard) -> str:
    """First responses per business-hours bin."""
    rows = card.histogram
    labels = [
        f"{lo:g}–{hi:g} h" if not pd.isna(hi) else f"≥ {lo:g} h"
        for lo, hi in zip(rows["lower_hours"], rows["upper_hours"], strict=True)
    ]
    figure = go.Figure(layout=_layout())
    figure.add_trace(
        go.Bar(x=labels, y=list(rows["count"]), name=_("First responses"), marker_color="#2563eb")
    )
    figure.update_layout(showlegend=False)
    return _html(figure, "chart-histogram")


def pareto_chart(card: Scorecard) -> str:
    """Rejection and recycle reasons, most frequent first, with the cumulative share."""
    rows = card.pareto
    labels = [f"{r} ({o})" for o, r in zip(rows["outcome"], rows["reason"], strict=True)]
    figure = go.Figure(layout=_layout())
    figure.add_trace(
        go.Bar(x=labels, y=list(rows["count"]), name=_("MQLs"), marker_color="#d97706")
    )
    figure.add_trace(
        go.Scatter(
            x=labels,
            y=list(rows["cumulative_share"]),
            name=_("Cumulative share"),
            yaxis="y2",
            mode="lines+markers",
            line={"color": "#334155"},
        )
    )
    figure.update_layout(
        yaxis2={"overlaying": "y", "side": "right", "tickformat": ".0%", "range": [0, 1.05]},
    )
    return _html(figure, "chart-pareto")
