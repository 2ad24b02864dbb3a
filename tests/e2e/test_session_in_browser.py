"""A goal-setting session in a real browser: the marketing team lead starts a session over the demo
goals, gives marketing the floor (its timer runs, and survives a reload), answers the five
questions for the lead→MQL conversion goal, records a decision and closes the session; the answers
are on the goal page and the minutes on the session page.

Its own served workspace: the demo company with the demo goals (``demo_goals_setup``), as
``alinea demo`` ships them.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from collections.abc import Iterator

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
from alinea.apps.goals.services import demo_goals_setup
demo_accounts_setup()
demo_goals_setup()
"""
GOAL = "Raise the lead→MQL conversion rate by 5 % next quarter"


@pytest.fixture(scope="module")
def session_served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("e2e-session-home")
    con = connect(f"duckdb:///{home / 'warehouse.duckdb'}")
    build_demo(con, leads=2000, seed=7, as_of=dt.datetime.now(dt.UTC).date())
    con.disconnect()
    env = _environment(home)
    subprocess.run([sys.executable, "-c", _PREPARE], env=env, check=True, timeout=300)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "waitress", f"--listen=127.0.0.1:{port}", "--threads=4",
         "alinea.web.wsgi:application"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, server)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def _log_in(page: Page, url: str, username: str, path: str) -> None:
    page.goto(url + path)
    page.fill("#id_username", username)
    page.fill("#id_password", "alinea-demo")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(url + path)


def _seconds(text: str) -> int:
    minutes, seconds = text.split(":")
    return int(minutes) * 60 + int(seconds)


def _start_session(page: Page) -> None:
    form = page.locator("[data-session-form]")
    form.get_by_label("Title").fill("Next quarter's goals")
    form.get_by_label("Date").fill(dt.datetime.now(dt.UTC).date().isoformat())
    form.get_by_label("Time budget (minutes)").fill("10")
    form.get_by_label("maria", exact=True).check()
    form.get_by_label("sam", exact=True).check()
    form.get_by_label(GOAL).check()
    form.get_by_role("button", name="Start the session").click()
    expect(page).to_have_url(re.compile(r"/reviews/sessions/\d+/$"))


def _run_marketing_timer(page: Page) -> None:
    marketing = page.locator('[data-timer][data-team="marketing"]')
    expect(marketing.locator("[data-clock]")).to_have_text("0:00")
    marketing.get_by_role("button", name="Give the floor to Marketing").click()
    expect(page.locator('[data-timer][data-team="marketing"]')).to_have_attribute(
        "data-running", "true"
    )
    clock = page.locator('[data-timer][data-team="marketing"] [data-clock]')
    expect(clock).to_have_text(re.compile(r"0:0[2-9]"), timeout=10_000)  # it ticks
    page.reload()  # the server kept the time: the clock goes on from where it was
    expect(clock).not_to_have_text("0:00")
    expect(page.locator('[data-timer][data-team="sales"] [data-clock]')).to_have_text("0:00")


def _answer_five_questions(page: Page) -> None:
    section = page.locator("[data-agenda-goal]").filter(has_text=GOAL)
    section.get_by_label("Why does it matter?").fill("More of the leads we pay for become MQLs.")
    section.get_by_label("Initiatives (one per line)").fill("Landing-page A/B tests\nRetargeting")
    section.get_by_label("Obstacles (one per line)").fill("No designer until March")
    section.get_by_label("Kind of resource").select_option("analysis")
    section.get_by_label("Resources needed (one per line)").fill("Conversion by landing page")
    section.get_by_label("Asked team").select_option("sales")
    section.get_by_label("Asks of the other team (one per line)").fill("Tag the MQLs you reject")
    section.get_by_role("button", name="Write the answers into the goal").click()
    expect(page.locator(".message-success")).to_contain_text("Answers written into the goal")


def test_a_goal_setting_session(page: Page, session_served: str, offsite_requests) -> None:
    _log_in(page, session_served, "maria", "/reviews/")
    _start_session(page)
    session_url = page.url
    _run_marketing_timer(page)
    _answer_five_questions(page)
    page.locator('[data-timer][data-team="marketing"]').get_by_role("button", name="Stop").click()
    decision = page.locator("[data-decision-form]")
    decision.get_by_label("Decision").fill("Marketing owns the landing pages; sales tags rejects.")
    decision.get_by_role("button", name="Record the decision").click()
    page.locator("[data-action=close]").click()
    expect(page.locator("[data-session-status]")).to_have_attribute("data-session-status", "closed")

    minutes = page.locator("[data-minutes]")
    used = minutes.locator('[data-time-used] [data-team="marketing"]').inner_text()
    assert _seconds(used.split(": ")[1].split(" / ")[0]) >= 2
    expect(minutes.locator('[data-attendees] [data-team="marketing"]')).to_contain_text("maria")
    expect(minutes.locator('[data-attendees] [data-team="sales"]')).to_contain_text("sam")
    added = ("Retargeting", "Analysis: Conversion by landing page",
             "Sales: Tag the MQLs you reject", "Why: More of the leads we pay for")  # fmt: skip
    for text in added:
        expect(minutes).to_contain_text(text)
    expect(page.locator("[data-decisions]")).to_contain_text("Marketing owns the landing pages")

    page.locator("[data-minutes-goal] h4 a").filter(has_text=GOAL).click()
    expect(page.locator("h1")).to_have_text(GOAL)
    for text in ("More of the leads we pay for become MQLs.", "Landing-page A/B tests",
                 "No designer until March", "Conversion by landing page",
                 "Tag the MQLs you reject"):  # fmt: skip
        expect(page.locator("main")).to_contain_text(text)
    page.goto(session_url)
    expect(page.locator("[data-answers-form]")).to_have_count(0)
    assert offsite_requests.urls == []
