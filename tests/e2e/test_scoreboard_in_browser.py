"""Log in as maria in a real browser, read the scoreboard in English and Spanish, check the numbers.

Numbers are shown localised: ``14,501`` in English, ``14 501`` (non-breaking space) in Spanish;
won revenue is rounded to whole units (half up). Each is compared with plain SQL on the warehouse.
"""

from __future__ import annotations

import os
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

SEPARATORS = {"en": ",", "es": "\xa0"}


def _shown(value: float, language: str) -> str:
    whole = int(Decimal(repr(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return f"{whole:,}".replace(",", SEPARATORS[language])


def _read(page: Page, metric: str, period: str) -> tuple[str, float]:
    cell = page.locator(f'[data-metric="{metric}"] [data-period="{period}"]')
    return cell.inner_text().strip(), float(cell.get_attribute("data-value") or "nan")


def _check_numbers(page: Page, served, language: str) -> None:
    for metric, (current, previous) in served.expected.items():
        for period, value in (("current", current), ("previous", previous)):
            text, raw = _read(page, metric, period)
            assert raw == pytest.approx(value, rel=1e-9, abs=1e-6), (metric, period)
            assert text == _shown(value, language), (metric, period, language)


def _log_in(page: Page, served) -> None:
    page.goto(served.url + "/scoreboard/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/scoreboard/"))
    page.fill("#id_username", "maria")
    page.fill("#id_password", "alinea-demo")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(served.url + "/scoreboard/")


def test_scoreboard_in_english_and_spanish(page: Page, served, offsite_requests) -> None:
    assert served.expected["leads"][0] > 0, "the demo company should have leads this quarter"
    _log_in(page, served)

    expect(page.locator("h1")).to_have_text("Scoreboard")
    expect(page.locator("#team-marketing")).to_have_text("Marketing")
    expect(page.locator(".user-menu summary")).to_contain_text("maria")
    _check_numbers(page, served, "en")
    expect(page.locator("#chart-volume .main-svg").first).to_be_visible()  # plotly.js ran
    expect(page.locator("#chart-revenue .main-svg").first).to_be_visible()
    _screenshot(page, "scoreboard-en.png")

    page.select_option("#language-select", "es")
    expect(page.locator("h1")).to_have_text("Marcador")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("#team-sales")).to_have_text("Ventas")
    expect(page.locator('[data-metric="won_revenue"] .metric-name')).to_have_text(
        "Ingresos ganados"
    )
    expect(page.locator('[data-metric="leads"] .kpi-previous span').first).to_have_text(
        "Periodo anterior"
    )
    expect(page.locator("nav.nav")).to_contain_text("Objetivos")
    _check_numbers(page, served, "es")
    expect(page.locator("#chart-volume .main-svg").first).to_be_visible()
    _screenshot(page, "scoreboard-es.png")

    assert offsite_requests.urls == []


def test_placeholder_and_docs_pages_load_nothing_from_elsewhere(
    page: Page, served, offsite_requests
) -> None:
    _log_in(page, served)
    page.goto(served.url + "/insights/")
    expect(page.locator("main h2")).to_have_text("Not built yet: Insights")
    page.goto(served.url + "/api/docs")
    expect(page.locator(".swagger-ui .title").first).to_contain_text("alinea API")
    page.goto(served.url + "/accounts/tokens/")
    page.fill("#id_name", "browser test")
    page.click("text=Create token")
    expect(page.locator("#new-token")).to_contain_text("alinea_")
    assert offsite_requests.urls == []


def _screenshot(page: Page, name: str) -> None:
    """Keep a picture of the page when ``ALINEA_E2E_SCREENSHOTS`` names a folder."""
    if folder := os.environ.get("ALINEA_E2E_SCREENSHOTS"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), full_page=True)
