"""The built-in profiles on the real public datasets in ../shared/datasets, checked against an
independent pandas reading of the same CSV files."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pandas as pd
import pytest

from alinea.analytics.facts import Facts
from alinea.analytics.metrics.catalog import metric_value
from alinea.analytics.metrics.query import MetricQuery
from alinea.analytics.periods import Period
from alinea.analytics.run import fetch
from alinea.importing import commit

DATASETS = Path(__file__).resolve().parents[2].parent / "shared" / "datasets"
MAVEN = DATASETS / "maven-crm"
X_EDUCATION = DATASETS / "x-education-leads"


def dataset(folder: Path) -> Path:
    if not folder.is_dir():
        reason = f"the public dataset {folder} is absent (it lives beside the checkout)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return folder


def slug(name: str) -> str:
    """How an independent reader would turn the Maven names into ids."""
    return name.lower().replace(" ", "-")


# -- Maven CRM ------------------------------------------------------------------------------------

EVERYTHING = Period(dt.date(2016, 1, 1), dt.date(2019, 1, 1))
NOW = dt.datetime(2019, 1, 1, tzinfo=dt.UTC)
BREAKDOWNS = {"rep_id": "sales_agent", "rep_manager_id": "manager", "rep_region": "regional_office"}


@pytest.fixture
def maven(warehouse):
    folder = dataset(MAVEN)
    record = commit(warehouse, [folder], "maven-crm")
    assert record.status == "imported"
    return warehouse


@pytest.fixture(scope="module")
def pipeline() -> pd.DataFrame:
    folder = dataset(MAVEN)
    deals = pd.read_csv(folder / "sales_pipeline.csv", parse_dates=["engage_date", "close_date"])
    teams = pd.read_csv(folder / "sales_teams.csv")
    joined = deals.merge(teams, on="sales_agent", how="left", validate="many_to_one")
    assert joined.manager.notna().all()
    return joined


def expected(pipeline: pd.DataFrame, by: str) -> dict[str, dict[str, float]]:
    won = pipeline[pipeline.deal_stage == "Won"]
    closed = pipeline[pipeline.deal_stage.isin(["Won", "Lost"])]
    cycle = (won.close_date - won.engage_date).dt.days
    keys = (lambda v: slug(v)) if by != "regional_office" else (lambda v: v)
    return {
        "win_rate": {
            keys(k): v for k, v in (closed.deal_stage == "Won").groupby(closed[by]).mean().items()
        },
        "sales_cycle": {keys(k): v for k, v in cycle.groupby(won[by]).median().items()},
        "revenue_won": {keys(k): v for k, v in won.close_value.groupby(won[by]).sum().items()},
    }


@pytest.mark.parametrize("group_by", sorted(BREAKDOWNS))
def test_maven_deal_metrics_equal_pandas(maven, pipeline, group_by) -> None:
    facts = Facts.of(maven)
    query = MetricQuery(period=EVERYTHING, now=NOW, group_by=group_by)
    wanted = expected(pipeline, BREAKDOWNS[group_by])
    for name, values in wanted.items():
        found = fetch(metric_value(facts, name, query))
        got = {row.breakdown: row.value for row in found.itertuples() if pd.notna(row.value)}
        got = {k: v for k, v in got.items() if k in values or v}
        assert got == pytest.approx(values), (name, group_by)
    assert len(wanted["win_rate"]) == {"rep_id": 30, "rep_manager_id": 6, "rep_region": 3}[group_by]


def test_maven_products_use_the_products_file_spelling(maven) -> None:
    products = set(pd.read_csv(MAVEN / "products.csv")["product"])
    stored = set(maven.table("deals").product.to_pandas())
    assert "GTXPro" not in stored
    assert stored <= products


def test_maven_counts_and_implied_stage_changes(maven, pipeline) -> None:
    changes = maven.table("stage_changes").to_pandas()
    by_stage = changes.groupby("stage").size().to_dict()
    assert by_stage == {
        "opportunity": int(pipeline.engage_date.notna().sum()),
        "customer": int((pipeline.deal_stage == "Won").sum()),
    }
    assert int(maven.table("deals").count().execute()) == len(pipeline) == 6_711
    people = maven.table("people").to_pandas()
    teams = pd.read_csv(MAVEN / "sales_teams.csv")
    assert sorted(people[people.role == "ae"].person_id) == sorted(map(slug, teams.sales_agent))
    assert sorted(people[people.role == "manager"].person_id) == sorted(
        map(slug, teams.manager.unique())
    )


# -- X Education ----------------------------------------------------------------------------------

EMAIL_ACTIVITIES = {"Email Opened", "Email Link Clicked", "View in browser link Clicked"}
WEB_ACTIVITIES = {"Page Visited on Website", "Form Submitted on Website"}


@pytest.fixture
def x_education(warehouse):
    folder = dataset(X_EDUCATION)
    commit(warehouse, [folder], "x-education")
    return warehouse


@pytest.fixture(scope="module")
def leads_csv() -> pd.DataFrame:
    return pd.read_csv(dataset(X_EDUCATION) / "leads.csv", na_values=["Select"])


def test_x_education_counts_equal_the_csv(x_education, leads_csv) -> None:
    source = leads_csv["Lead Source"]
    activity = leads_csv["Last Activity"]
    assert int(x_education.table("leads").count().execute()) == len(leads_csv) == 9_240
    touchpoints = x_education.table("touchpoints").to_pandas()
    kinds = touchpoints.touchpoint_id.str.split(":").str[1].value_counts().to_dict()
    assert kinds == {
        "origin": int(source.notna().sum()),
        "last-activity": int(
            activity.isin(EMAIL_ACTIVITIES).sum()
            + (activity.isin(WEB_ACTIVITIES) & source.notna()).sum()
        ),
    }
    changes = x_education.table("stage_changes").to_pandas().groupby("stage").size().to_dict()
    assert changes == {"lead": len(leads_csv), "customer": int(leads_csv.Converted.sum())}


def test_x_education_leads_and_conversion_per_source_equal_the_csv(x_education, leads_csv) -> None:
    leads = x_education.table("leads").to_pandas()
    customers = x_education.table("stage_changes").to_pandas().query("stage == 'customer'")
    leads["converted"] = leads.lead_id.isin(customers.lead_id)
    found = leads.groupby(leads.source.fillna("(none)")).converted.agg(["size", "mean"])
    source = leads_csv["Lead Source"].fillna("(none)")
    wanted = leads_csv.Converted.groupby(source).agg(["size", "mean"])
    pd.testing.assert_frame_equal(found.sort_index(), wanted.sort_index(), check_names=False)


def test_x_education_select_is_not_an_answer(x_education, leads_csv) -> None:
    leads = x_education.table("leads").to_pandas()
    for fact, column in (("industry", "Specialization"), ("region", "City")):
        assert int(leads[fact].isna().sum()) == int(leads_csv[column].isna().sum())
        assert "Select" not in set(leads[fact].dropna())
