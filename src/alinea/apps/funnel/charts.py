"""The funnel page's charts as HTML fragments (plotly.js is served from our static files).

Charts only draw rows the selectors already read; every number in them is also in a table on the
page, where it links to its leads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go
from django.utils import formats
from django.utils.translation import gettext as _

from alinea.apps.funnel.labels import stage_label, value_label
from alinea.apps.funnel.selectors import Row, Timing

PALETTE = ("#2563eb", "#7c3aed", "#0891b2", "#d97706", "#059669", "#db2777", "#65a30d", "#475569")
# no mode bar: its tooltips exist only in English in the bundled plotly.js
_CONFIG = {"displayModeBar": False, "responsive": True}


def _layout(height: int = 320) -> dict[str, Any]:
    return {
        "margin": {"l": 56, "r": 16, "t": 24, "b": 48},
        "height": height,
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "font": {"family": "Inter, system-ui, sans-serif", "color": "#334155", "size": 12},
        "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
        "separators": formats.get_format("DECIMAL_SEPARATOR")
        + formats.get_format("THOUSAND_SEPARATOR"),
    }


def _html(figure: go.Figure, div_id: str) -> str:
    html: str = figure.to_html(
        full_html=False, include_plotlyjs=False, config=_CONFIG, div_id=div_id
    )
    return html


def period_label(period: dt.date, grain: str) -> str:
    if grain == "month":
        return formats.date_format(period, "M Y")
    if grain == "quarter":
        return _("Q%(quarter)s %(year)s") % {
            "quarter": (period.month - 1) // 3 + 1,
            "year": period.year,
        }
    return formats.date_format(period, "SHORT_DATE_FORMAT")


def _percent(value: float | None) -> str:
    return "–" if value is None else formats.number_format(round(value * 100, 1), 1) + " %"


def funnel_chart(rows: Sequence[Row], names: dict[str, str]) -> str:
    """Leads at each step, one funnel per breakdown value, with the drop-off from the last step."""
    figure = go.Figure(layout=_layout(360))
    values = list(dict.fromkeys(row["breakdown"] for row in rows))
    for index, value in enumerate(values):
        mine = [row for row in rows if row["breakdown"] == value]
        text = [
            formats.number_format(row["leads"], 0, force_grouping=True)
            + ("" if row["drop_off"] is None else f" (−{_percent(row['drop_off'])})")
            for row in mine
        ]
        figure.add_trace(
            go.Funnel(
                y=[stage_label(row["stage"]) for row in mine],
                x=[row["leads"] for row in mine],
                name=value_label(value, names),
                text=text,
                textinfo="text",
                marker={"color": PALETTE[index % len(PALETTE)]},
            )
        )
    figure.update_layout(showlegend=len(values) > 1, margin={"l": 96})
    return _html(figure, "chart-funnel")


def cohort_heatmap(rows: Sequence[Row], stages: Sequence[str], grain: str) -> str:
    """Share of each cohort reaching each step; immature cohorts are marked with an asterisk."""
    periods = sorted({row["period"] for row in rows if row["period"] is not None})
    cells = {(row["period"], row["step"]): row for row in rows}
    z, text, labels = [], [], []
    for period in periods:
        mature = all(cells[(period, k)]["mature"] for k in range(1, len(stages) + 1))
        labels.append(period_label(period, grain) + ("" if mature else " *"))
        line = [cells[(period, k)]["cumulative_conversion"] for k in range(1, len(stages) + 1)]
        z.append([None if v is None else v * 100 for v in line])
        text.append([_percent(v) for v in line])
    figure = go.Figure(layout=_layout(max(240, 28 * len(periods) + 90)))
    figure.add_trace(
        go.Heatmap(
            z=z,
            x=[stage_label(stage) for stage in stages],
            y=labels,
            text=text,
            texttemplate="%{text}",
            colorscale="Blues",
            zmin=0,
            zmax=100,
            hoverinfo="text",
            showscale=False,
        )
    )
    figure.update_layout(yaxis={"autorange": "reversed", "type": "category"}, margin={"l": 96})
    return _html(figure, "chart-cohorts")


def bin_label(row: Row) -> str:
    lower = formats.number_format(row["lower_days"], 0)
    if row["upper_days"] is None:
        return _("%(lower)s+ days") % {"lower": lower}
    upper = formats.number_format(row["upper_days"], 0)
    return _("%(lower)s–%(upper)s days") % {"lower": lower, "upper": upper}


def histogram_chart(timing: Timing, names: dict[str, str]) -> str:
    """Leads by days taken from one step to the other, stacked by breakdown value."""
    figure = go.Figure(layout=_layout())
    values = list(dict.fromkeys(row["breakdown"] for row in timing.histogram))
    for index, value in enumerate(values):
        mine = [row for row in timing.histogram if row["breakdown"] == value]
        figure.add_trace(
            go.Bar(
                x=[bin_label(row) for row in mine],
                y=[row["leads"] for row in mine],
                name=value_label(value, names),
                marker_color=PALETTE[index % len(PALETTE)],
            )
        )
    figure.update_layout(
        barmode="stack",
        showlegend=len(values) > 1,
        xaxis={"type": "category"},
        yaxis={"title": {"text": _("Leads")}, "rangemode": "tozero"},
    )
    return _html(figure, "chart-timing")


def trend_chart(rows: Sequence[Row], grain: str) -> str:
    """The step's conversion per period (line) over the leads behind each point (bars)."""
    labels = [period_label(row["period"], grain) for row in rows]
    figure = go.Figure(layout=_layout())
    figure.add_trace(
        go.Bar(
            x=labels,
            y=[row["leads"] for row in rows],
            name=_("Leads behind the point"),
            marker_color="#cbd5e1",
            yaxis="y2",
        )
    )
    figure.add_trace(
        go.Scatter(
            x=labels,
            y=[None if row["rate"] is None else row["rate"] * 100 for row in rows],
            name=_("Conversion (%)"),
            mode="lines+markers",
            line={"color": PALETTE[0], "width": 2},
        )
    )
    figure.update_layout(
        xaxis={"type": "category"},
        yaxis={"title": {"text": _("Conversion (%)")}, "rangemode": "tozero"},
        yaxis2={"overlaying": "y", "side": "right", "showgrid": False, "rangemode": "tozero"},
    )
    return _html(figure, "chart-trend")
