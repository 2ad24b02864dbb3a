"""The funnel and metric endpoints, through HTTP, against pandas on the same hand-built facts."""

from __future__ import annotations

import datetime as dt
import itertools

import pandas as pd
import pytest
from django.test import Client
from tests.apps.funnel.conftest import NOW, QUESTION
from tests.apps.funnel.reference import STAGES, Reference

from alinea.warehouse import connect, ingest_many


@pytest.fixture
def reference(funnel_facts) -> Reference:
    return Reference(
        funnel_facts, now=NOW, start=dt.date(2025, 1, 1), end=dt.date(2025, 3, 31), window_days=30
    )


def _get(client: Client, path: str, bearer: dict[str, str], **query: object) -> dict:
    response = client.get(path, {**QUESTION, **query}, **bearer)
    assert response.status_code == 200, response.content
    body: dict = response.json()
    return body


def test_without_a_token_the_api_answers_401(client: Client, funnel_facts) -> None:
    for path in ("/api/funnel/conversion", "/api/metrics", "/api/funnel/leads/A1"):
        response = client.get(path)
        assert response.status_code == 401
        assert "token" in response.json()["detail"]


def test_conversion_by_channel(client: Client, bearer, reference: Reference) -> None:
    body = _get(client, "/api/funnel/conversion", bearer, breakdown="channel", top_n="2")
    assert body["params"]["period"] == {
        "start": "2025-01-01",
        "end": "2025-04-01",
        "last_day": "2025-03-31",
    }
    expected = reference.counts(reference.channel_labels(2))
    got: dict[str, list[int]] = {}
    for row in body["rows"]:
        got.setdefault(row["breakdown"], []).append(row["leads"])
    assert got == expected
    lead_rows = [r for r in body["rows"] if r["breakdown"] == "email"]
    for previous, row in itertools.pairwise(lead_rows):
        rate = row["leads"] / previous["leads"] if previous["leads"] else None
        assert row["step_conversion"] == pytest.approx(rate)
        assert row["drop_off"] == pytest.approx(None if rate is None else 1 - rate)


def test_cohorts_and_trend(client: Client, bearer, reference: Reference) -> None:
    rows = _get(client, "/api/funnel/cohorts", bearer)["rows"]
    got: dict[str, list[int]] = {}
    for row in rows:
        got.setdefault(row["period"], []).append(row["leads"])
    assert got == {month.isoformat(): counts for month, counts in reference.monthly().items()}
    assert all(row["mature"] for row in rows)
    trend = _get(client, "/api/funnel/trend", bearer, from_stage="lead", to_stage="opportunity")
    for point in trend["rows"]:
        counts = reference.monthly()[dt.date.fromisoformat(point["period"])]
        assert (point["leads"], point["converted"]) == (counts[0], counts[3])
        assert point["rate"] == pytest.approx(counts[3] / counts[0])


def test_timing(client: Client, bearer, reference: Reference) -> None:
    body = _get(client, "/api/funnel/timing", bearer, from_stage="lead", to_stage="sql")
    days = reference.days_between("lead", "sql")
    (row,) = body["percentiles"]
    assert row["leads"] == len(days)
    for name, q in (("p25_days", 0.25), ("median_days", 0.5), ("p75_days", 0.75)):
        assert row[name] == pytest.approx(days.quantile(q)), name
    assert row["p90_days"] == pytest.approx(days.quantile(0.9))
    assert [b["leads"] for b in body["histogram"]] == reference.histogram("lead", "sql")


def test_stalls_and_drop_offs(client: Client, bearer, reference: Reference) -> None:
    stalls = _get(client, "/api/funnel/stalls", bearer)["rows"]
    counted = reference.stalled(10).stage.value_counts().to_dict()
    assert {r["stage"]: r["stalled"] for r in stalls} == {
        s: counted.get(s, 0) for s in ("mql", "sql", "opportunity")
    }
    assert {r["threshold_days"] for r in stalls} == {10.0}
    drops = _get(client, "/api/funnel/drop-offs", bearer)["rows"]
    leads = reference.counts()[None]
    assert [r["leads"] for r in drops] == [leads[k] - leads[k + 1] for k in range(4)]


