"""Maven CRM (real data): win rate, sales cycle and won revenue per agent, manager and office.

The CSVs are read twice, independently: once into facts (people, leads, stage changes, deals)
ingested into the warehouse and measured with the metric catalog, once with plain pandas straight
from the files. Engage date → deal created, close date → deal closed; agent → rep, manager →
the rep's manager, regional office → the rep's region.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
from pathlib import Path

import pandas as pd
import pytest
from ibis.backends import BaseBackend

from alinea.analytics.facts import Facts
from alinea.analytics.metrics import MetricQuery, metric_value
from alinea.analytics.periods import Period
from alinea.analytics.run import fetch
from alinea.warehouse import ingest_many

DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "datasets" / "maven-crm"
NOW = dt.datetime(2018, 1, 1, tzinfo=dt.UTC)
EVERYTHING = Period(dt.date(2016, 1, 1), dt.date(2018, 1, 1))
H2_2017 = Period(dt.date(2017, 7, 1), dt.date(2018, 1, 1))
H1_2017 = Period(dt.date(2017, 1, 1), dt.date(2017, 7, 1))


def _csvs() -> tuple[pd.DataFrame, pd.DataFrame]:
    if not (DATA / "sales_pipeline.csv").exists():
        reason = f"the Maven CRM dataset is not at {DATA.resolve()}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must have ../shared/datasets")
        pytest.skip(reason)
    return pd.read_csv(DATA / "sales_pipeline.csv"), pd.read_csv(DATA / "sales_teams.csv")


def _person_id(name: str) -> str:
    return re.sub(r"[^a-z]+", "-", name.lower()).strip("-")


def _midnight(day: str) -> str:
    return f"{day}T00:00:00+00:00"


def _facts_rows(pipeline: pd.DataFrame, teams: pd.DataFrame) -> dict[str, list[dict]]:
    managers = teams.drop_duplicates("manager")
    people = [
        {
            "person_id": _person_id(row.manager),
            "name": row.manager,
            "team": "sales",
            "role": "manager",
            "region": row.regional_office,
        }
        for row in managers.itertuples()
    ] + [
        {
            "person_id": _person_id(row.sales_agent),
            "name": row.sales_agent,
            "team": "sales",
            "role": "ae",
            "region": row.regional_office,
            "manager_id": _person_id(row.manager),
        }
        for row in teams.itertuples()
    ]
    deals, leads, changes = [], [], []
    for row in pipeline.itertuples():
        rep = _person_id(row.sales_agent)
        engaged, closed = _midnight(row.engage_date), _midnight(row.close_date)
        won = row.deal_stage == "Won"
        deals.append(
            {
                "deal_id": row.opportunity_id,
                "lead_id": row.opportunity_id,
                "account": row.account,
                "product": row.product,
                "rep_id": rep,
                "created_at": engaged,
                "closed_at": closed,
                "status": "won" if won else "lost",
                "amount": float(row.close_value),
            }
        )
        leads.append({"lead_id": row.opportunity_id, "created_at": engaged, "owner_id": rep})
        changes.append(
            {"lead_id": row.opportunity_id, "stage": "opportunity", "changed_at": engaged}
        )
        if won:
            changes.append(
                {"lead_id": row.opportunity_id, "stage": "customer", "changed_at": closed}
            )
    return {"people": people, "leads": leads, "stage_changes": changes, "deals": deals}


@pytest.fixture
def maven(warehouse: BaseBackend) -> tuple[Facts, pd.DataFrame]:
    pipeline, teams = _csvs()
    ingest_many(warehouse, _facts_rows(pipeline, teams))
    return Facts.of(warehouse), pipeline.merge(teams, on="sales_agent", how="left")


def _pandas(frame: pd.DataFrame, by: str, period: Period) -> pd.DataFrame:
    """Per group: win rate, median engage → close days of won deals and won revenue."""
    close = pd.to_datetime(frame.close_date)
    closed = frame[(close >= pd.Timestamp(period.start)) & (close < pd.Timestamp(period.end))]
    closed = closed.assign(
        won=closed.deal_stage == "Won",
        days=(pd.to_datetime(closed.close_date) - pd.to_datetime(closed.engage_date)).dt.days,
    )
    grouped = closed.groupby(by)
    return pd.DataFrame(
        {
            "win_rate": grouped.won.mean(),
            "closed": grouped.size(),
            "sales_cycle": closed[closed.won].groupby(by).days.median(),
            "revenue_won": closed[closed.won].groupby(by).close_value.sum(),
            "won": grouped.won.sum(),
        }
    )


GROUPINGS = [
    ("rep_id", "sales_agent"),
    ("rep_manager_id", "manager"),
    ("rep_region", "regional_office"),
]


def _catalog(facts: Facts, name: str, group_by: str, period: Period, comparison=None):
    query = MetricQuery(period=period, comparison=comparison, now=NOW, group_by=group_by)
    return fetch(metric_value(facts, name, query)).set_index("breakdown")


def _key(name: str, group_by: str) -> str:
    return _person_id(name) if group_by != "rep_region" else name


@pytest.mark.parametrize(("group_by", "column"), GROUPINGS)
def test_win_rate_cycle_and_revenue_equal_pandas_per_group(maven, group_by: str, column: str):
    facts, frame = maven
    expected = _pandas(frame, column, EVERYTHING)
    assert len(expected) >= 3
    for name, count_column in [
        ("win_rate", "closed"),
        ("sales_cycle", "won"),
        ("revenue_won", "won"),
    ]:
        got = _catalog(facts, name, group_by, EVERYTHING)
        assert sorted(got.index) == sorted(_key(g, group_by) for g in expected.index)
        for group, row in expected.iterrows():
            answer = got.loc[_key(group, group_by)]
            assert math.isclose(answer["value"], row[name], rel_tol=1e-12), (name, group)
            assert answer["count"] == row[count_column], (name, group)


def test_the_comparison_period_is_measured_the_same_way(maven):
    facts, frame = maven
    now_side, before = (
        _pandas(frame, "regional_office", H2_2017),
        _pandas(frame, "regional_office", H1_2017),
    )
    got = _catalog(facts, "win_rate", "rep_region", H2_2017, comparison=H1_2017)
    for office in now_side.index:
        assert math.isclose(got.loc[office, "value"], now_side.loc[office, "win_rate"])
        assert math.isclose(got.loc[office, "comparison_value"], before.loc[office, "win_rate"])
        assert got.loc[office, "comparison_count"] == before.loc[office, "closed"]


def test_a_filter_keeps_one_office(maven):
    facts, frame = maven
    west = frame[frame.regional_office == "West"]
    query = MetricQuery(period=EVERYTHING, now=NOW, filters={"rep_region": ["West"]})
    got = fetch(metric_value(facts, "win_rate", query)).iloc[0]
    assert got["count"] == len(west)
    assert math.isclose(got["value"], (west.deal_stage == "Won").mean())
