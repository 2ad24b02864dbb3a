"""A person imports CRM files in a real browser: upload, see the problems by file, line and
column, import the good rows while the page follows the background job, find the import in the
history, roll it back.

Its own served workspace with an empty warehouse, so that nothing else on the page counts.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from alinea.warehouse import connect

from .conftest import _environment, _free_port, _wait_until_up

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

_PREPARE = """
from alinea.web.management import run_django_command
run_django_command(["alinea manage", "migrate", "--verbosity", "0"])
from alinea.apps.accounts.services import demo_accounts_setup
demo_accounts_setup()
"""

PIPELINE = (
    "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\n"
    "O1,Moses Frase,GTXPro,Cancity,Won,2016-10-20,2017-03-01,1054.0\n"
    "O2,Moses Frase,GTX Basic,Isdom,Maybe,2016-10-25,2017-03-11,0\n"
    "O3,Anna Snelling,MG Special,Cancity,Lost,2016-11-02,2017-01-15,0\n"
)
TEAMS = (
    "sales_agent,manager,regional_office\n"
    "Moses Frase,Dustin Brinkmann,Central\n"
    "Anna Snelling,Dustin Brinkmann,Central\n"
)


@pytest.fixture(scope="module")
def import_served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("e2e-import-home")
    connect(f"duckdb:///{home / 'warehouse.duckdb'}").disconnect()
    env = _environment(home)
    subprocess.run([sys.executable, "-c", _PREPARE], env=env, check=True, timeout=300)
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable, "-m", "waitress", f"--listen=127.0.0.1:{port}", "--threads=4",
            "alinea.web.wsgi:application",
        ],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, server)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_upload_preview_skip_bad_rows_history_and_rollback(
    page: Page, import_served: str, tmp_path: Path, offsite_requests
) -> None:
    files = []
    for name, text in (("sales_pipeline.csv", PIPELINE), ("sales_teams.csv", TEAMS)):
        (tmp_path / name).write_text(text)
        files.append(str(tmp_path / name))

    page.goto(import_served + "/data/")
    page.fill("#id_username", "rita")
    page.fill("#id_password", "alinea-demo")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("h1")).to_have_text("Data")
    expect(page.locator(".nav-link.is-active")).to_have_text("Data")

    page.set_input_files("#id_upload", files)
    page.select_option("#id_mapping", "maven-crm")
    page.get_by_role("button", name="Check the files").click()

    # the check runs in the background; the page follows it until the preview is ready
    expect(page.locator("[data-testid=job]")).to_have_attribute(
        "data-phase", "previewed", timeout=60_000
    )
    counts = page.locator("[data-testid=counts] tbody tr")
    expect(counts).to_have_count(3)
    problem = page.locator("[data-testid=problems] tbody tr")
    expect(problem).to_have_count(1)
    cells = problem.first.locator("td").all_inner_texts()
    assert cells[:4] == ["sales_pipeline.csv", "3", "deal_stage", "Maybe"]
    assert cells[4].startswith("not a value the mapping knows")

    page.get_by_label("Skip the rows with problems").check()
    page.get_by_role("button", name="Import", exact=True).click()
    # O1 and O3: 2 deals, 3 stage changes (2 engaged, 1 won); 2 agents and their manager
    expect(page.locator("[data-testid=committed]")).to_contain_text(
        "Imported: 8 facts written.", timeout=60_000
    )

    page.get_by_role("link", name="See the import history").click()
    row = page.locator("[data-testid=history] tbody tr").first
    expect(row).to_contain_text("sales_pipeline.csv")
    expect(row).to_contain_text("rita")
    expect(row).to_contain_text("Imported")
    row.get_by_role("button", name="Roll back").click()
    expect(page.locator(".message-success")).to_contain_text("The import was rolled back")
    expect(page.locator("[data-testid=history] tbody tr").first).to_contain_text("Rolled back")

    page.goto(import_served + "/api/imports/history")
    assert '"status": "rolled_back"' in page.content().replace('":"', '": "')
    assert offsite_requests.urls == []


def test_a_built_in_profile_is_copied_renamed_and_deleted(
    page: Page, import_served: str, offsite_requests
) -> None:
    page.goto(import_served + "/data/")
    page.fill("#id_username", "rita")
    page.fill("#id_password", "alinea-demo")
    page.get_by_role("button", name="Log in").click()
    page.get_by_test_id("mappings-link").click()
    expect(page.locator("h1")).to_have_text("Mappings")
    built_in = page.get_by_test_id("built-in-mappings").locator("tbody tr")
    expect(built_in).to_have_count(6)
    built_in.filter(has_text="hubspot-contacts").get_by_role("link", name="View or copy").click()
    expect(page.get_by_test_id("definition")).to_contain_text('"Original Source"')
    expect(page.get_by_test_id("edit-mapping")).to_have_count(0)  # read-only

    page.fill("#id_copy-name", "our-contacts")
    page.get_by_role("button", name="Save a copy").click()
    expect(page.locator(".message-success")).to_contain_text("You can now edit our-contacts")
    page.fill("#id_name", "contacts-madrid")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".message-success")).to_contain_text("The mapping was saved")
    expect(page.locator("h1")).to_contain_text("contacts-madrid")

    page.get_by_role("link", name="All mappings").click()
    saved = page.get_by_test_id("saved-mappings").locator("tbody tr")
    expect(saved).to_have_count(1)
    expect(saved.first).to_contain_text("hubspot-contacts")  # copied from
    saved.first.get_by_role("button", name="Delete").click()
    expect(page.locator(".message-success")).to_contain_text("contacts-madrid was deleted")
    expect(page.get_by_test_id("saved-mappings")).to_have_count(0)
    assert offsite_requests.urls == []
