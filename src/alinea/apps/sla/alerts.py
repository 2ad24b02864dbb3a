"""SLA alerts: warn the owner before a breach, tell owner and team lead when it happens.

One tick (:func:`alerts_tick`) first retries the alerts whose last attempt failed and whose wait
is over (:func:`retry_failed`), then computes the clocks at ``now`` with the version in force,
picks the open clocks that are *at risk* or *breached* and, for each, first **claims** the alert
in the app database (``SlaAlert``: unique per lead and event) and only then sends it
(:mod:`alinea.apps.sla.delivery`). A second worker, or the same worker after a restart, fails to
claim what was claimed already and sends nothing: each lead gets each alert once.

A retry is taken the same way: a conditional update of the claim (still unsent, same attempt
count, wait over) that only one worker can win. A claim whose sending was interrupted (the worker
died between claiming and recording the outcome) is never retried: it may have gone out, and
sending it twice is worse than once late; the alerts page shows it as *sending*.

Breaches that happened before the lookback window (default 24 h) are not announced, so a first
run on an old workspace does not flood anyone.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

import pandas as pd
from django.db import IntegrityError, transaction
from django.db.models import F
from ibis.backends import BaseBackend

from alinea.analytics import sla
from alinea.analytics.facts import Facts
from alinea.analytics.run import fetch
from alinea.apps.sla.delivery import Alert, deliver, recipients
from alinea.apps.sla.models import SlaAlert
from alinea.apps.sla.selectors import active_spec, clocks_for, recent_period

logger = logging.getLogger("alinea.sla.alerts")
LOOKBACK = dt.timedelta(hours=24)
KINDS = ("at_risk", "breached")


@dataclass(frozen=True)
class TickResult:
    candidates: int
    sent: int
    skipped: int
    retried: int = 0
    failed: int = 0


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
    """Write the claim (its first attempt); ``None`` when another worker (or an earlier run)
    claimed it already."""
    try:
        with transaction.atomic():
            return SlaAlert.objects.create(
                lead_id=alert.lead_id,
                event=alert.event,
                kind=alert.kind,
                rep_id=alert.rep_id,
                due_at=alert.due_at,
                claimed_at=now,
                attempts=1,
            )
    except IntegrityError:
        return None


def take_retry(record: SlaAlert, *, now: dt.datetime) -> bool:
    """Take the next attempt of a failed alert; ``False`` when another worker took it first (or
    it was sent meanwhile). The winner's copy of ``record`` is updated."""
    taken = SlaAlert.objects.filter(
        pk=record.pk,
        sent_at__isnull=True,
        attempts=record.attempts,
        next_attempt_at__lte=now,
    ).update(attempts=F("attempts") + 1, next_attempt_at=None)
    if taken:
        record.attempts += 1
        record.next_attempt_at = None
    return bool(taken)


def retry_failed(*, now: dt.datetime, webhook: str) -> tuple[int, int]:
    """Retry every failed alert whose wait is over; returns (delivered, failed again)."""
    waiting = SlaAlert.objects.filter(sent_at__isnull=True, next_attempt_at__lte=now)
    delivered = failed = 0
    for record in waiting.order_by("next_attempt_at", "pk"):
        if not take_retry(record, now=now):
            continue
        if deliver(Alert.of(record), record, webhook=webhook, now=now):
            delivered += 1
        else:
            failed += 1
    return delivered, failed


def _people(con: BaseBackend) -> pd.DataFrame:
    people = Facts.of(con).people
    return fetch(people.select("person_id", "email", "manager_id")).set_index("person_id")


def alerts_tick(
    con: BaseBackend, *, now: dt.datetime, webhook: str = "", lookback: dt.timedelta = LOOKBACK
) -> TickResult:
    """One pass: retry the failed alerts that are due, then claim and send every alert due at
    ``now`` that nobody claimed yet. ``sent`` counts new alerts claimed (delivered or not),
    ``failed`` those of this pass (new or retried) that did not get through."""
    retried, failed = retry_failed(now=now, webhook=webhook)
    policy = active_spec()
    if policy is None:
        return TickResult(0, 0, 0, retried, failed)
    clocks = clocks_for(con, policy, period=recent_period(now), now=now)
    alerts = due_alerts(clocks, now=now, lookback=lookback)
    people = _people(con) if alerts else pd.DataFrame()
    sent = 0
    for alert in alerts:
        record = claim(alert, now=now)
        if record is None:
            continue
        record.recipients = recipients(alert, people)
        sent += 1
        failed += not deliver(alert, record, webhook=webhook, now=now)
    return TickResult(len(alerts), sent, len(alerts) - sent, retried, failed)
