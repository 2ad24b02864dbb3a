"""The demo company looks like a real B2B SaaS funnel: bands the product owner asked for."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pytest

from alinea.warehouse.schema import CHANNELS

if TYPE_CHECKING:
    from tests.demo.conftest import Demo

HORIZON = pd.Timestamp("2025-07-01", tz="UTC")


def _reached(demo: Demo) -> pd.DataFrame:
    """Per lead (with its channel and segment): which stages it ever entered."""
    changes = demo["stage_changes"]
    reached = pd.crosstab(changes["lead_id"], changes["stage"]) > 0
    leads = demo["leads"].set_index("lead_id")[["channel", "segment", "region"]]
    return leads.join(reached)


def _rates(reached: pd.DataFrame) -> pd.Series:
    return pd.Series(
        {
            "lead_to_mql": reached["mql"].mean(),
            "mql_to_sql": (reached["mql"] & reached["sql"]).sum() / reached["mql"].sum(),
            "sql_to_opportunity": reached["opportunity"].sum() / reached["sql"].sum(),
        }
    )


def _win_rate(deals: pd.DataFrame) -> float:
    closed = deals[deals["status"] != "open"]
    return float((closed["status"] == "won").mean())


def test_the_funnel_converts_at_plausible_rates(demo: Demo) -> None:
    rates = _rates(_reached(demo))
    assert 0.20 <= rates["lead_to_mql"] <= 0.35
    assert 0.30 <= rates["mql_to_sql"] <= 0.50
    assert 0.50 <= rates["sql_to_opportunity"] <= 0.70
    assert 0.20 <= _win_rate(demo["deals"]) <= 0.30


def test_channels_differ_in_volume_and_quality(demo: Demo) -> None:
    reached = _reached(demo)
    assert set(reached["channel"]) == set(CHANNELS)
    volume = reached["channel"].value_counts()
    assert volume["paid_social"] > 3 * volume["referral"]
    by_channel = reached.groupby("channel")[["mql", "sql"]].mean()
    assert by_channel.loc["referral", "mql"] > 2 * by_channel.loc["paid_social", "mql"]
    assert by_channel.loc["partners", "sql"] > 4 * by_channel.loc["paid_social", "sql"]
    deals = demo["deals"].merge(demo["leads"][["lead_id", "channel"]], on="lead_id")
    assert _win_rate(deals[deals["channel"] == "referral"]) > _win_rate(
        deals[deals["channel"] == "paid_social"]
    )


def test_enterprise_deals_are_bigger_and_slower(demo: Demo) -> None:
    deals = demo["deals"].merge(demo["leads"][["lead_id", "segment"]], on="lead_id")
    amount = deals.groupby("segment")["amount"].median()
    assert 5_000 <= amount["smb"] <= 15_000
    assert 20_000 <= amount["mid_market"] <= 60_000
    assert 80_000 <= amount["enterprise"] <= 400_000
    closed = deals[deals["status"] != "open"]
    cycle = (closed["closed_at"] - closed["created_at"]).groupby(closed["segment"]).median()
    assert cycle["enterprise"] > 2 * cycle["smb"]


def test_some_leads_recycle_skip_or_stall(demo: Demo) -> None:
    reached = _reached(demo)
    changes = demo["stage_changes"]
    mql_rows = changes[changes["stage"] == "mql"].groupby("lead_id").size()
    assert (mql_rows >= 2).sum() > 0.02 * len(mql_rows)  # recycled and qualified again
    skipped = reached["sql"] & ~reached["mql"]
    assert 0.01 < skipped.mean() < 0.10  # demo requests straight to SQL
    last = changes.sort_values("changed_at").groupby("lead_id").last()
    stalled = last[
        (last["stage"].isin(["mql", "sql"]))
        & (last["changed_at"] < HORIZON - pd.Timedelta(days=120))
    ]
    assert len(stalled) > 0.02 * len(last)
    assert (demo["deals"]["status"] == "open").sum() > 0


def test_dispositions_use_the_agreed_reasons(demo: Demo) -> None:
    dispositions = demo["dispositions"]
    share = dispositions["outcome"].value_counts(normalize=True)
    assert share["accepted"] > share["rejected"] > 0.05
    assert share["recycled"] > 0.05
    reasons = set(dispositions["reason"].dropna())
    assert {"student or job seeker", "competitor", "duplicate", "bad contact data"} <= reasons
    assert {"no budget this quarter", "no response after attempts"} <= reasons


def _business_hours(start: pd.Series, end: pd.Series, zone: str) -> np.ndarray:
    """Business hours (Mon–Fri 09:00–18:00 in ``zone``) from ``start`` to ``end``."""

    def position(ts: pd.Series) -> np.ndarray:
        local = ts.dt.tz_convert(zone).dt.tz_localize(None)
        day = local.dt.normalize().to_numpy().astype("datetime64[D]")
        hour = (local - local.dt.normalize()).dt.total_seconds().to_numpy() / 3600
        today = np.where(np.is_busday(day), np.clip(hour - 9, 0, 9), 0)
        return np.busday_count(np.datetime64("2020-01-06"), day) * 9 + today

    return position(end) - position(start)


@pytest.fixture(scope="module")
def first_responses(demo: Demo) -> pd.DataFrame:
    """Per assignment: the assigned rep's first activity on the lead, in business hours."""
    people = demo["people"].set_index("person_id")
    work = demo["assignments"].merge(demo["activities"], on=["lead_id", "rep_id"], how="left")
    work = work[work["occurred_at"].isna() | (work["occurred_at"] >= work["assigned_at"])]
    first = work.groupby(["lead_id", "rep_id", "assigned_at"], as_index=False)["occurred_at"].min()
    first = first[first["assigned_at"] < HORIZON - pd.Timedelta(days=7)]
    first["zone"] = people.loc[first["rep_id"], "timezone"].to_numpy()
    first["region"] = people.loc[first["rep_id"], "region"].to_numpy()
    first["hours"] = np.inf
    answered = first["occurred_at"].notna()
    for zone, rows in first[answered].groupby("zone"):
        first.loc[rows.index, "hours"] = _business_hours(
            rows["assigned_at"], rows["occurred_at"], str(zone)
        )
    return first


