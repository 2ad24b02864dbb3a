"""SLA alerts: warn the owner before a breach, tell owner and team lead when it happens.

One tick (:func:`alerts_tick`) computes the clocks at ``now`` with the version in force, picks the
open clocks that are *at risk* or *breached* and, for each, first **claims** the alert in the app
database (``SlaAlert``: unique per lead and event) and only then sends it. A second worker, or
the same worker after a restart, fails to claim what was claimed already and sends nothing: each
lead gets each alert once. The price of claiming first: an alert whose sending fails is recorded
with its error and not retried (at most once, never twice).

Breaches that happened before the lookback window (default 24 h) are not announced, so a first
run on an old workspace does not flood anyone.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from ibis.backends import BaseBackend

from alinea.analytics import sla
from alinea.analytics.facts import Facts
from alinea.analytics.run import fetch
from alinea.apps.accounts.models import Role, User
from alinea.apps.sla.models import SlaAlert
from alinea.apps.sla.selectors import active_spec, clocks_for, recent_period

logger = logging.getLogger("alinea.sla.alerts")
LOOKBACK = dt.timedelta(hours=24)
KINDS = ("at_risk", "breached")


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


@dataclass(frozen=True)
class TickResult:
    candidates: int
    sent: int
    skipped: int


def due_alerts(
    clocks: pd.DataFrame, *, now: dt.datetime, lookback: dt.timedelta = LOOKBACK
) -> list[Alert]:
    """The open clocks of undecided MQLs at risk, and those breached within ``lookback``."""
    open_ = sla.open_clocks(clocks[clocks["decided_at"].isna()])
    recent = open_["due_at"] >= pd.Timestamp(now - lookback)
    chosen = open_[(open_["status"] == "at_risk") | ((open_["status"] == "breached") & recent)]
    return [
        Alert(
            lead_id=str(row["lead_id"]),
            mql_at=pd.Timestamp(row["mql_at"]).to_pydatetime(),
            clock=str(row["clock"]),
            kind=str(row["status"]),
            due_at=pd.Timestamp(row["due_at"]).to_pydatetime(),
            rep_id="" if pd.isna(row["current_rep_id"]) else str(row["current_rep_id"]),
        )
        for row in chosen.to_dict("records")
    ]


def claim(alert: Alert, *, now: dt.datetime) -> SlaAlert | None:
    """Write the claim; ``None`` when another worker (or an earlier run) claimed it already."""
    try:
        with transaction.atomic():
            return SlaAlert.objects.create(
                lead_id=alert.lead_id,
                event=alert.event,
                kind=alert.kind,
                rep_id=alert.rep_id,
                claimed_at=now,
            )
    except IntegrityError:
        return None


def _people(con: BaseBackend) -> pd.DataFrame:
    people = Facts.of(con).people
    return fetch(people.select("person_id", "email", "manager_id")).set_index("person_id")


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


def _send(
    alert: Alert, record: SlaAlert, to: list[str], webhook: str, now: Callable[[], dt.datetime]
) -> None:
    errors = []
    if to:
        try:
            send_mail(f"[alinea] {alert.text()}", alert.text(), settings.DEFAULT_FROM_EMAIL, to)
        except Exception as exc:  # any backend failure is recorded, never fatal to the loop
            errors.append(f"email: {exc}")
    if webhook:
        try:
            post_webhook(webhook, alert)
        except Exception as exc:
            errors.append(f"webhook: {exc}")
    record.recipients = to
    record.error = "; ".join(errors)
    record.sent_at = now()
    record.save(update_fields=["recipients", "error", "sent_at"])


def alerts_tick(
    con: BaseBackend, *, now: dt.datetime, webhook: str = "", lookback: dt.timedelta = LOOKBACK
) -> TickResult:
    """One pass: claim and send every alert due at ``now`` that nobody claimed yet."""
    policy = active_spec()
    if policy is None:
        return TickResult(0, 0, 0)
    clocks = clocks_for(con, policy, period=recent_period(now), now=now)
    alerts = due_alerts(clocks, now=now, lookback=lookback)
    people = _people(con) if alerts else pd.DataFrame()
    sent = 0
    for alert in alerts:
        record = claim(alert, now=now)
        if record is None:
            continue
        _send(alert, record, recipients(alert, people), webhook, lambda: now)
        sent += 1
    return TickResult(candidates=len(alerts), sent=sent, skipped=len(alerts) - sent)
