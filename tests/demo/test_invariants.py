"""Consistency of the demo's facts, checked independently with pandas on what was written."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from alinea.demo.people import SYSTEM_ACTORS
from alinea.warehouse import FACT_TABLES

if TYPE_CHECKING:
    from tests.demo.conftest import Demo

HORIZON = pd.Timestamp("2025-07-01", tz="UTC")  # end of the as_of day, 2025-06-30
FIRST_DAY = pd.Timestamp("2024-04-01", tz="UTC")
#: A lead's path: maybe a subscriber, a lead, any number of MQL→recycled-to-lead round trips,
#: then as far as it got. Demo requests skip MQL.
PATH = re.compile(r"(subscriber,)?lead,(mql,lead,)*(mql,)?(sql,)?(opportunity,)?(customer,)?")

TIME_COLUMNS = {
    "leads": ["created_at"],
    "stage_changes": ["changed_at"],
    "touchpoints": ["occurred_at"],
    "activities": ["occurred_at"],
    "assignments": ["assigned_at"],
    "dispositions": ["decided_at"],
    "deals": ["created_at", "closed_at"],
}


def _stage_at(demo: Demo, stage: str) -> pd.Series:
    """When each lead first entered ``stage``."""
    changes = demo["stage_changes"]
    return changes[changes["stage"] == stage].groupby("lead_id")["changed_at"].min()


def test_every_fact_names_a_known_lead(demo: Demo) -> None:
    leads = set(demo["leads"]["lead_id"])
    for table in ("stage_changes", "touchpoints", "activities", "assignments", "dispositions"):
        assert set(demo[table]["lead_id"]) <= leads, table
    assert set(demo["deals"]["lead_id"]) <= leads


def test_every_person_named_in_a_fact_exists(demo: Demo) -> None:
    people = set(demo["people"]["person_id"])
    for table, column in [
        ("activities", "rep_id"),
        ("assignments", "rep_id"),
        ("dispositions", "rep_id"),
        ("deals", "rep_id"),
        ("leads", "owner_id"),
        ("people", "manager_id"),
    ]:
        assert set(demo[table][column].dropna()) <= people, (table, column)
    movers = set(demo["stage_changes"]["changed_by"]) | set(demo["assignments"]["assigned_by"])
    assert movers <= people | set(SYSTEM_ACTORS)


def test_no_fact_lies_outside_the_history(demo: Demo) -> None:
    for table, columns in TIME_COLUMNS.items():
        for column in columns:
            times = demo[table][column].dropna()
            assert times.max() < HORIZON, (table, column)
            assert times.min() >= FIRST_DAY, (table, column)
    days = pd.to_datetime(demo["spend"]["day"])
    assert days.min() >= FIRST_DAY.tz_localize(None)
    assert days.max() < HORIZON.tz_localize(None)


def test_natural_keys_are_unique(demo: Demo) -> None:
    for name, table in FACT_TABLES.items():
        assert not demo[name].duplicated(list(table.key)).any(), name


def test_each_lead_moves_along_its_path_in_time_order(demo: Demo) -> None:
    changes = demo["stage_changes"].sort_values(["lead_id", "changed_at"])
    assert (changes.groupby("lead_id")["changed_at"].diff().dropna() > pd.Timedelta(0)).all()
    paths = changes.groupby("lead_id")["stage"].agg(lambda s: ",".join(s) + ",")
    wrong = paths[~paths.map(lambda p: PATH.fullmatch(p) is not None)]
    assert wrong.empty, wrong.head()
    assert len(paths) == len(demo["leads"])


def test_the_lead_stage_starts_at_creation(demo: Demo) -> None:
    leads = demo["leads"].set_index("lead_id")["created_at"]
    first_lead = _stage_at(demo, "lead")
    assert first_lead.reindex(leads.index).equals(leads)


def test_a_lead_reenters_lead_once_per_recycling(demo: Demo) -> None:
    changes = demo["stage_changes"]
    lead_rows = changes[changes["stage"] == "lead"].groupby("lead_id").size()
    dispositions = demo["dispositions"]
    recycled = dispositions[dispositions["outcome"] == "recycled"].groupby("lead_id").size()
    expected = (1 + recycled.reindex(lead_rows.index, fill_value=0)).astype(lead_rows.dtype)
    pd.testing.assert_series_equal(lead_rows, expected, check_names=False)


def test_deals_exist_exactly_for_opportunities(demo: Demo) -> None:
    deals = demo["deals"].set_index("lead_id")
    opened = _stage_at(demo, "opportunity")
    assert set(deals.index) == set(opened.index)
    assert (
        deals["lead_id" if "lead_id" in deals else "created_at"]
        .ge(opened.reindex(deals.index))
        .all()
    )


def test_won_deals_and_customers_match_at_the_close(demo: Demo) -> None:
    deals = demo["deals"]
    won = deals[deals["status"] == "won"].set_index("lead_id")["closed_at"].sort_index()
    customers = _stage_at(demo, "customer").sort_index()
    pd.testing.assert_series_equal(
        won.astype("datetime64[us, UTC]"), customers, check_names=False, check_index_type=False
    )


def test_deal_fields_follow_the_status(demo: Demo) -> None:
    deals = demo["deals"]
    open_ = deals["status"] == "open"
    assert deals.loc[open_, "closed_at"].isna().all()
    assert deals.loc[~open_, "closed_at"].notna().all()
    assert (deals.loc[~open_, "closed_at"] > deals.loc[~open_, "created_at"]).all()
    lost = deals["status"] == "lost"
    assert deals.loc[lost, "lost_reason"].notna().all()
    assert deals.loc[~lost, "lost_reason"].isna().all()
    assert set(deals["currency"]) == {"USD"}
    assert set(deals.loc[deals["status"] == "won", "stage"]) == {"closed won"}
    assert deals["account"].notna().all()


def test_deals_belong_to_aes_of_the_leads_region(demo: Demo) -> None:
    people = demo["people"].set_index("person_id")
    deals = demo["deals"].merge(demo["leads"][["lead_id", "region"]], on="lead_id")
    assert (people.loc[deals["rep_id"], "role"].to_numpy() == "ae").all()
    assert (people.loc[deals["rep_id"], "region"].to_numpy() == deals["region"].to_numpy()).all()


def test_mqls_and_demo_requests_are_assigned_soon_in_their_region(demo: Demo) -> None:
    mql, sql = _stage_at(demo, "mql"), _stage_at(demo, "sql")
    qualified = pd.concat([mql, sql[~sql.index.isin(mql.index)]])
    assignments = demo["assignments"]
    first = assignments.groupby("lead_id")["assigned_at"].min()
    settled = qualified[qualified < HORIZON - pd.Timedelta(days=1)]
    assert settled.index.isin(first.index).all()
    delay = first.reindex(settled.index) - settled
    assert (delay >= pd.Timedelta(0)).all()
    assert delay.median() < pd.Timedelta(hours=1)
    regions = demo["leads"].set_index("lead_id")["region"]
    rep_region = demo["people"].set_index("person_id")["region"]
    assert (
        rep_region.loc[assignments["rep_id"]].to_numpy()
        == regions.loc[assignments["lead_id"]].to_numpy()
    ).all()


def test_owner_is_the_rep_of_the_latest_assignment(demo: Demo) -> None:
    latest = demo["assignments"].sort_values("assigned_at").groupby("lead_id")["rep_id"].last()
    owners = demo["leads"].set_index("lead_id")["owner_id"]
    pd.testing.assert_series_equal(
        owners.dropna().sort_index(), latest.sort_index(), check_names=False
    )


def test_dispositions_follow_an_mql_with_a_reason_when_needed(demo: Demo) -> None:
    dispositions = demo["dispositions"]
    mql = _stage_at(demo, "mql")
    assert (dispositions["decided_at"] > mql.reindex(dispositions["lead_id"]).to_numpy()).all()
    accepted = dispositions["outcome"] == "accepted"
    assert dispositions.loc[accepted, "reason"].isna().all()
    assert dispositions.loc[~accepted, "reason"].notna().all()


def test_accounts_look_the_same_to_every_lead(demo: Demo) -> None:
    leads = demo["leads"]
    per_company = leads.groupby("company")[["segment", "industry", "country", "company_size"]]
    assert (per_company.nunique() == 1).all().all()
    bounds = {"smb": (1, 199), "mid_market": (200, 999), "enterprise": (1_000, 10**6)}
    for segment, (low, high) in bounds.items():
        sizes = leads.loc[leads["segment"] == segment, "company_size"]
        assert sizes.between(low, high).all(), segment


def test_countries_belong_to_their_region(demo: Demo) -> None:
    pairs = set(map(tuple, demo["leads"][["country", "region"]].drop_duplicates().to_numpy()))
    regions: dict[str, set[str]] = {}
    for country, region in pairs:
        regions.setdefault(country, set()).add(region)
    assert all(len(r) == 1 for r in regions.values())
    assert {("ES", "EMEA"), ("MX", "LATAM"), ("AR", "LATAM"), ("US", "North America")} <= pairs


def test_first_touch_is_the_leads_own_channel_and_campaign(demo: Demo) -> None:
    touches = demo["touchpoints"].sort_values(["lead_id", "occurred_at", "touchpoint_id"])
    first = touches.drop_duplicates("lead_id").set_index("lead_id")
    leads = demo["leads"].set_index("lead_id").loc[first.index]
    assert (first["channel"] == leads["channel"]).all()
    assert (first["campaign"].fillna("") == leads["campaign"].fillna("")).all()
    assert (first["occurred_at"] <= leads["created_at"]).all()
    assert np.isin(demo["leads"]["lead_id"], first.index).all()
