"""Every number of the funnel page links to its leads: lists, paging, CSV and lead pages."""

from __future__ import annotations

import csv
import datetime as dt
import html as html_escape
import io
import re

import pytest
from django.test import Client
from tests.apps.funnel.conftest import NOW, QUESTION
from tests.apps.funnel.html import in_table
from tests.apps.funnel.reference import STAGES, Reference

from alinea.apps.funnel import lead_lists
from alinea.warehouse import connect, ingest_many


@pytest.fixture
def reference(funnel_facts) -> Reference:
    return Reference(
        funnel_facts, now=NOW, start=dt.date(2025, 1, 1), end=dt.date(2025, 3, 31), window_days=30
    )


def _listed_ids(html: str) -> list[str]:
    return re.findall(r'<a href="/funnel/leads/([^/]+)/" data-lead>', html)


def _follow(client: Client, href: str) -> str:
    response = client.get(html_escape.unescape(href))
    assert response.status_code == 200
    return response.content.decode()


def test_each_step_number_links_to_exactly_its_leads(maria: Client, reference: Reference) -> None:
    page = maria.get("/funnel/", QUESTION).content.decode()
    steps = reference.steps()
    for number in in_table(page, "steps"):
        listed = _listed_ids(_follow(maria, number.attrs["href"]))
        stage = number.row["data-step"]
        assert sorted(listed) == sorted(steps.index[steps[stage].notna()]), stage
        assert len(listed) == number.leads


def test_breakdown_and_cohort_cells_link_to_their_leads(
    maria: Client, reference: Reference
) -> None:
    page = maria.get("/funnel/", {**QUESTION, "breakdown": "channel", "top_n": "2"})
    labels = reference.channel_labels(2)
    steps = reference.steps()
    for number in in_table(page.content.decode(), "breakdown"):
        listed = _listed_ids(_follow(maria, number.attrs["href"]))
        value, stage = number.row["data-value"], number.attrs["data-step"]
        mine = steps[labels.reindex(steps.index) == value]
        assert sorted(listed) == sorted(mine.index[mine[stage].notna()]), (value, stage)
    cohorts = in_table(maria.get("/funnel/", QUESTION).content.decode(), "cohorts")
    assert sum(n.leads for n in cohorts if n.attrs["data-step"] == "lead") == len(steps)
    for number in cohorts:
        assert len(_listed_ids(_follow(maria, number.attrs["href"]))) == number.leads


def test_pages_cover_the_list_once(maria: Client, funnel_facts, monkeypatch) -> None:
    monkeypatch.setattr("alinea.apps.funnel.views.PAGE_SIZE", 3)
    query = {**QUESTION, "kind": "reached", "stage": "lead"}
    first = maria.get("/funnel/leads/", query).content.decode()
    assert "Page 1 of 3" in first
    seen = []
    for page in (1, 2, 3):
        seen += _listed_ids(maria.get("/funnel/leads/", {**query, "page": page}).content.decode())
    assert len(seen) == len(set(seen)) == 7
    assert _listed_ids(maria.get("/funnel/leads/", {**query, "page": 4}).content.decode()) == []
    assert maria.get("/funnel/leads/", {**query, "page": "0"}).status_code == 400


def test_stalled_leads_export_as_csv(maria: Client, reference: Reference) -> None:
    response = maria.get("/funnel/leads/", {**QUESTION, "kind": "stalled", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(rows[0]) == list(lead_lists.list_columns(lead_lists.ListSelection("stalled")))
    expected = reference.stalled(10).set_index("lead_id")
    assert sorted(row["lead_id"] for row in rows) == sorted(expected.index)
    for row in rows:
        assert float(row["age_days"]) == pytest.approx(expected.loc[row["lead_id"], "age_days"])
        assert row["stage"] == expected.loc[row["lead_id"], "stage"]
    ages = [float(row["age_days"]) for row in rows]
    assert ages == sorted(ages, reverse=True)
    names = {"R1": "Rosa Uno", "R2": "Raúl Dos"}
    owner_of = reference.leads.set_index("lead_id")["owner_id"]
    for row in rows:
        assert row["owner_name"] == names.get(owner_of[row["lead_id"]], ""), row["lead_id"]


def test_drop_offs_export_as_csv(maria: Client, reference: Reference) -> None:
    response = maria.get("/funnel/leads/", {**QUESTION, "kind": "dropped", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    steps = reference.steps()
    last = {lead: STAGES[int(row.notna().sum()) - 1] for lead, row in steps.iterrows()}
    expected = {lead: stage for lead, stage in last.items() if stage != "customer"}
    assert {row["lead_id"]: row["stage"] for row in rows} == expected


def test_bad_list_parameters_answer_400(maria: Client, funnel_facts) -> None:
    response = maria.get("/funnel/leads/", {**QUESTION, "kind": "reached", "stage": "nope"})
    assert response.status_code == 400
    assert 'data-problem="stage"' in response.content.decode()


def test_lead_page_tells_the_whole_story_in_order(maria: Client, funnel_facts) -> None:
    html = maria.get("/funnel/leads/A1/").content.decode()
    kinds = re.findall(r'<li data-kind="([a-z_]+)">', html)
    times = re.findall(r'<time datetime="([^"]+)">', html)
    assert kinds == [
        "touchpoint",
        "created",
        "stage_change",
        "stage_change",
        "assignment",
        "activity",
        "disposition",
        "stage_change",
        "stage_change",
        "deal_created",
        "stage_change",
        "deal_closed",
    ]
    assert times == sorted(times)
    assert "Rosa Uno" in html
    assert "winter-webinar" in html


def test_unknown_lead_is_404(maria: Client, funnel_facts) -> None:
    assert maria.get("/funnel/leads/NOPE/").status_code == 404


def test_a_lead_id_with_slashes_opens_from_its_list(
    maria: Client, bearer, warehouse_url: str, funnel_facts
) -> None:
    slashed = "hubspot/contacts/42"
    con = connect(warehouse_url)
    ingest_many(
        con,
        {
            "leads": [{"lead_id": slashed, "created_at": "2025-02-05T09:00:00Z", "channel": "web"}],
            "stage_changes": [
                {"lead_id": slashed, "stage": "lead", "changed_at": "2025-02-05T09:00:00Z"}
            ],
        },
    )
    con.disconnect()
    listed = maria.get("/funnel/leads/", {**QUESTION, "kind": "reached", "stage": "lead"})
    assert listed.status_code == 200
    links = re.findall(r'<a href="(/funnel/leads/[^"]+/)" data-lead>', listed.content.decode())
    assert f"/funnel/leads/{slashed}/" in links
    page = maria.get(f"/funnel/leads/{slashed}/")
    assert page.status_code == 200
    assert slashed in page.content.decode()
    assert maria.get("/funnel/leads/hubspot/contacts/").status_code == 404
    timeline = maria.get(f"/api/funnel/leads/{slashed}", **bearer)
    assert timeline.status_code == 200
    assert timeline.json()["lead"]["lead_id"] == slashed