def test_lead_list_is_paged(client: Client, bearer, reference: Reference) -> None:
    steps = reference.steps()
    expected = sorted(steps.index[steps["mql"].notna()])
    seen = []
    for page in (1, 2, 3):
        body = _get(client, "/api/funnel/leads", bearer, stage="mql", page=str(page), page_size="4")
        assert (body["count"], body["pages"], body["page_size"]) == (len(expected), 2, 4)
        seen += [row["lead_id"] for row in body["results"]]
    assert sorted(seen) == expected
    assert body["results"] == []
    assert body["columns"][0] == "lead_id"


def test_lead_timeline(client: Client, bearer, funnel_facts) -> None:
    body = _get(client, "/api/funnel/leads/A1", bearer)
    assert body["lead"]["channel"] == "email"
    assert body["owner_name"] == "Rosa Uno"
    assert len(body["events"]) == 12
    assert [e["at"] for e in body["events"]] == sorted(e["at"] for e in body["events"])
    assert client.get("/api/funnel/leads/NOPE", **bearer).status_code == 404


@pytest.mark.parametrize(
    ("path", "query", "parameter"),
    [
        ("/api/funnel/conversion", {"grain": "year"}, "grain"),
        ("/api/funnel/conversion", {"window_days": "0"}, "window_days"),
        ("/api/funnel/conversion", {"start": "2025-13-01"}, "start"),
        ("/api/funnel/conversion", {"breakdown": "colour"}, "breakdown"),
        ("/api/funnel/timing", {"from_stage": "sql", "to_stage": "mql"}, "to_stage"),
        ("/api/funnel/conversion", {"now": "2025-06-01T00:00:00"}, "now"),
        ("/api/funnel/leads", {"stage": "mql", "page": "x"}, "page"),
        ("/api/funnel/leads", {"kind": "lost"}, "kind"),
        ("/api/metrics/no_such_metric", {}, "name"),
        ("/api/metrics/win_rate", {"filter": "colour:red"}, "filter"),
        ("/api/metrics/leads", {"group_by": "rep_id"}, "group_by"),
        ("/api/metrics/leads", {"comparison_start": "2025-01-01"}, "comparison_end"),
    ],
)
def test_bad_parameters_answer_400_naming_them(
    client: Client, bearer, funnel_facts, path: str, query: dict, parameter: str
) -> None:
    response = client.get(path, query, **bearer)
    assert response.status_code == 400
    assert f"parameter '{parameter}'" in response.json()["detail"]


def test_metric_catalog_and_values(client: Client, bearer, funnel_facts) -> None:
    catalog = client.get("/api/metrics", **bearer).json()
    assert {"leads", "mql_to_sql_rate", "win_rate"} <= {m["name"] for m in catalog}
    body = client.get(
        "/api/metrics/leads",
        {
            "now": NOW.isoformat(),
            "start": "2025-03-01",
            "end": "2025-03-31",
            "comparison_start": "2025-01-01",
            "comparison_end": "2025-01-31",
            "filter": ["channel:email,events"],
            "group_by": "channel",
        },
        **bearer,
    ).json()
    leads = pd.DataFrame(funnel_facts["leads"])
    leads["created_at"] = pd.to_datetime(leads.created_at, utc=True)
    chosen = leads[leads.channel.isin(["email", "events"])]

    def count(first: str, last: str) -> pd.Series:
        start = pd.Timestamp(first, tz="UTC")
        end = pd.Timestamp(last, tz="UTC") + pd.Timedelta(days=1)
        kept = chosen[(chosen.created_at >= start) & (chosen.created_at < end)]
        return kept.channel.value_counts()

    now, before = count("2025-03-01", "2025-03-31"), count("2025-01-01", "2025-01-31")
    got = {r["breakdown"]: (r["value"], r["comparison_value"]) for r in body["rows"]}
    assert got == {c: (now.get(c, 0), before.get(c, 0)) for c in set(now.index) | set(before.index)}
    assert body["filters"] == {"channel": ["email", "events"]}


