"""A rep works the MQL inbox in a real browser, and the SLA scorecard shows the signed SLA.

Its own served workspace: the demo company with the demo SLA signed (``demo_sla_setup``), as
``alinea demo`` ships it. The MQL count the scorecard must show is computed beforehand with plain
SQL on the warehouse (the server holds the DuckDB lock afterwards).
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import Page, expect

from alinea.demo import build_demo
from alinea.warehouse import connect

from .conftest import _environment, _free_port, _wait_until_up

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

_PREPARE = """
from alinea.web.management import run_django_command
run_django_command(["alinea manage", "migrate", "--verbosity", "0"])
from alinea.apps.accounts.services import demo_accounts_setup
from alinea.apps.sla.services import demo_sla_setup
demo_accounts_setup()
demo_sla_setup()
"""


@dataclass(frozen=True)
class SlaServed:
    url: str
    #: MQL events of the scorecard's 12 weeks, by plain SQL.
    mql_events: int


@pytest.fixture(scope="module")
def sla_served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SlaServed]:
    home = tmp_path_factory.mktemp("e2e-sla-home")
    today = dt.datetime.now(dt.UTC).date()
    as_of = today - dt.timedelta(days=1)  # no MQL arrives between the count and the page
    warehouse = home / "warehouse.duckdb"
    con = connect(f"duckdb:///{warehouse}")
    build_demo(con, leads=2000, seed=3, as_of=as_of)
    con.disconnect()
    start = today - dt.timedelta(days=today.weekday() + 7 * 11)
    with duckdb.connect(str(warehouse), read_only=True) as db:
        row = db.execute(
            "SELECT count(*) FROM stage_changes WHERE stage = 'mql' AND changed_at >= $1",
            [dt.datetime.combine(start, dt.time(), dt.UTC)],
        ).fetchone()
    assert row is not None
    env = _environment(home)
    subprocess.run([sys.executable, "-c", _PREPARE], env=env, check=True, timeout=300)
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "waitress",
            f"--listen=127.0.0.1:{port}",
            "--threads=4",
            "alinea.web.wsgi:application",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, server)
        yield SlaServed(url=url, mql_events=int(row[0]))
    finally:
        server.terminate()
        server.wait(timeout=30)


def _log_in(page: Page, served: SlaServed, username: str, path: str) -> None:
    page.goto(served.url + path)
    page.fill("#id_username", username)
    page.fill("#id_password", "alinea-demo")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(served.url + path)


def test_a_rep_dispositions_an_mql_from_the_inbox(page: Page, sla_served, offsite_requests):
    _log_in(page, sla_served, "rita", "/sla/inbox/")
    expect(page.locator("h1")).to_have_text("My MQL inbox")
    rows = page.locator("tr[data-lead]")
    expect(rows.first).to_be_visible()
    before = rows.count()
    first = rows.first
    lead = first.get_attribute("data-lead")
    # the most urgent first: no row is more urgent than the one above it
    severity = {"breached": 0, "at_risk": 1, "pending": 2}
    statuses = [severity[s or ""] for s in rows.evaluate_all("rs => rs.map(r => r.dataset.status)")]
    assert statuses == sorted(statuses)
    _screenshot(page, "sla-inbox.png")

    first.locator("[data-action=attempt]").click()
    expect(page.locator(".message-success")).to_contain_text(f"Lead {lead}: contact attempt logged")
    row = page.locator(f'tr[data-lead="{lead}"]')
    row.locator("select[data-role=reason]").select_option(label="not ready — nurture")
    row.locator("[data-action=reject-or-recycle]").click()
    expect(page.locator(".message-success")).to_contain_text(f"Lead {lead}: decision recorded")
    expect(page.locator(f'tr[data-lead="{lead}"]')).to_have_count(0)
    expect(page.locator("tr[data-lead]")).to_have_count(before - 1)

    page.goto(sla_served.url + "/api/sla/inbox")
    assert f'"{lead}"' not in page.content()
    assert offsite_requests.urls == []


def test_the_scorecard_shows_both_sides(page: Page, sla_served, offsite_requests):
    _log_in(page, sla_served, "maria", "/sla/")
    expect(page.locator("h1")).to_have_text("SLA scorecard")
    expect(page.locator("#side-marketing")).to_have_text("Marketing delivers")
    expect(page.locator("#side-sales")).to_have_text("Sales follows up")
    shown = page.locator('[data-table="compliance"] tr[data-clock="response"] td').nth(1)
    assert int(shown.inner_text()) == sla_served.mql_events
    for chart in ("delivery", "acceptance", "compliance", "histogram", "pareto"):
        expect(page.locator(f"#chart-{chart} .main-svg").first).to_be_visible()
    expect(page.locator('[data-table="by-region"] tr[data-key="APAC"]')).to_have_count(1)
    expect(page.locator('[data-table="pareto"] tbody tr').first).to_be_visible()
    _screenshot(page, "sla-scorecard.png")

    page.select_option("#language-select", "es")
    expect(page.locator("h1")).to_have_text("Cuadro de mando del SLA")
    page.goto(sla_served.url + "/sla/policy/")
    expect(page.locator("[data-policy]")).to_have_attribute("data-status", "active")
    expect(page.locator('[data-side="sales"]')).to_contain_text("sam")
    assert offsite_requests.urls == []


def test_a_draft_is_edited_term_by_term_with_errors_beside_their_fields(
    page: Page, sla_served, offsite_requests
):
    _log_in(page, sla_served, "mark", "/sla/policy/")
    page.locator('form[action$="/new/"] button').click()
    expect(page.locator("[data-policy]")).to_have_attribute("data-status", "draft")
    editing = page.locator("form.policy-edit")
    editing.locator('[name="calendars-0-timezone"]').fill("Mars/Olympus")
    editing.locator('[name="calendars-0-saturday"]').fill("10:00-14:00")
    editing.locator('button[type="submit"]').click()
    expect(page.locator(".message-error")).to_contain_text("correct the fields marked below")
    timezone_cell = page.locator('[name="calendars-0-timezone"]').locator("xpath=..")
    expect(timezone_cell.locator(".errorlist")).to_contain_text("not an IANA time zone")
    expect(page.locator('[name="calendars-0-saturday"]')).to_have_value("10:00-14:00")

    page.locator('[name="calendars-0-timezone"]').fill("Europe/Lisbon")
    page.locator('[name="calendars-0-country"]').fill("PT")
    new_target = page.locator('[data-formset="targets"] tbody tr').last
    new_target.locator('[name$="-mqls"]').fill("25")
    new_target.locator('[name$="-every"]').select_option("month")
    page.locator("form.policy-edit button[type=submit]").click()
    expect(page.locator(".message-success")).to_be_visible()
    terms = page.locator("[data-policy]")
    expect(terms).to_contain_text("Europe/Lisbon")
    expect(terms).to_contain_text("25")
    _screenshot(page, "sla-policy-edit.png")
    assert offsite_requests.urls == []


def _screenshot(page: Page, name: str) -> None:
    """Keep a picture of the page when ``ALINEA_E2E_SCREENSHOTS`` names a folder."""
    if folder := os.environ.get("ALINEA_E2E_SCREENSHOTS"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), full_page=True)
