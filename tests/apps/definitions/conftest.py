"""Team leads, definition documents and a hand-built warehouse with a per-lead Python reference.

The warehouse: 40 leads created between January and June 2025 (segments cycling smb,
mid_market, enterprise; owners rep-a/rep-b), each with a few touchpoints at seeded random
instants, and some stage changes to sql and customer. ``NOW`` is 15 July 2025, so a 3-month
backtest covers April, May and June.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

import pytest
from ibis.backends import BaseBackend

from alinea.apps.accounts.models import Role, User
from alinea.apps.definitions.models import StageDefinition
from alinea.apps.definitions.services import (
    definition_approve,
    definition_create,
    definition_propose,
)
from alinea.warehouse import connect, ingest_many

NOW = dt.datetime(2025, 7, 15, 12, tzinfo=dt.UTC)
SEGMENTS = ("smb", "mid_market", "enterprise")

#: Active MQL v1: enterprise leads with at least 2 touchpoints in the last 30 days.
STRICT: dict[str, Any] = {
    "fit": [{"attribute": "segment", "any_of": ["enterprise"]}],
    "engagement": [{"source": "touchpoints", "at_least": 2, "window_days": 30}],
}
#: Proposed MQL v2: 1 touchpoint in 30 days, then 20 points for enterprise and 5 per touchpoint of
#: the last 30 days (no decay), at least 10 points.
LOOSE: dict[str, Any] = {
    "engagement": [{"source": "touchpoints", "at_least": 1, "window_days": 30}],
    "points": {
        "fit": [{"criterion": {"attribute": "segment", "any_of": ["enterprise"]}, "points": 20}],
        "engagement": [{"source": "touchpoints", "points": 5, "window_days": 30}],
    },
    "threshold": 10,
}


@pytest.fixture
def leads(make_user) -> dict[str, User]:
    """The two team leads, members of each team and a viewer."""
    return {
        "marketing_lead": make_user("marketing", Role.TEAM_LEAD, username="mlead"),
        "sales_lead": make_user("sales", Role.TEAM_LEAD, username="slead"),
        "marketer": make_user("marketing", Role.MEMBER, username="marketer"),
        "rep": make_user("sales", Role.MEMBER, username="ann"),
        "viewer": make_user("leadership", Role.VIEWER, username="vic"),
    }


def signed(leads: dict[str, User], document: dict[str, Any]) -> StageDefinition:
    definition = definition_create(actor=leads["marketer"], stage="mql", document=document)
    definition_propose(actor=leads["marketer"], definition=definition)
    definition_approve(actor=leads["marketing_lead"], definition=definition, side="marketing")
    definition_approve(actor=leads["sales_lead"], definition=definition, side="sales")
    definition.refresh_from_db()
    return definition


@dataclass
class Lead:
    lead_id: str
    created_at: dt.datetime
    segment: str
    owner_id: str
    touches: list[dt.datetime] = field(default_factory=list)
    stages: dict[str, dt.datetime] = field(default_factory=dict)


def _build() -> list[Lead]:
    rng = random.Random(6)
    start = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    leads = []
    for i in range(40):
        created = start + dt.timedelta(days=rng.uniform(0, 180))
        lead = Lead(f"L{i:02d}", created, SEGMENTS[i % 3], ("rep-a", "rep-b")[i % 2])
        for _ in range(rng.randint(0, 4)):
            at = created + dt.timedelta(days=rng.uniform(0, 60))
            if at < NOW:
                lead.touches.append(at)
        if rng.random() < 0.5:
            sql_at = created + dt.timedelta(days=rng.uniform(10, 70))
            if sql_at < NOW:
                lead.stages["sql"] = sql_at
                if rng.random() < 0.5 and sql_at + dt.timedelta(days=20) < NOW:
                    lead.stages["customer"] = sql_at + dt.timedelta(days=20)
        leads.append(lead)
    return leads


HAND_LEADS = _build()


def fill(con: BaseBackend) -> None:
    touches = [(lead, at) for lead in HAND_LEADS for at in lead.touches]
    ingest_many(
        con,
        {
            "leads": [
                {
                    "lead_id": lead.lead_id,
                    "created_at": lead.created_at,
                    "segment": lead.segment,
                    "owner_id": lead.owner_id,
                }
                for lead in HAND_LEADS
            ],
            "touchpoints": [
                {
                    "touchpoint_id": f"T{i}",
                    "lead_id": lead.lead_id,
                    "occurred_at": at,
                    "type": "visit",
                    "channel": "organic_search",
                }
                for i, (lead, at) in enumerate(touches)
            ],
            "stage_changes": [
                {"lead_id": lead.lead_id, "stage": stage, "changed_at": at}
                for lead in HAND_LEADS
                for stage, at in lead.stages.items()
            ],
        },
    )


@pytest.fixture
def hand_warehouse(warehouse_url: str) -> BaseBackend:
    """The test's warehouse file (``ALINEA_WAREHOUSE``), filled with the leads above."""
    con = connect(warehouse_url)
    fill(con)
    return con


