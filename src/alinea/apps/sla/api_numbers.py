"""The scorecard and clock frames as JSON-safe records for the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
from ibis.backends import BaseBackend

from alinea.analytics import sla
from alinea.analytics.sla.compliance import Every
from alinea.apps.sla.scorecard import GROUPS, scorecard_for


def _json(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.isoformat()
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and np.isnan(value):
        return None
    return value


def frame_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of ``frame`` with JSON-safe values (ISO instants, null for NaN/NaT)."""
    plain = frame.astype(dict.fromkeys(frame.select_dtypes("category").columns, object))
    return [{str(k): _json(v) for k, v in row.items()} for row in plain.to_dict("records")]


def scorecard_numbers(
    con: BaseBackend, policy: sla.SlaPolicy, *, now: dt.datetime, every: Every
) -> dict[str, Any]:
    card = scorecard_for(con, policy, now=now, every=every)
    return {
        "now": now,
        "every": every,
        "start": card.period.start,
        "end": card.period.end,
        "marketing": {
            "delivery": frame_records(card.delivery),
            "acceptance": frame_records(card.acceptance),
        },
        "sales": {
            "compliance": frame_records(card.compliance_total),
            "compliance_trend": frame_records(card.compliance_trend),
            **{f"compliance_by_{g}": frame_records(card.compliance_by[g]) for g in GROUPS},
            "response_percentiles": frame_records(card.percentiles),
            "response_histogram": frame_records(card.histogram),
        },
        "breach_queue": frame_records(card.breach_queue),
        "reasons": frame_records(card.pareto),
    }
