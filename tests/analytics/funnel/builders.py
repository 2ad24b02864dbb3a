"""Small builders for funnel and metric tests: facts from a few lines, results as plain values."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd
from ibis.backends import BaseBackend
from tests.analytics.funnel.reference import Change, Lead

from alinea.analytics.facts import Facts
from alinea.warehouse import FACT_TABLES, ingest_many
from alinea.warehouse.firsts import refresh_firsts
from alinea.warehouse.ingest import transaction

START = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def at(text: str) -> dt.datetime:
    """An aware UTC datetime from ``YYYY-MM-DD[THH:MM[:SS]]``."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def day(n: float) -> dt.datetime:
    """``START`` plus ``n`` days."""
    return START + dt.timedelta(days=n)


def history(lead: str, *steps: tuple[str, dt.datetime]) -> list[Change]:
    return [Change(lead, stage, when) for stage, when in steps]


def empty(warehouse: BaseBackend) -> None:
    """Delete every fact row, so that one warehouse serves many generated examples; the derived
    ``lead_firsts`` is rebuilt as alinea's own writes would leave it."""
    for table in FACT_TABLES:
        result = warehouse.raw_sql(f'DELETE FROM "{table}"')
        if warehouse.name == "postgres":
            result.close()
    with transaction(warehouse):
        refresh_firsts(warehouse)


def load(
    warehouse: BaseBackend,
    *,
    leads: Iterable[Lead] = (),
    changes: Iterable[Change] = (),
    people: Sequence[Mapping[str, Any]] = (),
    deals: Sequence[Mapping[str, Any]] = (),
    dispositions: Sequence[Mapping[str, Any]] = (),
) -> Facts:
    """Ingest the given facts (leads with only an id, channel and owner) and open them."""
    batches: dict[str, list[dict[str, Any]]] = {
        "leads": [
            {
                "lead_id": lead.lead_id,
                "created_at": START.isoformat(),
                "channel": lead.channel,
                "owner_id": lead.owner_id,
            }
            for lead in leads
        ],
        "stage_changes": [
            {"lead_id": c.lead_id, "stage": c.stage, "changed_at": c.changed_at.isoformat()}
            for c in changes
        ],
        "people": [dict(p) for p in people],
        "deals": [dict(d) for d in deals],
        "dispositions": [dict(d) for d in dispositions],
    }
    ingest_many(warehouse, {name: rows for name, rows in batches.items() if rows})
    return Facts.of(warehouse)


def plain(value: Any) -> Any:
    """A fetched cell as a plain Python value (dates as ``date``, NaN/NaT as ``None``)."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date() if value == value.normalize() and value.tzinfo is None else value
    if hasattr(value, "item"):
        return value.item()
    return value


def records(frame: pd.DataFrame, *columns: str) -> list[tuple[Any, ...]]:
    """The rows of ``frame`` as tuples of plain values, in order."""
    picked = frame[list(columns)] if columns else frame
    return [tuple(plain(v) for v in row) for row in picked.itertuples(index=False)]
