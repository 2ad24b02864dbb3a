"""``alinea worker``: real processes on a real workspace. Two workers at once, then a restart,
send each alert exactly once; a warehouse locked by another process is reported, not fatal."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from alinea.cli.worker import run_tick
from alinea.warehouse import connect, ingest_many

pytestmark = pytest.mark.slow

#: MQLs hours before now on a round-the-clock calendar, with 4 hours to answer: W1 breached
#: 2 hours ago, W2 at risk (half an hour left), W3 pending.
AGES = {"W1": 6, "W2": 3.5, "W3": 1}

_PREPARE = """
from alinea.cli.django import setup_django
setup_django()
from alinea.apps.accounts.services import standard_teams_setup
from alinea.apps.sla.services import sla_policy_approve, sla_policy_create, sla_policy_propose
from alinea.apps.sla.terms import CalendarTerms, PolicyTerms
standard_teams_setup()
always = {day: ["00:00-24:00"] for day in
          ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")}
terms = PolicyTerms(quality_floor=0.5, first_response_hours=4, attempts=2,
                    attempts_within_days=2, disposition_within_days=3,
                    calendars=(CalendarTerms("UTC", always),))
policy = sla_policy_create(actor=None, terms=terms)
sla_policy_propose(actor=None, policy=policy)
sla_policy_approve(actor=None, policy=policy, side="marketing")
sla_policy_approve(actor=None, policy=policy, side="sales")
"""


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALINEA_")}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env | {"ALINEA_HOME": str(home)}


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    now = dt.datetime.now(dt.UTC)
    con = connect(f"duckdb:///{tmp_path / 'warehouse.duckdb'}")
    stamps = {lead: (now - dt.timedelta(hours=h)).isoformat() for lead, h in AGES.items()}
    ingest_many(
        con,
        {
            "people": [{"person_id": "rep-w", "name": "W", "team": "sales", "role": "sdr"}],
            "leads": [
                {"lead_id": k, "created_at": v, "owner_id": "rep-w"} for k, v in stamps.items()
            ],
            "stage_changes": [
                {"lead_id": k, "stage": "mql", "changed_at": v} for k, v in stamps.items()
            ],
        },
    )
    con.disconnect()
    subprocess.run([sys.executable, "-c", _PREPARE], env=_env(tmp_path), check=True, timeout=300)
    return tmp_path


@pytest.fixture
def hook() -> Iterator[tuple[str, list[dict]]]:
    received: list[dict] = []
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            with lock:
                received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/", received
    server.shutdown()
    server.server_close()


def _worker(home: Path, url: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(Path(sys.executable).with_name("alinea")), "worker", "--once", "--webhook", url],
        env=_env(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _claims(home: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(home / "app.sqlite3") as db:
        return db.execute("SELECT lead_id, kind FROM sla_slaalert ORDER BY lead_id").fetchall()


def test_two_workers_and_a_restart_send_each_alert_once(workspace: Path, hook) -> None:
    url, received = hook
    workers = [_worker(workspace, url), _worker(workspace, url)]
    outputs = [w.communicate(timeout=300)[0] for w in workers]
    assert [w.returncode for w in workers] == [0, 0], outputs
    assert sorted(r["alinea"]["lead_id"] for r in received) == ["W1", "W2"]
    assert _claims(workspace) == [("W1", "breached"), ("W2", "at_risk")]
    sent = sorted(int(out.split(" alerts sent")[0].split()[-1]) for out in outputs)
    assert sent in ([0, 2], [1, 1])

    restarted = _worker(workspace, url)
    output = restarted.communicate(timeout=300)[0]
    assert "0 alerts sent, 2 already sent" in output
    assert len(received) == 2


def test_two_workers_retry_a_failed_webhook_once(workspace: Path, hook) -> None:
    url, received = hook
    dead = "http://127.0.0.1:9/nowhere"
    failing = [_worker(workspace, dead), _worker(workspace, dead)]
    outputs = [w.communicate(timeout=300)[0] for w in failing]
    assert [w.returncode for w in failing] == [0, 0], outputs
    with sqlite3.connect(workspace / "app.sqlite3") as db:
        rows = db.execute("SELECT attempts, sent_at, error FROM sla_slaalert").fetchall()
        assert [(a, s, e.split(":")[0]) for a, s, e in rows] == [(1, None, "webhook")] * 2
        # the wait is over (rather than sleeping a minute in the test)
        db.execute("UPDATE sla_slaalert SET next_attempt_at = '2000-01-01 00:00:00'")
    retrying = [_worker(workspace, url), _worker(workspace, url)]
    outputs = [w.communicate(timeout=300)[0] for w in retrying]
    assert [w.returncode for w in retrying] == [0, 0], outputs
    assert sorted(r["alinea"]["lead_id"] for r in received) == ["W1", "W2"]
    with sqlite3.connect(workspace / "app.sqlite3") as db:
        rows = db.execute("SELECT attempts, error FROM sla_slaalert WHERE sent_at IS NOT NULL")
        assert rows.fetchall() == [(2, "")] * 2


_HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("holding", flush=True)
time.sleep(120)
"""


def test_a_locked_warehouse_is_reported_and_retried(workspace: Path, db) -> None:
    path = workspace / "warehouse.duckdb"
    with subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(path)], stdout=subprocess.PIPE, text=True
    ) as holder:
        try:
            assert holder.stdout is not None
            assert holder.stdout.readline().strip() == "holding"
            message = run_tick(f"duckdb:///{path}", webhook="")
        finally:
            holder.kill()
    assert message.startswith("warehouse busy")
    assert "retrying next tick" in message


@pytest.mark.django_db(transaction=True)
def test_serve_mode_runs_the_alerts_loop_on_the_web_connection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from alinea.apps.accounts.services import standard_teams_setup
    from alinea.apps.sla.models import SlaAlert
    from alinea.apps.sla.services import (
        sla_policy_approve,
        sla_policy_create,
        sla_policy_propose,
    )
    from alinea.apps.sla.terms import CalendarTerms, PolicyTerms
    from alinea.cli.worker import start_embedded_alerts

    url = f"duckdb:///{tmp_path / 'served.duckdb'}"
    monkeypatch.setenv("ALINEA_WAREHOUSE", url)
    stamp = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=6)).isoformat()
    con = connect(url)
    ingest_many(
        con,
        {
            "leads": [{"lead_id": "S1", "created_at": stamp, "owner_id": "rep-s"}],
            "stage_changes": [{"lead_id": "S1", "stage": "mql", "changed_at": stamp}],
        },
    )
    con.disconnect()
    standard_teams_setup()
    always = {
        d: ["00:00-24:00"]
        for d in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    }
    policy = sla_policy_create(
        actor=None,
        terms=PolicyTerms(
            quality_floor=0.5,
            first_response_hours=4,
            attempts=2,
            attempts_within_days=2,
            disposition_within_days=3,
            calendars=(CalendarTerms("UTC", always),),
        ),
    )
    sla_policy_propose(actor=None, policy=policy)
    for side in ("marketing", "sales"):
        sla_policy_approve(actor=None, policy=policy, side=side)  # type: ignore[arg-type]

    stop, loop = start_embedded_alerts(interval=0.05)  # what `alinea demo` starts
    try:
        for _ in range(600):
            if SlaAlert.objects.exists():
                break
            stop.wait(0.1)
    finally:
        stop.set()
        loop.join(timeout=60)
    assert list(SlaAlert.objects.values_list("lead_id", "kind")) == [("S1", "breached")]
