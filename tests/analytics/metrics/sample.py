"""A seeded sample workspace for metric tests: people, leads, stage histories and deals.

Histories skip stages, recycle leads, tie in time and run past ``NOW``; deals have missing amounts,
missing reps and leads, open deals, and a won deal without a close date.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pandas as pd
from ibis.backends import BaseBackend

from alinea.analytics.facts import Facts
from alinea.warehouse import ingest_many

NOW = dt.datetime(2025, 6, 15, 12, tzinfo=dt.UTC)
START = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
REPS = ("p1", "p2", "p3", "p4")
FUNNEL = ("lead", "mql", "sql", "opportunity", "customer")


def _people() -> list[dict[str, Any]]:
    managers = [
        {"person_id": m, "name": m.upper(), "team": "sales", "role": "manager", "region": region}
        for m, region in (("m1", "north"), ("m2", "south"))
    ]
    reps = [
        {
            "person_id": rep,
            "name": rep.upper(),
            "team": "sales",
            "role": "ae",
            "region": "north" if k < 2 else "south",
            "manager_id": "m1" if k < 2 else "m2",
        }
        for k, rep in enumerate(REPS)
    ]
    return managers + reps


def _moment(rng: random.Random, low_days: float, high_days: float) -> dt.datetime:
    seconds = int(rng.uniform(low_days, high_days) * 86400)
    return START + dt.timedelta(seconds=seconds)


def _history(rng: random.Random, lead_id: str, created: dt.datetime) -> list[dict[str, Any]]:
    at, position, changes = created, 0, []
    if rng.random() < 0.15:
        changes.append(("subscriber", at))
    changes.append(("lead", at))
    while position < len(FUNNEL) - 1 and rng.random() < 0.75:
        position = min(position + rng.choice([1, 1, 1, 2]), len(FUNNEL) - 1)  # sometimes skip
        at += dt.timedelta(days=rng.choice([0, 0.5, rng.uniform(1, 60)]))  # sometimes a tie
        changes.append((FUNNEL[position], at))
        if position == 2 and rng.random() < 0.2:  # recycled to lead, qualifies again later
            at += dt.timedelta(days=rng.uniform(1, 20))
            changes += [("lead", at), ("mql", at + dt.timedelta(days=3))]
            at += dt.timedelta(days=3)
            position = 1
    unique = {(stage, when) for stage, when in changes}
    return [
        {"lead_id": lead_id, "stage": stage, "changed_at": when.isoformat()}
        for stage, when in sorted(unique, key=lambda c: c[1])
    ]


def _leads(rng: random.Random, count: int) -> tuple[list[dict], list[dict]]:
    leads, changes = [], []
    for k in range(count):
        created = _moment(rng, 0, 180)
        lead = {
            "lead_id": f"l{k:03d}",
            "created_at": created.isoformat(),
            "channel": rng.choice(["email", "events", "paid_search", None]),
            "segment": rng.choice(["smb", "mid_market", "enterprise", None]),
            "owner_id": rng.choice([*REPS, None]),
        }
        leads.append(lead)
        changes += _history(rng, lead["lead_id"], created)
    return leads, changes


def _deals(rng: random.Random, count: int, leads: int) -> list[dict[str, Any]]:
    deals = []
    for k in range(count):
        created = _moment(rng, 0, 170)
        status = rng.choice(["won", "won", "lost", "open"])
        closed = created + dt.timedelta(days=rng.uniform(0.5, 90)) if status != "open" else None
        if k == 0:
            status, closed = "won", None  # closed without a close date: never counted as closed
        deals.append(
            {
                "deal_id": f"d{k:03d}",
                "lead_id": rng.choice([f"l{rng.randrange(leads):03d}", None]),
                "rep_id": rng.choice([*REPS, None]),
                "product": rng.choice(["basic", "pro"]),
                "created_at": created.isoformat(),
                "closed_at": closed.isoformat() if closed else None,
                "status": status,
                "amount": rng.choice([None, round(rng.uniform(500, 20000), 2)]),
            }
        )
    return deals


def sample_rows(seed: int = 11, leads: int = 120, deals: int = 90) -> dict[str, list[dict]]:
    rng = random.Random(seed)
    lead_rows, changes = _leads(rng, leads)
    return {
        "people": _people(),
        "leads": lead_rows,
        "stage_changes": changes,
        "deals": _deals(rng, deals, leads),
    }


def as_frames(rows: dict[str, list[dict]]) -> dict[str, pd.DataFrame]:
    """The same rows as pandas frames with UTC timestamps (the reference's input)."""
    times = {"created_at", "changed_at", "closed_at"}
    frames = {}
    for table, records in rows.items():
        frame = pd.DataFrame.from_records(records)
        for column in times & set(frame.columns):
            frame[column] = pd.to_datetime(frame[column], utc=True, format="ISO8601")
        frames[table] = frame
    return frames


def load_sample(warehouse: BaseBackend, rows: dict[str, list[dict]]) -> Facts:
    ingest_many(warehouse, rows)
    return Facts.of(warehouse)
