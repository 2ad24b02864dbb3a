"""Sending one SLA alert: who gets it, the channels (email, webhook) and what a failure leaves.

Each claimed alert (``SlaAlert``) remembers the channels that delivered it. An attempt sends only
the channels still missing, so a retry after a failed webhook does not send the email again. A
failed attempt records its error and, until :data:`MAX_ATTEMPTS`, the time of the next attempt:
one minute after the first failure, then doubling up to an hour (:func:`retry_delay`). After the
last attempt the alert stays *failed*: the alerts page shows it to admins and team leads.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from django.conf import settings
from django.core.mail import send_mail

from alinea.apps.accounts.models import Role, User
from alinea.apps.sla.models import SlaAlert

MAX_ATTEMPTS = SlaAlert.MAX_ATTEMPTS
FIRST_RETRY = dt.timedelta(minutes=1)
LONGEST_WAIT = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Alert:
    lead_id: str
    mql_at: dt.datetime
    clock: str
    kind: str
    due_at: dt.datetime
    rep_id: str

    @property
    def event(self) -> str:
        return f"{self.mql_at.astimezone(dt.UTC).isoformat()}/{self.clock}/{self.kind}"

    def text(self) -> str:
        verb = "is at risk" if self.kind == "at_risk" else "was breached"
        due = self.due_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        return (
            f"SLA {verb}: lead {self.lead_id}, {self.clock} clock, due {due} (owner {self.rep_id})"
        )

    @classmethod
    def of(cls, record: SlaAlert) -> Alert:
        """The alert a stored claim stands for (to retry it)."""
        mql_at, clock, kind = record.event.split("/")
        start = dt.datetime.fromisoformat(mql_at)
        return cls(record.lead_id, start, clock, kind, record.due_at or start, record.rep_id)


def retry_delay(attempts: int) -> dt.timedelta:
    """How long to wait after the ``attempts``-th failed attempt.

    >>> [int(retry_delay(n).total_seconds() // 60) for n in range(1, 9)]
    [1, 2, 4, 8, 16, 32, 60, 60]
    """
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_WAIT)


def _email_of(person_id: str, people: pd.DataFrame) -> str:
    user = User.objects.filter(person_id=person_id).first() if person_id else None
    if user is not None and user.email:
        return user.email
    if person_id in people.index and isinstance(people.at[person_id, "email"], str):
        return str(people.at[person_id, "email"])
    return ""


def recipients(alert: Alert, people: pd.DataFrame) -> list[str]:
    """The owner, and on a breach the owner's manager (else the sales team leads)."""
    found = [_email_of(alert.rep_id, people)]
    if alert.kind == "breached":
        manager = people.at[alert.rep_id, "manager_id"] if alert.rep_id in people.index else None
        manager_email = _email_of(str(manager), people) if isinstance(manager, str) else ""
        if manager_email:
            found.append(manager_email)
        else:
            leads = User.objects.filter(
                memberships__team__slug="sales", memberships__role=Role.TEAM_LEAD
            ).exclude(email="")
            found.extend(leads.values_list("email", flat=True))
    return sorted({e for e in found if e})


def post_webhook(url: str, alert: Alert) -> None:
    """Post a Slack-compatible message (``{"text": …}``) to ``url``."""
    body = json.dumps(
        {
            "text": alert.text(),
            "alinea": {"lead_id": alert.lead_id, "event": alert.event, "kind": alert.kind},
        }
    ).encode()
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        response.read()


def _channels(alert: Alert, to: list[str], webhook: str) -> dict[str, Callable[[], object]]:
    """The channels this alert goes out on, each a call that raises when sending fails."""
    channels: dict[str, Callable[[], object]] = {}
    if to:
        subject = f"[alinea] {alert.text()}"
        channels["email"] = lambda: send_mail(
            subject, alert.text(), settings.DEFAULT_FROM_EMAIL, to
        )
    if webhook:
        channels["webhook"] = lambda: post_webhook(webhook, alert)
    return channels


def deliver(alert: Alert, record: SlaAlert, *, webhook: str, now: dt.datetime) -> bool:
    """One attempt at the channels ``record`` has not delivered yet; returns whether every
    channel has now delivered. Errors are recorded on ``record``, never raised."""
    errors = []
    for name, send in _channels(alert, list(record.recipients), webhook).items():
        if name in record.delivered:
            continue
        try:
            send()
        except Exception as exc:  # any backend failure is recorded, never fatal to the loop
            errors.append(f"{name}: {exc}")
        else:
            record.delivered = [*record.delivered, name]
    record.error = "; ".join(errors)
    if errors:
        more = record.attempts < MAX_ATTEMPTS
        record.next_attempt_at = now + retry_delay(record.attempts) if more else None
    else:
        record.sent_at, record.next_attempt_at = now, None
    record.save(update_fields=["recipients", "delivered", "error", "next_attempt_at", "sent_at"])
    return not errors