def test_first_responses_breach_a_four_hour_sla_sometimes(first_responses: pd.DataFrame) -> None:
    breach = first_responses["hours"] > 4
    assert 0.10 <= breach.mean() <= 0.30
    by_rep = breach.groupby(first_responses["rep_id"]).mean()
    assert by_rep.max() > 0.5 > 0.1 > by_rep.min()
    calendar = first_responses["occurred_at"] - first_responses["assigned_at"]
    assert (calendar > pd.Timedelta(hours=4)).mean() > breach.mean()  # nights and weekends


def test_one_region_answers_slower_than_the_others(first_responses: pd.DataFrame) -> None:
    median = first_responses.groupby("region")["hours"].median()
    assert median.idxmax() == "APAC"
    assert median["APAC"] > 1.5 * median.drop("APAC").max()


def test_leads_arrive_with_weekly_and_yearly_seasons(demo: Demo) -> None:
    created = demo["leads"]["created_at"].dt.tz_convert("Europe/Madrid")
    daily = created.dt.date.value_counts()
    daily.index = pd.to_datetime(daily.index)
    weekday = daily[daily.index.dayofweek < 5].mean()
    assert weekday > 2 * daily[daily.index.dayofweek >= 5].mean()
    months = daily.groupby(daily.index.month).mean()
    assert months[[9, 10, 11]].mean() > 1.3 * months[[7, 8]].mean()
    december = daily[daily.index.month == 12]
    assert (
        december[december.index.day > 21].mean() < 0.7 * december[december.index.day <= 20].mean()
    )


def test_events_are_lumpy_and_campaigns_bring_bursts(demo: Demo) -> None:
    leads = demo["leads"]
    events = leads[leads["channel"] == "events"]["created_at"].dt.date.value_counts()
    assert events.max() > 8 * events.median()
    campaigns = leads.groupby("channel")["campaign"].nunique()
    assert (campaigns.drop(["organic_search", "direct"]) >= 1).all()
    assert campaigns["paid_social"] >= 4
    assert leads[["source", "landing_page"]].notna().all().all()


def test_spend_follows_channels_and_differs_per_lead(demo: Demo) -> None:
    spend = demo["spend"].groupby("channel")["amount"].sum()
    leads = demo["leads"]["channel"].value_counts()
    assert {"paid_search", "paid_social", "events"} <= set(spend.index)
    assert "direct" not in spend.index
    per_lead = spend / leads.reindex(spend.index)
    assert per_lead["paid_search"] > 2 * per_lead["paid_social"]
    assert per_lead["paid_social"] > 2 * per_lead["organic_search"]
    assert set(demo["spend"]["currency"]) == {"USD"}


def test_journeys_have_several_touches_across_channels(demo: Demo) -> None:
    touches = demo["touchpoints"]
    assert 2.0 <= len(touches) / len(demo["leads"]) <= 3.0
    channels = touches.groupby("lead_id")["channel"].nunique()
    assert (channels >= 2).mean() > 0.3
    assert {"form", "visit", "ad_click", "email_click", "event"} <= set(touches["type"])
    nurture = touches.merge(demo["leads"][["lead_id", "created_at"]], on="lead_id")
    assert (nurture["occurred_at"] > nurture["created_at"]).mean() > 0.1


def test_the_team_has_the_well_known_people(demo: Demo) -> None:
    people = demo["people"].set_index("person_id")
    assert people.loc["mkt-lead", ["team", "role"]].tolist() == ["marketing", "manager"]
    assert people.loc["sales-lead", ["team", "role"]].tolist() == ["sales", "manager"]
    assert people.loc["rep-001", ["team", "role", "region"]].tolist() == ["sales", "sdr", "EMEA"]
    assert people.loc["mkt-001", "team"] == "marketing"
    assert demo["assignments"]["rep_id"].eq("rep-001").sum() > 100
    reps = people[people["role"].isin(["sdr", "ae"])]
    assert 12 <= len(reps) <= 400
    for _, team in reps.groupby("region"):
        assert {"sdr", "ae"} <= set(team["role"])
        assert (people.loc[team["manager_id"], "role"] == "manager").all()
    assert people["timezone"].notna().all()


def test_both_mql_definitions_appear(demo: Demo) -> None:
    changes = demo["stage_changes"]
    versions = changes.loc[changes["stage"] == "mql", "definition_version"]
    assert set(versions) == {"mql-v1", "mql-v2"}
