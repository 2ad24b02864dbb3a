"""The fact tables: what happened, as append-only events (DESIGN.md §2, §4).

Each table declares its columns (type, required or not, allowed values), its natural key (what makes
two rows the same fact, used for idempotent ingestion) and a one-line meaning. The declarations are
the single source for table creation, validation, docs and importers.

Timestamps are timezone-aware UTC instants; ``date`` columns are calendar days. Money is a float
amount plus an ISO currency code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import ibis
import ibis.expr.datatypes as dt

ColumnType = Literal["string", "int64", "float64", "boolean", "timestamp", "date"]

_IBIS_TYPES: dict[ColumnType, dt.DataType] = {
    "string": dt.string,
    "int64": dt.int64,
    "float64": dt.float64,
    "boolean": dt.boolean,
    "timestamp": dt.Timestamp(timezone="UTC", scale=6),
    "date": dt.date,
}

#: The default lifecycle, in order. A workspace may add stages; every metric knows these.
LIFECYCLE_STAGES: tuple[str, ...] = ("subscriber", "lead", "mql", "sql", "opportunity", "customer")

#: Where a lead first came from (and the channel of a touchpoint or of spend).
CHANNELS: tuple[str, ...] = (
    "organic_search",
    "paid_search",
    "paid_social",
    "email",
    "referral",
    "events",
    "direct",
    "partners",
)

SEGMENTS: tuple[str, ...] = ("smb", "mid_market", "enterprise")
DISPOSITION_OUTCOMES: tuple[str, ...] = ("accepted", "rejected", "recycled")
DEAL_STATUSES: tuple[str, ...] = ("open", "won", "lost")
ACTIVITY_TYPES: tuple[str, ...] = ("call", "email", "meeting", "social", "note")
TOUCHPOINT_TYPES: tuple[str, ...] = (
    "visit",
    "ad_click",
    "email_open",
    "email_click",
    "form",
    "event",
    "content_download",
    "referral",
)
PEOPLE_ROLES: tuple[str, ...] = ("sdr", "ae", "manager", "marketer", "executive")
PEOPLE_TEAMS: tuple[str, ...] = ("sales", "marketing", "leadership")

#: Stored with every fact but never supplied by callers: the ingest batch that first wrote the row,
#: so that a whole import can be traced and rolled back.
BATCH_COLUMN = "batch_id"


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    required: bool = False
    allowed: tuple[str, ...] | None = None
    meaning: str = ""

    @property
    def ibis_type(self) -> dt.DataType:
        return _IBIS_TYPES[self.type].copy(nullable=not self.required)


@dataclass(frozen=True)
class FactTable:
    name: str
    meaning: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    #: Columns that must be set when another column has one of the given values,
    #: e.g. a rejected disposition needs a reason: ``{("outcome", "rejected"): "reason"}``.
    required_when: dict[tuple[str, str], str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        names = [c.name for c in self.columns]
        missing = [k for k in self.key if k not in names]
        assert not missing, f"{self.name}: key columns {missing} are not declared"

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    def ibis_schema(self) -> ibis.Schema:
        """The declared columns (what callers supply and validation checks)."""
        return ibis.schema({c.name: c.ibis_type for c in self.columns})

    def storage_schema(self) -> ibis.Schema:
        """The stored table: the declared columns plus the batch column."""
        return ibis.schema({**self.ibis_schema(), BATCH_COLUMN: dt.string})


def _c(
    name: str,
    type_: ColumnType,
    meaning: str,
    *,
    required: bool = False,
    allowed: tuple[str, ...] | None = None,
) -> Column:
    return Column(name=name, type=type_, required=required, allowed=allowed, meaning=meaning)


PEOPLE = FactTable(
    name="people",
    meaning="Sales reps, managers and marketers, with their team, region and manager.",
    key=("person_id",),
    columns=(
        _c("person_id", "string", "stable id of the person", required=True),
        _c("name", "string", "display name", required=True),
        _c("email", "string", "work email"),
        _c("team", "string", "sales, marketing or leadership", required=True, allowed=PEOPLE_TEAMS),
        _c("role", "string", "job role", required=True, allowed=PEOPLE_ROLES),
        _c("region", "string", "sales region or office"),
        _c("manager_id", "string", "person_id of the manager"),
        _c("timezone", "string", "IANA time zone the person works in"),
        _c("started_at", "timestamp", "when the person joined"),
    ),
)

LEADS = FactTable(
    name="leads",
    meaning="A person or company that entered the funnel, with where it came from and who it is.",
    key=("lead_id",),
    columns=(
        _c("lead_id", "string", "stable id of the lead", required=True),
        _c("created_at", "timestamp", "when the lead was created", required=True),
        _c("channel", "string", "channel of the first touch (organic_search, paid_search, …)"),
        _c("source", "string", "source within the channel (google, linkedin, newsletter, …)"),
        _c("campaign", "string", "campaign of the first touch"),
        _c("landing_page", "string", "first page the lead landed on"),
        _c("segment", "string", "smb, mid_market or enterprise", allowed=SEGMENTS),
        _c("industry", "string", "industry of the company"),
        _c("company", "string", "company name"),
        _c("company_size", "int64", "number of employees"),
        _c("country", "string", "ISO 3166 country code"),
        _c("region", "string", "sales region the lead belongs to"),
        _c("job_role", "string", "role of the contact"),
        _c("owner_id", "string", "person_id of the current owner"),
    ),
)

STAGE_CHANGES = FactTable(
    name="stage_changes",
    meaning="Lead L entered lifecycle stage S at time T (and who or what moved it).",
    key=("lead_id", "stage", "changed_at"),
    columns=(
        _c("lead_id", "string", "the lead", required=True),
        _c("stage", "string", "the stage entered", required=True, allowed=LIFECYCLE_STAGES),
        _c("changed_at", "timestamp", "when it entered the stage", required=True),
        _c("changed_by", "string", "person_id, or 'system' / an integration name"),
        _c("definition_version", "string", "the stage definition version that qualified it"),
    ),
)

TOUCHPOINTS = FactTable(
    name="touchpoints",
    meaning="An interaction of a lead with marketing: visit, ad click, email click, form, event.",
    key=("touchpoint_id",),
    columns=(
        _c("touchpoint_id", "string", "stable id of the touchpoint", required=True),
        _c("lead_id", "string", "the lead", required=True),
        _c("occurred_at", "timestamp", "when it happened", required=True),
        _c("type", "string", "kind of interaction", required=True, allowed=TOUCHPOINT_TYPES),
        _c("channel", "string", "channel (organic_search, paid_search, …)", required=True),
        _c("source", "string", "utm_source or equivalent"),
        _c("medium", "string", "utm_medium or equivalent"),
        _c("campaign", "string", "utm_campaign or equivalent"),
        _c("landing_page", "string", "page of the interaction"),
    ),
)

ACTIVITIES = FactTable(
    name="activities",
    meaning="A sales action on a lead (call, email, meeting) by a rep.",
    key=("activity_id",),
    columns=(
        _c("activity_id", "string", "stable id of the activity", required=True),
        _c("lead_id", "string", "the lead", required=True),
        _c("rep_id", "string", "person_id of the rep", required=True),
        _c("occurred_at", "timestamp", "when it happened", required=True),
        _c(
            "type",
            "string",
            "call, email, meeting, social or note",
            required=True,
            allowed=ACTIVITY_TYPES,
        ),
        _c("outcome", "string", "connected, no_answer, replied, …"),
    ),
)

ASSIGNMENTS = FactTable(
    name="assignments",
    meaning="Lead L was assigned to rep R at time T.",
    key=("lead_id", "rep_id", "assigned_at"),
    columns=(
        _c("lead_id", "string", "the lead", required=True),
        _c("rep_id", "string", "person_id of the rep", required=True),
        _c("assigned_at", "timestamp", "when it was assigned", required=True),
        _c("assigned_by", "string", "person_id, or 'system' / a routing rule"),
    ),
)

DISPOSITIONS = FactTable(
    name="dispositions",
    meaning="Sales accepted, rejected (with a reason) or recycled (with a reason) an MQL.",
    key=("lead_id", "decided_at"),
    required_when={("outcome", "rejected"): "reason", ("outcome", "recycled"): "reason"},
    columns=(
        _c("lead_id", "string", "the lead", required=True),
        _c("rep_id", "string", "person_id of the rep who decided", required=True),
        _c("decided_at", "timestamp", "when it was decided", required=True),
        _c(
            "outcome",
            "string",
            "accepted, rejected or recycled",
            required=True,
            allowed=DISPOSITION_OUTCOMES,
        ),
        _c("reason", "string", "why it was rejected or recycled"),
    ),
)

DEALS = FactTable(
    name="deals",
    meaning="An opportunity: amount, stage, created and closed time, won or lost, rep.",
    key=("deal_id",),
    columns=(
        _c("deal_id", "string", "stable id of the deal", required=True),
        _c("lead_id", "string", "the lead the deal came from"),
        _c("account", "string", "the customer account"),
        _c("product", "string", "product sold"),
        _c("rep_id", "string", "person_id of the owning rep"),
        _c("created_at", "timestamp", "when the opportunity was opened", required=True),
        _c("closed_at", "timestamp", "when it was won or lost"),
        _c("stage", "string", "pipeline stage in the CRM"),
        _c("status", "string", "open, won or lost", required=True, allowed=DEAL_STATUSES),
        _c("amount", "float64", "deal value"),
        _c("currency", "string", "ISO 4217 code of amount"),
        _c("lost_reason", "string", "why it was lost"),
    ),
)

SPEND = FactTable(
    name="spend",
    meaning="Money spent on a day in a channel and campaign.",
    key=("day", "channel", "campaign"),
    columns=(
        _c("day", "date", "the calendar day", required=True),
        _c("channel", "string", "channel (organic_search, paid_search, …)", required=True),
        _c("campaign", "string", "campaign ('' when not split by campaign)", required=True),
        _c("amount", "float64", "money spent", required=True),
        _c("currency", "string", "ISO 4217 code of amount", required=True),
    ),
)

FACT_TABLES: dict[str, FactTable] = {
    t.name: t
    for t in (
        PEOPLE,
        LEADS,
        STAGE_CHANGES,
        TOUCHPOINTS,
        ACTIVITIES,
        ASSIGNMENTS,
        DISPOSITIONS,
        DEALS,
        SPEND,
    )
}


def fact_table(name: str) -> FactTable:
    """The declared fact table called ``name``; a clear error for any other name."""
    try:
        return FACT_TABLES[name]
    except KeyError:
        known = ", ".join(FACT_TABLES)
        raise KeyError(f"unknown fact table {name!r}; the fact tables are: {known}") from None
