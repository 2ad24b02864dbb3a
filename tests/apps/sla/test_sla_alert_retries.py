"""Failed deliveries are retried with backoff, channel by channel, once per alert even with two
workers; failures are recorded and shown on the alerts page."""

from __future__ import annotations

import collections
import datetime as dt
import itertools
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail

from alinea.apps.sla import delivery
from alinea.apps.sla.alerts import alerts_tick, retry_failed, take_retry
from alinea.apps.sla.delivery import MAX_ATTEMPTS, retry_delay
from alinea.apps.sla.models import SlaAlert

from .conftest import NOW

pytestmark = pytest.mark.django_db
DEAD = "http://127.0.0.1:9/nowhere"  # the discard port: nothing listens, the POST fails


class Hook:
    """A local Slack-like endpoint that fails while ``down`` and records what it receives."""

    def __init__(self) -> None:
        self.down = True
        self.received: list[dict] = []
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if not hook.down:
                    hook.received.append(body)
                self.send_response(503 if hook.down else 200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"


@pytest.fixture
def hook() -> Iterator[Hook]:
    endpoint = Hook()
    thread = threading.Thread(target=endpoint.server.serve_forever, daemon=True)
    thread.start()
    yield endpoint
    endpoint.server.shutdown()
    endpoint.server.server_close()


def test_the_wait_doubles_from_a_minute_up_to_an_hour():
    waits = [retry_delay(n) for n in range(1, 10)]
    assert waits[0] == dt.timedelta(minutes=1)
    assert all(b == min(2 * a, dt.timedelta(hours=1)) for a, b in itertools.pairwise(waits))


def test_a_failed_webhook_is_retried_after_its_wait_without_mailing_twice(
    hand_warehouse, signed_policy, hook
):
    first = alerts_tick(hand_warehouse, now=NOW, webhook=hook.url)
    assert (first.sent, first.failed) == (3, 3)
    assert len(mail.outbox) == 3  # e-mail worked the first time
    stored = list(SlaAlert.objects.all())
    assert all(a.sent_at is None and a.error.startswith("webhook:") for a in stored)
    assert all(a.attempts == 1 and a.delivered == ["email"] for a in stored)
    assert {a.next_attempt_at for a in stored} == {NOW + dt.timedelta(minutes=1)}

    hook.down = False
    early = alerts_tick(hand_warehouse, now=NOW + dt.timedelta(seconds=59), webhook=hook.url)
    assert (early.retried, early.sent, hook.received) == (0, 0, [])

    later = NOW + dt.timedelta(minutes=1)
    result = alerts_tick(hand_warehouse, now=later, webhook=hook.url)
    assert (result.retried, result.failed, result.sent) == (3, 0, 0)
    assert len(hook.received) == 3
    assert len(mail.outbox) == 3
    for alert in SlaAlert.objects.all():
        assert (alert.sent_at, alert.error, alert.attempts) == (later, "", 2)
        assert sorted(alert.delivered) == ["email", "webhook"]
        assert alert.state == "sent"
    again = alerts_tick(hand_warehouse, now=later + dt.timedelta(hours=2), webhook=hook.url)
    assert again.retried == 0  # only alerts that came due since then went out
    assert len(hook.received) == len(mail.outbox) == 3 + again.sent
    events = collections.Counter(r["alinea"]["event"] for r in hook.received)
    assert set(events.values()) == {1}


def test_a_failing_mail_backend_is_retried_until_the_last_attempt(
    hand_warehouse, signed_policy, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9
    now = NOW
    assert alerts_tick(hand_warehouse, now=now).failed == 3
    first = set(SlaAlert.objects.values_list("pk", flat=True))
    for attempt in range(2, MAX_ATTEMPTS + 1):
        now += retry_delay(attempt - 1)
        result = alerts_tick(hand_warehouse, now=now)
        assert result.retried == 0
        assert result.failed == 3 + result.sent  # the three again, and any new ones
        assert {a.attempts for a in SlaAlert.objects.filter(pk__in=first)} == {attempt}
    alerts = list(SlaAlert.objects.filter(pk__in=first))
    assert {(a.attempts, a.next_attempt_at, a.state) for a in alerts} == {
        (MAX_ATTEMPTS, None, "failed")
    }
    assert all(a.error.startswith("email:") for a in alerts)
    alerts_tick(hand_warehouse, now=now + dt.timedelta(days=1))
    assert {a.attempts for a in SlaAlert.objects.filter(pk__in=first)} == {MAX_ATTEMPTS}


def test_two_workers_racing_for_a_retry_send_it_once(hand_warehouse, signed_policy, hook):
    alerts_tick(hand_warehouse, now=NOW, webhook=hook.url)
    hook.down = False
    later = NOW + dt.timedelta(minutes=5)
    mine, theirs = SlaAlert.objects.first(), SlaAlert.objects.first()
    assert take_retry(mine, now=later)
    assert not take_retry(theirs, now=later)  # same stale copy: the conditional update misses
    assert mine.attempts == 2

    assert retry_failed(now=later, webhook=hook.url) == (2, 0)  # the two still waiting
    assert take_retry(theirs, now=later + dt.timedelta(hours=1)) is False  # mine is in flight
    assert len(hook.received) == 2
    assert len(mail.outbox) == 3


def test_an_alert_interrupted_while_sending_is_not_sent_again(
    hand_warehouse, signed_policy, monkeypatch
):
    def crash(*args: object, **kwargs: object) -> bool:
        raise KeyboardInterrupt

    monkeypatch.setattr("alinea.apps.sla.alerts.deliver", crash)
    with pytest.raises(KeyboardInterrupt):
        alerts_tick(hand_warehouse, now=NOW)
    monkeypatch.setattr("alinea.apps.sla.alerts.deliver", delivery.deliver)
    alert = SlaAlert.objects.get()
    assert (alert.state, alert.attempts) == ("sending", 1)
    result = alerts_tick(hand_warehouse, now=NOW + dt.timedelta(hours=1))
    assert result.retried == 0
    assert SlaAlert.objects.get(pk=alert.pk).state == "sending"


def test_the_alerts_page_shows_failures_to_team_leads_and_own_alerts_to_reps(
    client, hand_warehouse, signed_policy, leads, rep_user
):
    alerts_tick(hand_warehouse, now=NOW, webhook=DEAD)
    client.force_login(leads["sales_lead"])
    page = client.get("/sla/alerts/").content.decode()
    assert page.count('data-state="retrying"') == 3
    assert "webhook:" in page
    client.force_login(leads["marketer"])  # no person, not a lead: nothing
    assert 'data-state="retrying"' not in client.get("/sla/alerts/").content.decode()
    client.force_login(rep_user)  # rep-a owns all three
    assert client.get("/sla/alerts/").content.decode().count('data-state="retrying"') == 3
