"""How the funnel's values read in pages and CSV: links to the leads behind a number, formats."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import formats
from django.utils.http import urlencode

from alinea.analytics.funnel import DEFAULT_BIN_EDGES
from alinea.apps.funnel.charts import bin_label
from alinea.apps.funnel.labels import stage_label, value_label
from alinea.apps.funnel.params import FunnelParams

STAGE_COLUMNS = ("stage", "next_stage")
DAY_COLUMNS = ("age_days", "threshold_days", "days")
TIME_COLUMNS = ("reached_at", "entered_at")


def list_url(params: FunnelParams, **selection: Any) -> str:
    """The lead list behind a number: the funnel's parameters plus the cell (kind, stage, …)."""
    chosen = {k: str(v) for k, v in selection.items() if v is not None}
    return reverse("funnel:leads") + "?" + urlencode({**params.query_string(), **chosen})


def page_url(params: FunnelParams, **changes: str) -> str:
    """The funnel page with the same parameters, some changed."""
    return reverse("funnel:index") + "?" + urlencode({**params.query_string(), **changes})


def lead_url(lead_id: str) -> str:
    return reverse("funnel:lead", args=[lead_id])


def number(value: float | int | None, digits: int = 0) -> str:
    if value is None:
        return "–"
    # number_format cuts digits off; round first so that 14.28… reads 14.3
    return formats.number_format(round(value, digits), digits, use_l10n=True, force_grouping=True)


def percent(value: float | None) -> str:
    return "–" if value is None else number(value * 100, 1) + " %"


def cell_text(column: str, value: Any, names: dict[str, str]) -> str:
    """One list cell as shown on the page."""
    if value is None:
        return "–"
    if column in STAGE_COLUMNS:
        return stage_label(str(value))
    if column == "breakdown":
        return value_label(str(value), names)
    if column in DAY_COLUMNS:
        return number(float(value), 1)
    if isinstance(value, dt.datetime):
        return formats.date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def csv_value(value: Any) -> str:
    """One list cell in CSV: ISO times in UTC, plain numbers, empty for none."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def bin_text(index: int) -> str:
    """Histogram bin ``index`` of the default edges, e.g. "3–7 days"."""
    edges = DEFAULT_BIN_EDGES
    upper = edges[index + 1] if index + 1 < len(edges) else None
    return bin_label({"lower_days": edges[index], "upper_days": upper})
