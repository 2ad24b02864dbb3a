"""``maven-crm``: Maven Analytics' "CRM Sales Opportunities" folder.

``sales_pipeline.csv`` has one row per opportunity as it stands (a snapshot): agent, product,
account, ``deal_stage`` (Won, Lost, Engaging, Prospecting), ``engage_date``, ``close_date`` and
``close_value``. Each row yields a deal, the stage change it implies when it was engaged
(``opportunity`` at ``engage_date``) and, when won, ``customer`` at ``close_date``; the
opportunity id stands for the lead. ``sales_teams.csv`` yields the people: each agent (an AE,
region = regional office, managed by their manager) and each manager. ``accounts.csv`` and
``products.csv`` are reference data with no facts in them. Dates are calendar days, read as
midnight UTC. The pipeline writes ``GTXPro`` where the products file says ``GTX Pro``; deals use
the products file's spelling.
"""

from __future__ import annotations

from alinea.importing.mapping import (
    FileMapping,
    Mapping,
    column,
    constant,
    one_of,
    output,
    present,
)

_AGENT = column("sales_agent", function="slug")
_STATUS = {"Won": "won", "Lost": "lost", "Engaging": "open", "Prospecting": "open"}

PIPELINE = FileMapping(
    match="sales_pipeline*.csv",
    outputs=(
        output(
            "deals",
            "one per opportunity",
            deal_id=column("opportunity_id"),
            lead_id=column("opportunity_id"),
            account=column("account"),
            product=column("product", values={"GTXPro": "GTX Pro"}, keep_unmapped=True),
            rep_id=_AGENT,
            created_at=column("engage_date"),
            closed_at=column("close_date"),
            stage=column("deal_stage"),
            status=column("deal_stage", values=_STATUS),
            amount=column("close_value"),
            currency=constant("USD"),
        ),
        output(
            "stage_changes",
            "opportunity when engaged",
            when=(present("engage_date"),),
            lead_id=column("opportunity_id"),
            stage=constant("opportunity"),
            changed_at=column("engage_date"),
            changed_by=_AGENT,
        ),
        output(
            "stage_changes",
            "customer when won",
            when=(one_of("deal_stage", "Won"),),
            lead_id=column("opportunity_id"),
            stage=constant("customer"),
            changed_at=column("close_date"),
            changed_by=_AGENT,
        ),
    ),
)

TEAMS = FileMapping(
    match="sales_teams*.csv",
    outputs=(
        output(
            "people",
            "agents",
            person_id=_AGENT,
            name=column("sales_agent"),
            team=constant("sales"),
            role=constant("ae"),
            region=column("regional_office"),
            manager_id=column("manager", function="slug"),
        ),
        output(
            "people",
            "managers",
            person_id=column("manager", function="slug"),
            name=column("manager"),
            team=constant("sales"),
            role=constant("manager"),
            region=column("regional_office"),
        ),
    ),
)

MAVEN_CRM = Mapping(
    name="maven-crm",
    description="Maven CRM sales opportunities: deals, stage changes and the sales team.",
    timezone="UTC",
    files=(
        PIPELINE,
        TEAMS,
        FileMapping("accounts*.csv", note="reference data: sectors and sizes of accounts"),
        FileMapping("products*.csv", note="reference data: list prices of products"),
    ),
)
