"""One lead's whole story in time order: creation, touchpoints, stage changes, assignments, sales
activities, dispositions and deals (opened and closed), read from the facts of that lead."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import ibis.expr.types as ir

from alinea.analytics.facts import Facts
from alinea.apps.funnel.selectors import Row, person_names, records
from alinea.apps.funnel.source import FactSource
from alinea.warehouse.schema import BATCH_COLUMN

#: Kinds of event, in the order simultaneous events are told.
EVENT_KINDS: tuple[str, ...] = (
    "created",
    "touchpoint",
    "stage_change",
    "assignment",
    "activity",
    "disposition",
    "deal_created",
    "deal_closed",
)
#: Columns that hold a person_id, shown with the person's name.
PERSON_COLUMNS = ("rep_id", "changed_by", "assigned_by", "owner_id")


@dataclass(frozen=True)
class TimelineEvent:
    at: dt.datetime
    kind: str
    #: The event's facts by column name (person ids in ``PERSON_COLUMNS`` as names).
    details: dict[str, Any]


@dataclass(frozen=True)
class LeadTimeline:
    lead: Row
    owner_name: str | None
    events: list[TimelineEvent]


def _rows(source: FactSource, lead_id: str, name: str, table: ir.Table) -> list[Row]:
    mine = table.filter(table.lead_id == lead_id)
    return records(source.fetch(("timeline", name, lead_id), lambda: mine))


_COLUMNS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    # fact table → (event kind, time column, detail columns)
    "touchpoints": (
        "touchpoint",
        "occurred_at",
        ("type", "channel", "source", "medium", "campaign", "landing_page"),
    ),
    "stage_changes": ("stage_change", "changed_at", ("stage", "changed_by")),
    "assignments": ("assignment", "assigned_at", ("rep_id", "assigned_by")),
    "activities": ("activity", "occurred_at", ("type", "outcome", "rep_id")),
    "dispositions": ("disposition", "decided_at", ("outcome", "reason", "rep_id")),
}
_DEAL_COLUMNS = ("deal_id", "status", "amount", "currency", "product", "rep_id", "lost_reason")


def _named(details: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    return {
        key: names.get(value, value) if key in PERSON_COLUMNS and value else value
        for key, value in details.items()
    }


def _fact_events(source: FactSource, facts: Facts, lead_id: str) -> list[TimelineEvent]:
    events = []
    for table, (kind, moment, columns) in _COLUMNS.items():
        for row in _rows(source, lead_id, table, getattr(facts, table)):
            details = {column: row.get(column) for column in columns}
            events.append(TimelineEvent(row[moment], kind, details))
    for deal in _rows(source, lead_id, "deals", facts.deals):
        details = {column: deal.get(column) for column in _DEAL_COLUMNS}
        events.append(TimelineEvent(deal["created_at"], "deal_created", details))
        if deal.get("closed_at") is not None:
            events.append(TimelineEvent(deal["closed_at"], "deal_closed", details))
    return events


def lead_timeline(source: FactSource, lead_id: str) -> LeadTimeline | None:
    """The lead and its events, oldest first; ``None`` when no lead or fact has this id."""
    facts = source.facts
    found = _rows(source, lead_id, "leads", facts.leads)
    events = _fact_events(source, facts, lead_id)
    if not found and not events:
        return None
    lead: Row = {"lead_id": lead_id}
    if found:
        lead = {k: v for k, v in found[0].items() if k != BATCH_COLUMN}
        origin = ("channel", "source", "campaign", "landing_page")
        created = {column: lead.get(column) for column in origin}
        events.append(TimelineEvent(found[0]["created_at"], "created", created))
    names = person_names(source)
    order = {kind: index for index, kind in enumerate(EVENT_KINDS)}
    events.sort(key=lambda event: (event.at, order[event.kind]))
    named = [TimelineEvent(e.at, e.kind, _named(e.details, names)) for e in events]
    owner = lead.get("owner_id")
    return LeadTimeline(lead, names.get(owner) if owner else None, named)