# --- the per-lead reference ----------------------------------------------------------------------


def recent_touches(lead: Lead, at: dt.datetime, days: float = 30) -> int:
    return sum(1 for t in lead.touches if at - dt.timedelta(days=days) < t <= at)


def strict_qualifies(lead: Lead, at: dt.datetime) -> bool:
    return lead.created_at <= at and lead.segment == "enterprise" and recent_touches(lead, at) >= 2


def loose_score(lead: Lead, at: dt.datetime) -> float:
    return (20 if lead.segment == "enterprise" else 0) + 5 * recent_touches(lead, at)


def loose_qualifies(lead: Lead, at: dt.datetime) -> bool:
    return lead.created_at <= at and recent_touches(lead, at) >= 1 and loose_score(lead, at) >= 10


MONTHS = [dt.date(2025, 4, 1), dt.date(2025, 5, 1), dt.date(2025, 6, 1)]
MONTH_ENDS = [
    dt.datetime(2025, 4, 30, 23, 59, 59, tzinfo=dt.UTC),
    dt.datetime(2025, 5, 31, 23, 59, 59, tzinfo=dt.UTC),
    dt.datetime(2025, 6, 30, 23, 59, 59, tzinfo=dt.UTC),
]


def first_flag(lead: Lead, qualifies: Any) -> int | None:
    """Index of the first month of the span at whose end the lead qualifies."""
    return next((i for i, end in enumerate(MONTH_ENDS) if qualifies(lead, end)), None)


def reference_months(qualifies: Any) -> dict[dt.date, dict[str, int]]:
    """month → mqls, became_sql, became_customer (entered at or after the month's first day)."""
    out: dict[dt.date, dict[str, int]] = {}
    for lead in HAND_LEADS:
        i = first_flag(lead, qualifies)
        if i is None:
            continue
        start = dt.datetime.combine(MONTHS[i], dt.time(), tzinfo=dt.UTC)
        row = out.setdefault(MONTHS[i], {"mqls": 0, "became_sql": 0, "became_customer": 0})
        row["mqls"] += 1
        row["became_sql"] += any(start <= at <= NOW for at in lead.stages.values())
        customer = lead.stages.get("customer")
        row["became_customer"] += customer is not None and start <= customer <= NOW
    return out


def reference_recall(qualifies: Any) -> tuple[int, int]:
    """(eventual customers, caught)."""
    span_start = dt.datetime.combine(MONTHS[0], dt.time(), tzinfo=dt.UTC)
    eventual = caught = 0
    for lead in HAND_LEADS:
        customer = lead.stages.get("customer")
        if customer is None or lead.created_at > MONTH_ENDS[-1] or not span_start <= customer:
            continue
        eventual += 1
        i = first_flag(lead, qualifies)
        if i is not None:
            caught += customer >= dt.datetime.combine(MONTHS[i], dt.time(), tzinfo=dt.UTC)
    return eventual, caught
