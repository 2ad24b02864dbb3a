"""A real alinea served by waitress in a subprocess, on a demo workspace, and a headless chromium.

The workspace (``ALINEA_HOME``) is a fresh temporary folder: SQLite app database migrated with the
demo logins, and a DuckDB warehouse holding a small demo company. The numbers the scoreboard should
show are computed beforehand with plain SQL on that warehouse (the server then holds its lock).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import duckdb
import pytest
from playwright.sync_api import Browser, Page, Request, Route, sync_playwright

from alinea.demo import build_demo
from alinea.warehouse import connect

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}

_SPAN_SQL = """
SELECT
  (SELECT count(*) FROM leads WHERE created_at >= $1 AND created_at < $2),
  (SELECT count(DISTINCT lead_id) FROM stage_changes
    WHERE stage = 'mql' AND changed_at >= $1 AND changed_at < $2),
  (SELECT count(DISTINCT lead_id) FROM stage_changes
    WHERE stage = 'sql' AND changed_at >= $1 AND changed_at < $2),
  (SELECT count(DISTINCT lead_id) FROM stage_changes
    WHERE stage = 'opportunity' AND changed_at >= $1 AND changed_at < $2),
  (SELECT count(DISTINCT lead_id) FROM stage_changes
    WHERE stage = 'customer' AND changed_at >= $1 AND changed_at < $2),
  (SELECT coalesce(sum(amount), 0) FROM deals
    WHERE status = 'won' AND closed_at >= $1 AND closed_at < $2)
"""
METRICS = ("leads", "mqls", "sqls", "opportunities", "customers", "won_revenue")


@dataclass(frozen=True)
class Served:
    url: str
    today: dt.date
    #: metric → (quarter to date, same days of the previous quarter), from plain SQL
    expected: dict[str, tuple[float, float]]


def _utc_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def expected_numbers(warehouse: Path, today: dt.date) -> dict[str, tuple[float, float]]:
    """Quarter to date and the same number of days from the previous quarter's start, in SQL."""
    start = _quarter_start(today)
    end = today + dt.timedelta(days=1)
    previous_start = _quarter_start(start - dt.timedelta(days=1))
    previous_end = min(previous_start + (end - start), start)
    with duckdb.connect(str(warehouse), read_only=True) as db:
        now = db.execute(_SPAN_SQL, [_utc_midnight(start), _utc_midnight(end)]).fetchone()
        before = db.execute(
            _SPAN_SQL, [_utc_midnight(previous_start), _utc_midnight(previous_end)]
        ).fetchone()
    assert now is not None
    assert before is not None
    return {metric: (float(a), float(b)) for metric, a, b in zip(METRICS, now, before, strict=True)}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _environment(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALINEA_")}
    env.pop("DATABASE_URL", None)
    env.update({"ALINEA_HOME": str(home), "DJANGO_SETTINGS_MODULE": "alinea.web.settings"})
    return env


_PREPARE = """
from alinea.web.management import run_django_command
run_django_command(["alinea manage", "migrate", "--verbosity", "0"])
from alinea.apps.accounts.services import demo_accounts_setup
demo_accounts_setup()
"""


def _wait_until_up(url: str, server: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url + "/accounts/login/", timeout=10) as response:
                if response.status == 200:
                    return
        except OSError:  # refused, reset or timed out while it starts
            time.sleep(0.2)
    raise RuntimeError(f"the server did not answer at {url} within {seconds} s")


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    home = tmp_path_factory.mktemp("e2e-home")
    today = dt.datetime.now(dt.UTC).date()
    warehouse = home / "warehouse.duckdb"
    con = connect(f"duckdb:///{warehouse}")
    build_demo(con, leads=2000, seed=1, as_of=today)
    con.disconnect()
    expected = expected_numbers(warehouse, today)

    env = _environment(home)
    subprocess.run([sys.executable, "-c", _PREPARE], env=env, check=True, timeout=180)
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
        yield Served(url=url, today=today, expected=expected)
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One browser per test module: Playwright's sync API runs an event loop in this thread for as
    long as it is open, and Django refuses database calls from a thread with a running loop, so it
    must be closed before the next module's tests touch the app database."""
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is required in CI (scripts/system-packages chromium)")
        pytest.skip(f"{CHROMIUM} is not installed (scripts/system-packages chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class OffsiteRequests:
    urls: list[str]


@pytest.fixture
def offsite_requests() -> OffsiteRequests:
    return OffsiteRequests(urls=[])


@pytest.fixture
def page(browser: Browser, offsite_requests: OffsiteRequests) -> Iterator[Page]:
    """A fresh browser context in which any request to another host is recorded and blocked."""
    context = browser.new_context(locale="en-US")

    def only_local(route: Route) -> None:
        if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            offsite_requests.urls.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)

    def note(request: Request) -> None:
        if request.url.startswith(("data:", "blob:", "about:")):
            return
        if urlsplit(request.url).hostname not in LOCAL_HOSTS:
            offsite_requests.urls.append(request.url)

    page = context.new_page()
    page.on("request", note)
    yield page
    context.close()
