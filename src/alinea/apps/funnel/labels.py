"""How the funnel's keys (stages, dimensions, modes, grains) read on screen, in the reader's
language. The keys themselves are the analytics core's; unknown keys are shown as they are."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

STAGE_LABELS: dict[str, Promise] = {
    "subscriber": _("Subscriber"),
    "lead": _("Lead"),
    "mql": _("MQL"),
    "sql": _("SQL"),
    "opportunity": _("Opportunity"),
    "customer": _("Customer"),
}

#: The breakdowns offered on the page, in menu order (every lead dimension works in the API).
BREAKDOWN_LABELS: dict[str, Promise] = {
    "channel": _("Channel"),
    "segment": _("Segment"),
    "campaign": _("Campaign"),
    "landing_page": _("Landing page"),
    "region": _("Region"),
    "owner_id": _("Rep (lead owner)"),
    "owner_team": _("Team of the owner"),
    "owner_region": _("Region of the owner"),
    "source": _("Source"),
    "industry": _("Industry"),
    "country": _("Country"),
}

MODE_LABELS: dict[str, Promise] = {
    "any": _("Any stage (skipped stages count as passed)"),
    "ordered": _("All stages in order"),
}

BASIS_LABELS: dict[str, Promise] = {
    "cohort": _("Cohort (by entry into the first stage)"),
    "event": _("Event (by the date each step happened)"),
}

GRAIN_LABELS: dict[str, Promise] = {
    "week": _("Week"),
    "month": _("Month"),
    "quarter": _("Quarter"),
}

#: The special breakdown values of the analytics core.
VALUE_LABELS: dict[str, Promise] = {
    "(all)": _("All leads"),
    "(other)": _("Other"),
    "(none)": _("None"),
}

#: Lead timeline: the kinds of event.
EVENT_LABELS: dict[str, Promise] = {
    "created": _("Lead created"),
    "touchpoint": _("Touchpoint"),
    "stage_change": _("Stage change"),
    "assignment": _("Assigned"),
    "activity": _("Activity"),
    "disposition": _("Disposition"),
    "deal_created": _("Deal opened"),
    "deal_closed": _("Deal closed"),
}


def stage_label(stage: str) -> str:
    return str(STAGE_LABELS.get(stage, stage))


def value_label(value: str, names: dict[str, str] | None = None) -> str:
    """A breakdown value as shown: the special values translated, person ids as names."""
    if value in VALUE_LABELS:
        return str(VALUE_LABELS[value])
    if names and value in names:
        return names[value]
    return value


#: Column headings of the lead lists (and their CSV header, which keeps the keys).
COLUMN_LABELS: dict[str, Promise] = {
    "lead_id": _("Lead"),
    "breakdown": _("Breakdown value"),
    "reached_at": _("Reached"),
    "stage": _("Stage"),
    "next_stage": _("Missed step"),
    "entered_at": _("In stage since"),
    "age_days": _("Days in stage"),
    "threshold_days": _("Threshold (days)"),
    "days": _("Days to convert"),
    "channel": _("Channel"),
    "segment": _("Segment"),
    "campaign": _("Campaign"),
    "region": _("Region"),
    "owner_name": _("Owner"),
    "cohort": _("Cohort"),
    "bin": _("Time to convert"),
}

LIST_TITLES: dict[str, Promise] = {
    "reached": _("Leads that reached a step"),
    "dropped": _("Leads that dropped off"),
    "stalled": _("Stalled leads"),
    "converted": _("Leads by time to convert"),
}

#: The facts shown on a lead's timeline.
DETAIL_LABELS: dict[str, Promise] = {
    "type": _("Type"),
    "channel": _("Channel"),
    "source": _("Source"),
    "medium": _("Medium"),
    "campaign": _("Campaign"),
    "landing_page": _("Landing page"),
    "stage": _("Stage"),
    "changed_by": _("Moved by"),
    "rep_id": _("Rep"),
    "assigned_by": _("Assigned by"),
    "outcome": _("Outcome"),
    "reason": _("Reason"),
    "deal_id": _("Deal"),
    "status": _("Status"),
    "amount": _("Amount"),
    "currency": _("Currency"),
    "product": _("Product"),
    "lost_reason": _("Lost reason"),
}
