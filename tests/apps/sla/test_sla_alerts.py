"""Alerts: the right people get one message per lead and event, however often the worker runs."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail

from alinea.apps.sla.alerts import alerts_tick, claim, due_alerts
from alinea.apps.sla.models import SlaAlert
from alinea.apps.sla.selectors import active_spec, clocks_for, recent_period

from .conftest import NOW

pytestmark = pytest.mark.django_db

#: Undecided MQLs with an open clock at risk, or breached in the 24 h before NOW.
EXPECTED = {
    ("A2", "attempts", "breached"),
    ("A4", "response", "at_risk"),
    ("A2", "disposition", "at_risk"),
}


@pytest.fixture
def webhook() -> Iterator[tuple[str, list[dict]]]:
    """A local Slack-like endpoint that records the JSON it receives."""
    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook", received
    server.shutdown()
    server.server_close()


def _alerts(con):
    clocks = clocks_for(con, active_spec(), period=recent_period(NOW), now=NOW)
    return due_alerts(clocks, now=NOW)


def test_due_alerts_are_the_open_risky_and_fresh_breaches(hand_warehouse, signed_policy) -> None:
    assert {(a.lead_id, a.clock, a.kind) for a in _alerts(hand_warehouse)} == EXPECTED


def test_each_alert_goes_out_once_to_owner_and_on_breach_the_manager(
    hand_warehouse, signed_policy, webhook
) -> None:
    url, received = webhook
    first = alerts_tick(hand_warehouse, now=NOW, webhook=url)
    assert (first.candidates, first.sent) == (3, 3)
    to = {tuple(message.to) for message in mail.outbox}
    assert to == {("meg@example.com", "rep-a@example.com"), ("rep-a@example.com",)}
    breach = next(m for m in mail.outbox if len(m.to) == 2)
    assert "A2" in breach.subject
    assert "breached" in breach.subject
    assert len(received) == 3
    assert {r["alinea"]["kind"] for r in received} == {"at_risk", "breached"}
    assert all(r["text"].startswith("SLA ") for r in received)

    again = alerts_tick(hand_warehouse, now=NOW + dt.timedelta(minutes=1), webhook=url)
    assert (again.candidates, again.sent, again.skipped) == (3, 0, 3)
    assert len(mail.outbox) == 3
    assert len(received) == 3
    stored = SlaAlert.objects.all()
    assert {(a.lead_id, a.event.split("/")[1], a.kind) for a in stored} == EXPECTED
    assert all(a.sent_at is not None and a.error == "" for a in stored)


def test_a_claim_is_taken_once(hand_warehouse, signed_policy) -> None:
    alert = _alerts(hand_warehouse)[0]
    assert claim(alert, now=NOW) is not None
    assert claim(alert, now=NOW) is None
    assert SlaAlert.objects.count() == 1


def test_old_breaches_are_not_announced(hand_warehouse, signed_policy) -> None:
    later = NOW + dt.timedelta(days=3)
    clocks = clocks_for(hand_warehouse, active_spec(), period=recent_period(later), now=later)
    kinds = {(a.lead_id, a.clock) for a in due_alerts(clocks, now=later)}
    assert ("A2", "attempts") not in kinds  # breached on Tuesday: more than 24 h ago


def test_no_policy_no_alerts(hand_warehouse, teams) -> None:
    assert alerts_tick(hand_warehouse, now=NOW).candidates == 0
