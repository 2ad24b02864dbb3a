"""``salesforce-leads`` and ``salesforce-opportunities``: Salesforce report exports (Leads and
Opportunities reports, "Details Only", CSV or XLSX), with the report's standard column names.

Reports write dates in the exporting user's locale (``15/03/2024`` or ``3/15/2024``; the order is
inferred from the values or chosen with ``--date-format``) and time zone (give it with
``--timezone``). Leads yield leads, ``lead`` at creation and ``sql`` at the conversion date of
converted leads. Opportunities yield deals (the close date of an open opportunity is only an
expectation and is kept for closed ones), ``opportunity`` at creation and ``customer`` at the close
date of won ones; the opportunity id stands for the lead.
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

LEAD_SOURCE = {
    "Web": "direct",
    "Phone Inquiry": "direct",
    "Partner Referral": "partners",
    "Partner": "partners",
    "Purchased List": "email",
    "Advertisement": "paid_search",
    "Employee Referral": "referral",
    "External Referral": "referral",
    "Word of mouth": "referral",
    "Public Relations": "referral",
    "Trade Show": "events",
    "Seminar - Internal": "events",
    "Seminar - Partner": "events",
    "Other": "",
}

_LEAD = column("Lead ID")

LEADS = Mapping(
    name="salesforce-leads",
    description="Salesforce leads report: leads, created and converted.",
    files=(
        FileMapping(
            match="*",
            outputs=(
                output(
                    "leads",
                    "one per lead",
                    lead_id=_LEAD,
                    created_at=column("Create Date"),
                    source=column("Lead Source", optional=True),
                    channel=column("Lead Source", values=LEAD_SOURCE, default="", optional=True),
                    company=column("Company / Account", optional=True),
                    industry=column("Industry", optional=True),
                    company_size=column("No. of Employees", optional=True),
                    country=column("Country", optional=True),
                    job_role=column("Title", optional=True),
                    owner_id=column("Lead Owner", function="slug", optional=True),
                ),
                output(
                    "stage_changes",
                    "lead when created",
                    lead_id=_LEAD,
                    stage=constant("lead"),
                    changed_at=column("Create Date"),
                    changed_by=constant("salesforce"),
                ),
                output(
                    "stage_changes",
                    "sql when converted",
                    when=(present("Converted Date"),),
                    optional=True,
                    lead_id=_LEAD,
                    stage=constant("sql"),
                    changed_at=column("Converted Date"),
                    changed_by=constant("salesforce"),
                ),
            ),
        ),
    ),
)

_CLOSED = ("Closed Won", "Closed Lost")
_OPPORTUNITY = column("Opportunity ID")
_OWNER = column("Opportunity Owner", function="slug", optional=True)


def _deal(label: str, *, closed: bool) -> Output:
    deal = output(
        "deals",
        label,
        when=(one_of("Stage", *_CLOSED, negate=not closed),),
        deal_id=_OPPORTUNITY,
        lead_id=_OPPORTUNITY,
        account=column("Account Name", optional=True),
        rep_id=_OWNER,
        created_at=column("Created Date"),
        stage=column("Stage"),
        status=column("Stage", values={"Closed Won": "won", "Closed Lost": "lost"}, default="open"),
        amount=column("Amount", optional=True),
        currency=column("Opportunity Currency", optional=True, default="USD"),
        lost_reason=column("Loss Reason", optional=True),
    )
    if not closed:
        return deal
    return replace(deal, columns=(*deal.columns, ("closed_at", column("Close Date"))))


OPPORTUNITIES = Mapping(
    name="salesforce-opportunities",
    description="Salesforce opportunities report: deals and the stage changes they imply.",
    files=(
        FileMapping(
            match="*",
            outputs=(
                _deal("closed opportunities", closed=True),
                _deal("open opportunities", closed=False),
                output(
                    "stage_changes",
                    "opportunity when created",
                    lead_id=_OPPORTUNITY,
                    stage=constant("opportunity"),
                    changed_at=column("Created Date"),
                    changed_by=_OWNER,
                ),
                output(
                    "stage_changes",
                    "customer when won",
                    when=(one_of("Stage", "Closed Won"),),
                    lead_id=_OPPORTUNITY,
                    stage=constant("customer"),
                    changed_at=column("Close Date"),
                    changed_by=_OWNER,
                ),
            ),
        ),
    ),
)
