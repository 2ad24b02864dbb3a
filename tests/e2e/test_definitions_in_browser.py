"""A new MQL definition goes from draft to active in a real browser: a marketer changes it in the
rule builder and proposes it, the backtest shows it beside the active version, both team
leads sign it, and the lead page explains a lead under the new version.

Its own served workspace: the demo company with the demo MQL definition signed
(``demo_definitions_setup``), as ``alinea demo`` ships it.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from alinea.demo import build_demo
from alinea.warehouse import connect

from .conftest import LOCAL_HOSTS, _environment, _free_port, _wait_until_up

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

_PREPARE = """
from alinea.web.management import run_django_command
run_django_command(["alinea manage", "migrate", "--verbosity", "0"])
from alinea.apps.accounts.services import demo_accounts_setup
from alinea.apps.definitions.services import demo_definitions_setup
demo_accounts_setup()
demo_definitions_setup()
"""


@pytest.fixture(scope="module")
def definitions_served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("e2e-definitions-home")
    con = connect(f"duckdb:///{home / 'warehouse.duckdb'}")
    build_demo(con, leads=2000, seed=5, as_of=dt.datetime.now(dt.UTC).date())
    con.disconnect()
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
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def _as(browser: Browser, url: str, username: str, offsite: list[str]) -> Page:
    """A fresh context signed in as ``username``; requests to other hosts are recorded, blocked."""
    context = browser.new_context(locale="en-US")

    def only_local(route: Route) -> None:
        if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            offsite.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    page = context.new_page()
    page.goto(url + "/definitions/")
    page.fill("#id_username", username)
    page.fill("#id_password", "alinea-demo")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(url + "/definitions/")
    return page


def test_propose_backtest_and_sign_a_new_mql_definition(browser: Browser, definitions_served):
    url, offsite = definitions_served, []
    mark = _as(browser, url, "mark", offsite)
    mark.locator('tr[data-stage="mql"] a').first.click()
    expect(mark.locator("[data-definition]")).to_have_attribute("data-status", "active")
    expect(mark.locator('[data-side="sales"]')).to_contain_text("sam")
    mark.get_by_role("button", name="Start a new version from this one").click()
    expect(mark.locator("h1")).to_contain_text("Rule builder: MQL v2")
    # rows come and go in the page (the shipped script), and a removed row is not saved
    fit_rows = mark.locator('[data-rule-rows="fit"] [data-rule-row]')
    count = fit_rows.count()
    mark.locator('[data-add-row="fit"]').click()
    expect(fit_rows).to_have_count(count + 1)
    fit_rows.last.locator("select").select_option("country")
    fit_rows.last.locator("input[name$='_values']").fill("XX")
    fit_rows.last.locator("[data-remove-row]").click()
    expect(fit_rows.last).to_be_hidden()
    mark.locator('[data-add-row="fit_points"]').click()
    points_row = mark.locator('[data-rule-rows="fit_points"] [data-rule-row]').last
    points_row.locator("select").select_option("country")
    points_row.locator("input[name$='_values']").fill("ES")
    points_row.locator("input[name$='_points']").fill("3")
    mark.fill("#id_threshold", "25")
    mark.fill("#id_note", "fewer, better MQLs")
    mark.get_by_role("button", name="Save the draft").click()
    expect(mark.locator("[data-definition]")).to_have_attribute("data-status", "draft")
    expect(mark.locator("[data-diff]")).to_contain_text("~ threshold: score ≥ 17 → score ≥ 25")
    expect(mark.locator("[data-diff]")).to_contain_text("+ fit points: country in ES = +3")
    expect(mark.locator("[data-diff]")).not_to_contain_text("XX")
    mark.get_by_role("button", name="Propose").click()
    expect(mark.locator("[data-definition]")).to_have_attribute("data-status", "proposed")
    backtest = mark.locator("[data-backtest]")
    expect(backtest.locator("#chart-backtest .main-svg").first).to_be_visible()
    expect(backtest.locator("td", has_text="v2").first).to_be_visible()
    expect(backtest.locator("td", has_text="v1").first).to_be_visible()
    version_url = mark.url
    mark.context.close()

    for lead, side in (("maria", "marketing"), ("sam", "sales")):
        page = _as(browser, url, lead, offsite)
        page.goto(version_url)
        other = "sales" if side == "marketing" else "marketing"
        expect(page.get_by_role("button", name=f"Approve for {other}")).to_have_count(0)
        page.get_by_role("button", name=f"Approve for {side}").click()
        expect(page.locator(f'[data-side="{side}"]')).to_contain_text(lead)
        if side == "sales":
            expect(page.locator("[data-definition]")).to_have_attribute("data-status", "active")
            page.goto(url + "/definitions/")
            expect(page.locator('tr[data-stage="mql"] td').nth(1)).to_have_text("v2")
            # the lead page explains the lead under the version just signed
            page.goto(url + "/funnel/leads/L0000001/")
            mql = page.locator('[data-lead-stages] [data-stage="mql"]')
            expect(mql.locator("h3")).to_contain_text("(MQL v2)")
            expect(mql.locator("tr[data-met]")).not_to_have_count(0)
            expect(mql.locator("[data-score]")).to_contain_text("Score")
        page.context.close()
    assert offsite == []
