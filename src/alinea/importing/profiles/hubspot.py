"""``hubspot-contacts`` and ``hubspot-deals``: HubSpot's CRM exports (Contacts / Deals → Export,
all properties, CSV or XLSX), with the export's own column names.

HubSpot writes times in the portal's time zone without saying which: give it with ``--timezone``
(or the mapping's ``timezone``). Contacts yield leads and one stage change per lifecycle-stage date
the export includes ("Became a … Date"). Deals yield deals; the close date of an open deal is only
an expectation, so it is kept for closed deals only.
"""

from __future__ import annotations

from dataclasses import replace

from alinea.importing.mapping import (
    FileMapping,
    Mapping,
    Output,
    column,
    constant,
    one_of,
    output,
    present,
)

#: HubSpot's "Original Source" values (its internal name and its label) → alinea channel. The
#: warehouse has no organic-social channel: unpaid visits from a social network are referral
#: traffic (the network's name stays in ``source``, from "Original Source Drill-Down 1"). "Other
#: campaigns" names no channel, so the lead keeps none.
_SOURCE_CHANNELS = {
    "ORGANIC_SEARCH": ("Organic search", "organic_search"),
    "PAID_SEARCH": ("Paid search", "paid_search"),
    "EMAIL_MARKETING": ("Email marketing", "email"),
    "SOCIAL_MEDIA": ("Organic social", "referral"),
    "REFERRALS": ("Referrals", "referral"),
    "OTHER_CAMPAIGNS": ("Other campaigns", ""),
    "DIRECT_TRAFFIC": ("Direct traffic", "direct"),
    "OFFLINE": ("Offline sources", "events"),
    "PAID_SOCIAL": ("Paid social", "paid_social"),
    "AI_REFERRALS": ("AI referrals", "referral"),
}


def _source_values() -> dict[str, str]:
    """Every spelling an export may carry: the internal name, the label as HubSpot writes it now
    (sentence case), in the title case of older exports, and the older "Social Media" label."""
    found = {"Social Media": "referral"}
    for name, (label, channel) in _SOURCE_CHANNELS.items():
        found |= {name: channel, label: channel, label.title().replace("Ai ", "AI "): channel}
    return found


ORIGINAL_SOURCE = _source_values()

LIFECYCLE_DATES = {
    "subscriber": "Became a Subscriber Date",
    "lead": "Became a Lead Date",
    "mql": "Became a Marketing Qualified Lead Date",
    "sql": "Became a Sales Qualified Lead Date",
    "opportunity": "Became an Opportunity Date",
    "customer": "Became a Customer Date",
}


def _opt(name: str, **options: object) -> object:
    return column(name, optional=True, **options)


CONTACTS = Mapping(
    name="hubspot-contacts",
    description="HubSpot contacts export: leads and their lifecycle-stage changes.",
    files=(
        FileMapping(
            match="*",
            outputs=(
                output(
                    "leads",
                    "one per contact",
                    lead_id=column("Record ID"),
                    created_at=column("Create Date"),
                    channel=column("Original Source", values=ORIGINAL_SOURCE, optional=True),
                    source=column("Original Source Drill-Down 1", optional=True),
                    campaign=column("Original Source Drill-Down 2", optional=True),
                    company=column("Company Name", optional=True),
                    industry=column("Industry", optional=True),
                    company_size=column("Number of Employees", optional=True),
                    country=column("Country/Region", optional=True),
                    job_role=column("Job Title", optional=True),
                    owner_id=column("Contact owner", function="slug", optional=True),
                ),
                *(
                    output(
                        "stage_changes",
                        f"{stage} from {date}",
                        when=(present(date),),
                        optional=True,
                        lead_id=column("Record ID"),
                        stage=constant(stage),
                        changed_at=column(date),
                        changed_by=constant("hubspot"),
                    )
                    for stage, date in LIFECYCLE_DATES.items()
                ),
            ),
        ),
    ),
)

_CLOSED = ("Closed Won", "Closed Lost", "closedwon", "closedlost")
_STATUS = {"Closed Won": "won", "closedwon": "won", "Closed Lost": "lost", "closedlost": "lost"}


def _deal(label: str, *, closed: bool) -> Output:
    deal = output(
        "deals",
        label,
        when=(one_of("Deal Stage", *_CLOSED, negate=not closed),),
        deal_id=column("Record ID"),
        account=column("Associated Company", optional=True),
        rep_id=column("Deal owner", function="slug", optional=True),
        created_at=column("Create Date"),
        stage=column("Deal Stage"),
        status=column("Deal Stage", values=_STATUS, default="open"),
        amount=column("Amount", optional=True),
        currency=column("Currency", optional=True, default="USD"),
        lost_reason=column("Closed Lost Reason", optional=True),
    )
    if not closed:
        return deal
    return replace(deal, columns=(*deal.columns, ("closed_at", column("Close Date"))))


DEALS = Mapping(
    name="hubspot-deals",
    description="HubSpot deals export: deals, won or lost with their close date, or open.",
    files=(
        FileMapping(
            match="*",
            outputs=(_deal("closed deals", closed=True), _deal("open deals", closed=False)),
        ),
    ),
)
