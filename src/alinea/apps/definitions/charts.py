"""The backtest chart as an HTML fragment (plotly.js is served from our static files)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from django.utils.translation import gettext as _

from alinea.apps.scoreboard.charts import _layout

_CONFIG = {"displayModeBar": False, "responsive": True}


def backtest_chart(months: pd.DataFrame) -> str:
    """Would-be MQLs per month for each version (bars) and how many became customers (lines)."""
    figure = go.Figure(layout=_layout())
    for version, rows in months.groupby("version", sort=True):
        x = [pd.Timestamp(m).strftime("%Y-%m") for m in rows["month"]]
        figure.add_trace(go.Bar(x=x, y=list(rows["mqls"]), name=_("MQLs, %s") % version))
        figure.add_trace(
            go.Scatter(
                x=x,
                y=list(rows["became_customer"]),
                name=_("became customers, %s") % version,
                mode="lines+markers",
            )
        )
    figure.update_layout(barmode="group")
    html: str = figure.to_html(
        full_html=False, include_plotlyjs=False, config=_CONFIG, div_id="chart-backtest"
    )
    return html