def test_openapi_documents_the_endpoints(client: Client, funnel_facts) -> None:
    document = client.get("/api/openapi.json").json()
    paths = document["paths"]
    for path in ("conversion", "cohorts", "timing", "trend", "stalls", "drop-offs", "leads"):
        assert f"/api/funnel/{path}" in paths
    assert "/api/funnel/leads/{lead_id}" in paths
    assert "/api/metrics/{name}" in paths
    parameters = {p["name"]: p for p in paths["/api/funnel/conversion"]["get"]["parameters"]}
    assert parameters["grain"]["schema"]["enum"] == ["week", "month", "quarter"]
    assert all(stage in parameters["stages"]["description"] for stage in STAGES)


def test_metric_rows_are_the_leads_behind_the_value(client: Client, bearer, funnel_facts) -> None:
    query = {"now": NOW.isoformat(), "start": "2025-01-01", "end": "2025-03-31"}
    value = client.get("/api/metrics/mqls", {**query, "group_by": "channel"}, **bearer).json()
    counts = {row["breakdown"]: row["count"] for row in value["rows"]}
    body = client.get(
        "/api/metrics/mqls/rows",
        {**query, "group_by": "channel", "value": "email", "page_size": "2"},
        **bearer,
    ).json()
    assert body["key"] == "lead_id"
    assert body["count"] == counts["email"]
    changes = pd.DataFrame(funnel_facts["stage_changes"])
    changes["changed_at"] = pd.to_datetime(changes.changed_at, utc=True)
    in_q1 = changes[
        (changes.stage == "mql")
        & (changes.changed_at >= pd.Timestamp("2025-01-01", tz="UTC"))
        & (changes.changed_at < pd.Timestamp("2025-04-01", tz="UTC"))
    ]
    channels = pd.DataFrame(funnel_facts["leads"]).set_index("lead_id").channel
    expected = sorted(lead for lead in set(in_q1.lead_id) if channels.get(lead) == "email")
    assert [row["lead_id"] for row in body["results"]] == expected[:2]
    assert body["pages"] == -(-len(expected) // 2)
    wrong = client.get("/api/metrics/mqls/rows", {**query, "period": "comparison"}, **bearer)
    assert wrong.status_code == 400
    assert "parameter 'period'" in wrong.json()["detail"]


def test_win_rate_rows_are_the_closed_deals_it_counts(
    client: Client, bearer, warehouse_url: str, funnel_facts
) -> None:
    con = connect(warehouse_url)
    opened = {"status": "open", "created_at": "2025-03-01T09:00:00Z"}
    lost = {
        "status": "lost",
        "created_at": "2024-12-01T09:00:00Z",
        "closed_at": "2025-03-10T09:00:00Z",
    }
    ingest_many(con, {"deals": [{"deal_id": "D2", **opened}, {"deal_id": "D3", **lost}]})
    con.disconnect()
    query = {"now": NOW.isoformat(), "start": "2025-01-01", "end": "2025-03-31"}
    value = client.get("/api/metrics/win_rate", query, **bearer).json()["rows"][0]
    assert (value["value"], value["count"]) == (0.5, 2)  # D1 won, D3 lost; D2 is still open
    body = client.get("/api/metrics/win_rate/rows", query, **bearer).json()
    assert body["key"] == "deal_id"
    assert body["count"] == 2
    assert [row["deal_id"] for row in body["results"]] == ["D1", "D3"]
    created = client.get("/api/metrics/pipeline_created/rows", query, **bearer).json()
    assert [row["deal_id"] for row in created["results"]] == ["D1", "D2"]
