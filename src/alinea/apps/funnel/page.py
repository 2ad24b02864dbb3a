"""The funnel page's sections as template-ready rows: each number with the link to its leads."""

from __future__ import annotations

from typing import Any

from alinea.apps.funnel import charts
from alinea.apps.funnel.cells import lead_url, list_url, number, percent
from alinea.apps.funnel.charts import bin_label, period_label
from alinea.apps.funnel.labels import stage_label, value_label
from alinea.apps.funnel.lead_lists import lead_page, list_selection
from alinea.apps.funnel.params import FunnelParams
from alinea.apps.funnel.selectors import (
    Row,
    cohorts,
    conversion,
    drop_off_summary,
    stall_summary,
    timing,
    trend,
)
from alinea.apps.funnel.source import FactSource

TOP_STALLED = 10


def _steps(params: FunnelParams, rows: list[Row]) -> list[dict[str, Any]]:
    return [
        {
            "stage": row["stage"],
            "label": stage_label(row["stage"]),
            "leads": row["leads"],
            "leads_text": number(row["leads"]),
            "url": list_url(params, kind="reached", stage=row["stage"]),
            "step_conversion": percent(row["step_conversion"]),
            "drop_off": percent(row["drop_off"]),
            "cumulative": percent(row["cumulative_conversion"]),
            "median_days": number(row["median_days"], 1),
        }
        for row in rows
    ]


def _breakdown_table(params: FunnelParams, rows: list[Row], names: dict[str, str]) -> list[Any]:
    values = list(dict.fromkeys(row["breakdown"] for row in rows))
    table = []
    for value in values:
        mine = [row for row in rows if row["breakdown"] == value]
        cells = [
            {
                "stage": row["stage"],
                "leads": row["leads"],
                "text": number(row["leads"]),
                "url": list_url(params, kind="reached", stage=row["stage"], value=value),
            }
            for row in mine
        ]
        label = value_label(value, names)
        table.append(
            {
                "value": value,
                "label": label,
                "cells": cells,
                "overall": percent(mine[-1]["cumulative_conversion"]),
            }
        )
    return table


def _cohort_table(params: FunnelParams, rows: list[Row]) -> list[dict[str, Any]]:
    periods = sorted({row["period"] for row in rows if row["period"] is not None})
    table = []
    for period in periods:
        mine = sorted((r for r in rows if r["period"] == period), key=lambda r: r["step"])
        cells = [
            {
                "stage": row["stage"],
                "leads": row["leads"],
                "text": number(row["leads"]),
                "share": percent(row["cumulative_conversion"]),
                "url": list_url(
                    params, kind="reached", stage=row["stage"], cohort=period.isoformat()
                ),
            }
            for row in mine
        ]
        mature = all(row["mature"] for row in mine)
        label = period_label(period, params.grain)
        table.append({"period": period, "label": label, "mature": mature, "cells": cells})
    return table


def _timing_section(source: FactSource, params: FunnelParams, names: dict[str, str]) -> Any:
    found = timing(source, params)
    percentiles = [
        {
            **row,
            "label": value_label(row["breakdown"], names),
            "leads_text": number(row["leads"]),
            "url": list_url(params, kind="converted", value=row["breakdown"]),
            **{k: number(row[k], 1) for k in ("p25_days", "median_days", "p75_days", "p90_days")},
        }
        for row in found.percentiles
    ]
    totals: dict[int, dict[str, Any]] = {}
    for row in found.histogram:
        entry = totals.setdefault(row["bin"], {"label": bin_label(row), "leads": 0})
        entry["leads"] += row["leads"]
    bins = [
        {
            **entry,
            "bin": index,
            "text": number(entry["leads"]),
            "url": list_url(params, kind="converted", bin=index),
        }
        for index, entry in sorted(totals.items())
    ]
    return {"percentiles": percentiles, "bins": bins, "chart": charts.histogram_chart(found, names)}


def _trend_section(source: FactSource, params: FunnelParams) -> Any:
    rows = trend(source, params)
    table = [
        {
            "label": period_label(row["period"], params.grain),
            "period": row["period"],
            "leads": row["leads"],
            "leads_text": number(row["leads"]),
            "leads_url": list_url(
                params, kind="reached", stage=params.from_stage, cohort=row["period"].isoformat()
            ),
            "converted": row["converted"],
            "converted_text": number(row["converted"]),
            "converted_url": list_url(
                params, kind="reached", stage=params.to_stage, cohort=row["period"].isoformat()
            ),
            "rate": percent(row["rate"]),
            "mature": row["mature"],
        }
        for row in rows
        if row["period"] is not None
    ]
    return {"rows": table, "chart": charts.trend_chart(rows, params.grain)}


def _stalled_section(source: FactSource, params: FunnelParams) -> Any:
    summary = [
        {
            **row,
            "label": stage_label(row["stage"]),
            "threshold": number(row["threshold_days"], 1),
            "text": number(row["stalled"]),
            "url": list_url(params, kind="stalled", stage=row["stage"]),
        }
        for row in stall_summary(source, params)
    ]
    top = lead_page(source, params, list_selection({"kind": "stalled"}, params), size=TOP_STALLED)
    oldest = [
        {
            "lead_id": row["lead_id"],
            "url": lead_url(row["lead_id"]),
            "owner": row["owner_name"] or "–",
            "stage": stage_label(row["stage"]),
            "age": number(row["age_days"], 1),
        }
        for row in top.rows
    ]
    return {"summary": summary, "oldest": oldest, "all_url": list_url(params, kind="stalled")}


def _drop_off_section(source: FactSource, params: FunnelParams) -> Any:
    rows = [
        {
            **row,
            "label": stage_label(row["stage"]),
            "next_label": stage_label(row["next_stage"]),
            "text": number(row["leads"]),
            "url": list_url(params, kind="dropped", stage=row["stage"]),
        }
        for row in drop_off_summary(source, params)
    ]
    return {"rows": rows, "all_url": list_url(params, kind="dropped")}


def page_context(source: FactSource, params: FunnelParams, names: dict[str, str]) -> dict[str, Any]:
    """Everything the funnel page shows, read through the selectors (and cached there)."""
    overall = conversion(source, params, breakdown=False)
    by_value = conversion(source, params) if params.breakdown else []
    cohort_rows = cohorts(source, params)
    return {
        "steps": _steps(params, overall),
        "funnel_chart": charts.funnel_chart(by_value or overall, names),
        "breakdown_rows": _breakdown_table(params, by_value, names),
        "cohorts": _cohort_table(params, cohort_rows),
        "cohort_chart": charts.cohort_heatmap(cohort_rows, params.stages, params.grain),
        "timing": _timing_section(source, params, names),
        "trend": _trend_section(source, params),
        "stalled": _stalled_section(source, params),
        "drop_offs": _drop_off_section(source, params),
    }
