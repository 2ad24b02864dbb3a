"""Facts for scoring tests: reference records into any warehouse, and generated workspaces."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from ibis.backends import BaseBackend
from tests.analytics.scoring.reference import Change, Event, Lead

from alinea.analytics.facts import Facts
from alinea.analytics.scoring.spec import (
    Definition,
    EngagementCriterion,
    EngagementPoints,
    FitCriterion,
    FitPoints,
    PointsModel,
)
from alinea.warehouse import FACT_TABLES, ingest_many

START = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
LEAD_IDS = [f"l{i}" for i in range(6)]
TOUCH_TYPES = ("visit", "form", "email_click")
ACTIVITY_TYPES = ("call", "email", "meeting")
COUNTRIES = ("ES", "PT", "FR")
INDUSTRIES = ("software", "retail")
ROLES = ("cto", "marketing", "student")

SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        # one warehouse per engine serves every example: each example empties it first
        HealthCheck.function_scoped_fixture,
    ],
)


def day(n: float) -> dt.datetime:
    return START + dt.timedelta(days=n)


def empty(warehouse: BaseBackend) -> None:
    for table in FACT_TABLES:
        result = warehouse.raw_sql(f'DELETE FROM "{table}"')
        if warehouse.name == "postgres":
            result.close()


def load(
    warehouse: BaseBackend,
    leads: Iterable[Lead],
    events: Iterable[Event] = (),
    changes: Iterable[Change] = (),
) -> Facts:
    """Empty the warehouse, then ingest the given records."""
    empty(warehouse)
    batches: dict[str, list[dict[str, Any]]] = {"leads": [], "touchpoints": [], "activities": []}
    for lead in leads:
        batches["leads"].append(
            {
                "lead_id": lead.lead_id,
                "created_at": lead.created_at.isoformat(),
                "owner_id": lead.owner_id,
                **lead.attributes,
            }
        )
    for e in events:
        row = {"lead_id": e.lead_id, "occurred_at": e.occurred_at.isoformat(), "type": e.type}
        if e.source == "touchpoints":
            row |= {"touchpoint_id": e.event_id, "channel": "email"}
        else:
            row |= {"activity_id": e.event_id, "rep_id": "r1"}
        batches[e.source].append(row)
    batches["stage_changes"] = [
        {"lead_id": c.lead_id, "stage": c.stage, "changed_at": c.changed_at.isoformat()}
        for c in changes
    ]
    ingest_many(warehouse, {name: rows for name, rows in batches.items() if rows})
    return Facts.of(warehouse)


# days before "now": window edges (7, 14, 30, 60, 90 days) come up often, and a few future events
_ages = st.one_of(st.sampled_from((0, 7, 14, 30, 60, 90)), st.integers(min_value=-5, max_value=120))
nows = st.integers(min_value=130, max_value=400).map(lambda d: START + dt.timedelta(days=d))


@st.composite
def workspaces(draw: st.DrawFn, now: dt.datetime) -> tuple[list[Lead], list[Event]]:
    """Leads and events around ``now`` (a few of them after it)."""

    def instant() -> dt.datetime:
        return now - dt.timedelta(days=draw(_ages), hours=draw(st.sampled_from((0, 0, 12))))

    leads = []
    for lead_id in draw(st.lists(st.sampled_from(LEAD_IDS), unique=True, min_size=1)):
        attributes = {
            "country": draw(st.sampled_from((*COUNTRIES, None))),
            "industry": draw(st.sampled_from((*INDUSTRIES, None))),
            "job_role": draw(st.sampled_from((*ROLES, None))),
            "company_size": draw(st.sampled_from((5, 50, 200, 1000, None))),
        }
        owner = draw(st.sampled_from(("r1", "r2", None)))
        leads.append(Lead(lead_id, instant(), owner, attributes))
    events = []
    for n in range(draw(st.integers(min_value=0, max_value=25))):
        source = draw(st.sampled_from(("touchpoints", "activities")))
        types = TOUCH_TYPES if source == "touchpoints" else ACTIVITY_TYPES
        lead = draw(st.sampled_from(leads)).lead_id
        events.append(Event(source, f"e{n}", lead, instant(), draw(st.sampled_from(types))))
    return leads, events


@st.composite
def scenes(draw: st.DrawFn) -> tuple[dt.datetime, list[Lead], list[Event]]:
    now = draw(nows)
    leads, events = draw(workspaces(now))
    return now, leads, events


def _types(draw: st.DrawFn, source: str) -> tuple[str, ...]:
    pool = TOUCH_TYPES if source == "touchpoints" else ACTIVITY_TYPES
    return tuple(draw(st.lists(st.sampled_from(pool), unique=True, max_size=2)))


@st.composite
def fit_criteria(draw: st.DrawFn) -> FitCriterion:
    attribute = draw(st.sampled_from(("country", "industry", "job_role", "company_size")))
    if attribute == "company_size":
        low = draw(st.sampled_from((None, 50, 200)))
        high = draw(st.sampled_from((None, 1000) if low is not None else (1000, 200)))
        return FitCriterion(attribute, at_least=low, at_most=high)
    pool = {"country": COUNTRIES, "industry": INDUSTRIES, "job_role": ROLES}[attribute]
    values = draw(st.lists(st.sampled_from(pool), unique=True, min_size=1, max_size=2))
    return FitCriterion(attribute, any_of=tuple(values))


@st.composite
def engagement_rules(draw: st.DrawFn) -> EngagementPoints:
    source = draw(st.sampled_from(("touchpoints", "activities")))
    return EngagementPoints(
        source=source,
        points=draw(st.sampled_from((-3.0, 2.0, 5.0))),
        types=_types(draw, source),
        half_life_days=draw(st.sampled_from((None, 7.0, 30.0))),
        window_days=draw(st.sampled_from((None, 14.0, 60.0, 90.0))),
        cap=draw(st.sampled_from((None, 10.0, 25.0))),
    )


@st.composite
def points_models(draw: st.DrawFn) -> PointsModel:
    fit = [
        FitPoints(draw(fit_criteria()), draw(st.sampled_from((-10.0, -5.0, 5.0, 10.0, 20.0))))
        for _ in range(draw(st.integers(min_value=0, max_value=3)))
    ]
    engagement = draw(st.lists(engagement_rules(), max_size=3))
    return PointsModel(
        fit=tuple(fit),
        engagement=tuple(engagement),
        floor=draw(st.sampled_from((None, 0.0))),
        cap=draw(st.sampled_from((None, 30.0))),
    )


@st.composite
def engagement_criteria(draw: st.DrawFn) -> EngagementCriterion:
    source = draw(st.sampled_from(("touchpoints", "activities")))
    return EngagementCriterion(
        source=source,
        at_least=draw(st.integers(min_value=1, max_value=3)),
        window_days=draw(st.sampled_from((7.0, 14.0, 30.0, 90.0))),
        types=_types(draw, source),
    )


@st.composite
def definitions(draw: st.DrawFn, version: str = "v1") -> Definition:
    fit = draw(st.lists(fit_criteria(), max_size=2))
    engagement = draw(st.lists(engagement_criteria(), max_size=2))
    with_points = draw(st.booleans()) or not (fit or engagement)
    return Definition(
        stage="mql",
        version=version,
        fit=tuple(fit),
        engagement=tuple(engagement),
        points=draw(points_models()) if with_points else None,
        threshold=draw(st.sampled_from((0.0, 10.0, 25.0))) if with_points else None,
    )
