"""The brief's example goal set through the UI: "raise the lead→MQL conversion rate by 5 % next
quarter" with its three initiatives; its SMART check with a reason per letter; a check-in; and an
ask of sales that the sales team lead accepts on the goal page."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import Served

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

TITLE = "Raise the lead→MQL conversion rate by 5 % next quarter"
INITIATIVES = (
    "Website conversion optimisation",
    "Paid-search strategy",
    "Bottom-of-funnel content",
)


def _next_quarter(today: dt.date) -> tuple[dt.date, dt.date]:
    first_month = (today.month - 1) // 3 * 3 + 1 + 3
    start = dt.date(today.year + (first_month > 12), (first_month - 1) % 12 + 1, 1)
    after_month = start.month + 3
    after = dt.date(start.year + (after_month > 12), (after_month - 1) % 12 + 1, 1)
    return start, after - dt.timedelta(days=1)


def _log_in(page: Page, served: Served, username: str, path: str) -> None:
    page.goto(served.url + path)
    page.fill("#id_username", username)
    page.fill("#id_password", "alinea-demo")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(served.url + path)


def _set_the_example_goal(page: Page, served: Served) -> None:
    start, last = _next_quarter(served.today)
    form = page.locator("[data-goal-form]")
    form.locator("#id_title").fill(TITLE)
    form.locator("#id_why").fill("More of the leads we already pay for should become MQLs.")
    form.locator("#id_owner").select_option("joint")
    form.locator("#id_metric").select_option("lead_to_mql_rate")
    form.locator("#id_segment_dimension").fill("channel")
    form.locator("#id_segment_values").fill("paid_search")
    form.locator("#id_target_kind").select_option("relative")
    form.locator("#id_target_amount").fill("5")
    form.locator("#id_period_start").fill(start.isoformat())
    form.locator("#id_period_last_day").fill(last.isoformat())
    form.locator("#id_cadence_days").fill("14")
    form.locator("#id_window_days").fill("30")
    preview = page.locator("[data-target-preview]")
    expect(preview).to_contain_text("Relative change (%): +5 % of the baseline, from baseline")
    expect(preview).to_contain_text("to target")
    page.get_by_role("button", name="Set the goal").click()
    expect(page.locator("h1")).to_have_text(TITLE)


def test_set_the_example_goal_check_in_and_answer_an_ask(
    page: Page, browser: Browser, served: Served, offsite_requests
) -> None:
    _log_in(page, served, "maria", "/goals/")
    _set_the_example_goal(page, served)
    goal_url = page.url

    target = page.locator("[data-target-kind]")
    expect(target).to_contain_text("Relative change (%): +5 % of the baseline")
    smart = page.locator('[data-check="smart"] li[data-letter]')
    expect(smart).to_have_count(5)
    assert smart.evaluate_all("items => items.map(i => i.dataset.letter)") == list("SMART")
    for n in range(5):
        assert smart.nth(n).locator("[data-reason]").inner_text().strip()
    expect(smart.nth(0)).to_contain_text(
        "lead_to_mql_rate for channel = paid_search, owned by Joint (marketing and sales)"
    )
    expect(smart.nth(0)).to_have_attribute("data-passed", "yes")

    for title in INITIATIVES:
        page.locator("#id_initiative-title").fill(title)
        page.get_by_role("button", name="Add the initiative").click()
        expect(page.locator("[data-initiatives]")).to_contain_text(title)
    expect(page.locator("li[data-initiative]")).to_have_count(3)

    page.locator("#id_check-in-confidence").fill("7")
    page.locator("#id_check-in-comment").fill("Landing-page tests start next week.")
    page.get_by_role("button", name="Record a check-in").click()
    expect(page.locator("[data-check-ins] tbody tr")).to_have_count(1)
    expect(page.locator("[data-check-ins] tbody")).to_contain_text("7/10")

    page.locator("#id_ask-asked_team").select_option("sales")
    page.locator("#id_ask-request").fill("Tell us why each rejected paid-search MQL was rejected.")
    page.get_by_role("button", name="Ask the other team").click()
    ask = page.locator("li[data-ask]")
    expect(ask).to_have_attribute("data-ask-status", "open")
    expect(page.locator('[data-form="answer"]')).to_have_count(0)  # marketing cannot answer

    sales = browser.new_context(locale="en-US")
    try:
        lead = sales.new_page()
        _log_in(lead, served, "sam", goal_url.removeprefix(served.url))
        lead.locator('[data-form="answer"] select').select_option("yes")
        lead.locator('[data-form="answer"] textarea').fill("Agreed, from Monday.")
        lead.get_by_role("button", name="Send the answer").click()
        answered = lead.locator("li[data-ask]")
        expect(answered).to_have_attribute("data-ask-status", "accepted")
        expect(answered).to_contain_text("Agreed, from Monday.")
    finally:
        sales.close()
    page.reload()
    expect(page.locator("li[data-ask]")).to_have_attribute("data-ask-status", "accepted")
    assert offsite_requests.urls == []
