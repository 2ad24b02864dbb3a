"""Review the funnel in a real browser: log in, open Funnel, change the breakdown, follow a number
to the leads behind it and open one lead's timeline — in English, then in Spanish.

The count a list announces must be the number that was clicked, and nothing may load from
another host (plotly.js is served locally).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

#: A funnel page answers in well under a second once cached, but the first (cold) computation on
#: a busy test machine can take several.
NAVIGATION_MS = 60_000

#: English and Spanish words the flow reads, by language.
WORDS = {
    "en": {"funnel": "Funnel", "by": "Leads at each step by breakdown", "lead": "Lead "},
    "es": {"funnel": "Embudo", "by": "Leads en cada paso por desglose", "lead": "Lead "},
}


def _log_in(page: Page, served) -> None:
    page.goto(served.url + "/scoreboard/")
    page.fill("#id_username", "maria")
    page.fill("#id_password", "alinea-demo")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(served.url + "/scoreboard/")


def _review(page: Page, language: str, breakdown: str) -> None:
    words = WORDS[language]
    page.locator("nav.nav").get_by_role("link", name=words["funnel"]).click()
    expect(page.locator("h1")).to_have_text(words["funnel"], timeout=NAVIGATION_MS)
    expect(page.locator("#chart-funnel .main-svg").first).to_be_visible()  # plotly.js ran
    expect(page.locator("#chart-cohorts .main-svg").first).to_be_visible()

    page.select_option("#breakdown", breakdown)  # submits the form by itself
    expect(page).to_have_url(re.compile(rf"[?&]breakdown={breakdown}(&|$)"), timeout=NAVIGATION_MS)
    expect(page.locator("#breakdown-title")).to_have_text(words["by"])
    cell = page.locator('[data-table="breakdown"] a[data-step="lead"]').first
    clicked = int(cell.get_attribute("data-leads") or "-1")
    assert clicked > 0
    cell.click()

    expect(page).to_have_url(re.compile(r"/funnel/leads/\?"), timeout=NAVIGATION_MS)
    expect(page.locator("[data-count]")).to_have_attribute("data-count", str(clicked))
    rows = page.locator('[data-table="leads"] tbody tr')
    expect(rows).to_have_count(min(clicked, 50))

    first = page.locator("a[data-lead]").first
    lead_id = first.inner_text().strip()
    first.click()
    expect(page.locator("h1")).to_have_text(words["lead"] + lead_id, timeout=NAVIGATION_MS)
    events = page.locator("ol.timeline li[data-kind]")
    expect(events.first).to_be_visible()
    times = page.locator("ol.timeline time").evaluate_all(
        "nodes => nodes.map(n => n.getAttribute('datetime'))"
    )
    assert times == sorted(times)


def test_funnel_review_in_english_and_spanish(page: Page, served, offsite_requests) -> None:
    _log_in(page, served)
    _review(page, "en", "channel")

    page.select_option("#language-select", "es")
    expect(page.locator("html")).to_have_attribute("lang", "es", timeout=NAVIGATION_MS)
    _review(page, "es", "segment")
    expect(page.locator("#lead-facts")).to_have_text("Sobre el lead")

    assert offsite_requests.urls == []
