"""The HubSpot and Salesforce profiles on exports written the way those tools write them."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.importing.conftest import facts, write

from alinea.importing import commit, preview
from alinea.importing.profiles import PROFILES
from alinea.warehouse import connect
from alinea.warehouse.schema import CHANNELS

UTC = dt.UTC


def test_built_in_profile_names_are_the_documented_ones() -> None:
    assert list(PROFILES) == [
        "hubspot-contacts",
        "hubspot-deals",
        "salesforce-leads",
        "salesforce-opportunities",
        "maven-crm",
        "x-education",
    ]


HUBSPOT_CONTACTS = (
    "Record ID,First Name,Create Date,Original Source,Original Source Drill-Down 1,"
    "Company Name,Number of Employees,Contact owner,Became a Lead Date,"
    "Became a Marketing Qualified Lead Date\n"
    "101,Ana,2024-03-05 09:15,Paid Search,google,Peña SL,25,María José,2024-03-05 09:15,"
    "2024-03-20 16:00\n"
    "102,Bo,2024-03-06 10:00,Direct Traffic,,Acme,,,2024-03-06 10:00,\n"
)


def test_hubspot_contacts_need_the_portal_time_zone(folder) -> None:
    write(folder, "contacts.csv", HUBSPOT_CONTACTS)
    shown = preview([folder], "hubspot-contacts")
    assert {p.column for p in shown.problems} == {
        "Create Date",
        "Became a Lead Date",
        "Became a Marketing Qualified Lead Date",
    }
    assert all(p.line is None for p in shown.problems)  # one problem per column, not per row
    assert "--timezone Europe/Madrid" in shown.problems[0].reason
    assert not shown.skippable


def test_hubspot_contacts_yield_leads_and_lifecycle_changes(folder) -> None:
    write(folder, "contacts.csv", HUBSPOT_CONTACTS)
    con = connect("duckdb://")
    mapping = PROFILES["hubspot-contacts"].with_overrides(timezone="Europe/Madrid")
    commit(con, [folder], mapping)
    [ana, bo] = facts(con, "leads", "lead_id")
    assert ana["created_at"] == dt.datetime(2024, 3, 5, 8, 15, tzinfo=UTC)  # CET is UTC+1
    assert (ana["channel"], ana["source"], ana["company"]) == ("paid_search", "google", "Peña SL")
    assert (ana["company_size"], ana["owner_id"]) == (25, "maria-jose")
    assert (bo["channel"], bo["company_size"]) == ("direct", None)
    changes = [
        (r["lead_id"], r["stage"]) for r in facts(con, "stage_changes", ["lead_id", "stage"])
    ]
    assert changes == [("101", "lead"), ("101", "mql"), ("102", "lead")]


#: Every "Original Source" value HubSpot exports: its label now, its label in older exports, its
#: internal name, and the channel a reader would choose by hand.
HUBSPOT_SOURCES = [
    ("Organic search", "Organic Search", "ORGANIC_SEARCH", "organic_search"),
    ("Paid search", "Paid Search", "PAID_SEARCH", "paid_search"),
    ("Email marketing", "Email Marketing", "EMAIL_MARKETING", "email"),
    ("Organic social", "Social Media", "SOCIAL_MEDIA", "referral"),
    ("Referrals", "Referrals", "REFERRALS", "referral"),
    ("Other campaigns", "Other Campaigns", "OTHER_CAMPAIGNS", None),
    ("Direct traffic", "Direct Traffic", "DIRECT_TRAFFIC", "direct"),
    ("Offline sources", "Offline Sources", "OFFLINE", "events"),
    ("Paid social", "Paid Social", "PAID_SOCIAL", "paid_social"),
    ("AI referrals", "AI Referrals", "AI_REFERRALS", "referral"),
]


def _contacts_from(sources: list[str]) -> str:
    lines = [f"{n},2024-03-05 09:15,{s}" for n, s in enumerate(sources, 1)]
    return "Record ID,Create Date,Original Source\n" + "\n".join(lines) + "\n"


@pytest.mark.parametrize("spelling", [0, 1, 2], ids=["label", "older label", "internal name"])
def test_every_hubspot_original_source_becomes_a_warehouse_channel(folder, spelling) -> None:
    write(folder, "contacts.csv", _contacts_from([s[spelling] for s in HUBSPOT_SOURCES]))
    mapping = PROFILES["hubspot-contacts"].with_overrides(timezone="UTC")
    assert preview([folder], mapping).problems == ()
    con = connect("duckdb://")
    commit(con, [folder], mapping)
    stored = {r["lead_id"]: r["channel"] for r in facts(con, "leads", "lead_id")}
    assert stored == {str(n): s[3] for n, s in enumerate(HUBSPOT_SOURCES, 1)}
    assert {c for c in stored.values() if c is not None} <= set(CHANNELS)


def test_an_unknown_hubspot_source_is_a_problem_not_a_lost_value(folder) -> None:
    write(folder, "contacts.csv", _contacts_from(["Paid search", "Carrier pigeon"]))
    shown = preview([folder], PROFILES["hubspot-contacts"].with_overrides(timezone="UTC"))
    [problem] = shown.problems
    assert (problem.line, problem.column, problem.value) == (3, "Original Source", "Carrier pigeon")
    assert shown.skippable


def test_hubspot_deals_keep_the_close_date_of_closed_deals_only(folder) -> None:
    write(
        folder,
        "deals.csv",
        "Record ID,Deal Name,Deal Stage,Create Date,Close Date,Amount,Deal owner\n"
        "1,A,Closed Won,2024-01-02 10:00,2024-02-01 12:00,1500.5,Ana Peña\n"
        "2,B,Closed Lost,2024-01-03 10:00,2024-02-02 12:00,,Ana Peña\n"
        "3,C,Contract Sent,2024-01-04 10:00,2024-06-30 00:00,900,\n",
    )
    con = connect("duckdb://")
    commit(con, [folder], PROFILES["hubspot-deals"].with_overrides(timezone="UTC"))
    found = {
        r["deal_id"]: (r["status"], r["closed_at"], r["amount"], r["currency"], r["rep_id"])
        for r in facts(con, "deals", "deal_id")
    }
    assert found == {
        "1": ("won", dt.datetime(2024, 2, 1, 12, tzinfo=UTC), 1500.5, "USD", "ana-pena"),
        "2": ("lost", dt.datetime(2024, 2, 2, 12, tzinfo=UTC), None, "USD", "ana-pena"),
        "3": ("open", None, 900.0, "USD", None),
    }


def test_salesforce_leads_with_day_first_dates_and_conversion(folder) -> None:
    write(
        folder,
        "leads.csv",
        "Lead ID,Create Date,Lead Source,Company / Account,Converted Date\n"
        "00Q1,15/03/2024,Web,Acme,02/04/2024\n"
        "00Q2,03/04/2024,Trade Show,Beta,\n",
        "cp1252",
    )
    con = connect("duckdb://")
    record = commit(con, [folder], PROFILES["salesforce-leads"].with_overrides(timezone="UTC"))
    assert any("reads only that way" in note for note in record.notes)
    leads = {
        r["lead_id"]: (r["created_at"].date(), r["channel"]) for r in facts(con, "leads", "lead_id")
    }
    assert leads == {
        "00Q1": (dt.date(2024, 3, 15), "direct"),
        "00Q2": (dt.date(2024, 4, 3), "events"),
    }
    changes = [
        (r["lead_id"], r["stage"], r["changed_at"].date())
        for r in facts(con, "stage_changes", ["lead_id", "changed_at"])
    ]
    assert changes == [
        ("00Q1", "lead", dt.date(2024, 3, 15)),
        ("00Q1", "sql", dt.date(2024, 4, 2)),
        ("00Q2", "lead", dt.date(2024, 4, 3)),
    ]


def test_salesforce_opportunities_with_decimal_commas_yield_deals_and_changes(folder) -> None:
    write(
        folder,
        "opps.csv",
        "Opportunity ID;Opportunity Owner;Account Name;Stage;Amount;Created Date;Close Date\n"
        "006A;José Núñez;Acme;Closed Won;1.250,50;01/02/2024;20/03/2024\n"
        "006B;José Núñez;Beta;Prospecting;300;05/02/2024;30/06/2024\n",
    )
    con = connect("duckdb://")
    mapping = PROFILES["salesforce-opportunities"].with_overrides(timezone="UTC")
    record = commit(con, [folder], mapping)
    assert (
        "column 'Created Date': dates read as dd-mm-yyyy (day first) like column 'Close Date'"
        in " ".join(record.notes)
    )
    deals = {
        r["deal_id"]: (r["status"], r["amount"], r["closed_at"], r["rep_id"])
        for r in facts(con, "deals", "deal_id")
    }
    assert deals == {
        "006A": ("won", 1250.5, dt.datetime(2024, 3, 20, tzinfo=UTC), "jose-nunez"),
        "006B": ("open", 300.0, None, "jose-nunez"),
    }
    changes = [
        (r["lead_id"], r["stage"]) for r in facts(con, "stage_changes", ["lead_id", "changed_at"])
    ]
    assert changes == [("006A", "opportunity"), ("006A", "customer"), ("006B", "opportunity")]
