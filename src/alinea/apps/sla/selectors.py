"""Reads: the SLA versions, and the clocks of the version in force (computed by the analytics core).

``now`` is always a parameter: views pass ``timezone.now()``, tests a fixed instant.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import ibis
import pandas as pd
from django.db.models import QuerySet
from ibis.backends import BaseBackend

from alinea.analytics import sla
from alinea.analytics.facts import Facts
from alinea.analytics.periods import Period
from alinea.analytics.run import fetch, fetch_scalar
from alinea.apps.accounts.models import Role, User
from alinea.apps.accounts.permissions import AnyUser, can_view, is_admin
from alinea.apps.approval.models import Status
from alinea.apps.audit.models import AuditEntry
from alinea.apps.audit.selectors import audit_entries
from alinea.apps.sla.models import SlaAlert, SlaPolicy
from alinea.apps.sla.spec import policy_spec

#: The inbox looks this many days back for MQLs still waiting for a decision.
INBOX_DAYS = 120


def policy_versions() -> QuerySet[SlaPolicy]:
    """Every version, newest first, with who signed it."""
    return SlaPolicy.objects.select_related(
        "created_by", "marketing_approved_by", "sales_approved_by"
    )


def active_policy() -> SlaPolicy | None:
    """The version in force, if any."""
    return policy_versions().filter(status=Status.ACTIVE).first()


def active_spec() -> sla.SlaPolicy | None:
    """The frozen spec of the version in force, for the analytics core."""
    policy = active_policy()
    return policy_spec(policy) if policy is not None else None


def get_sla_policy_for(user: AnyUser, policy_id: int) -> SlaPolicy:
    """The version if ``user`` may see it (every active user sees every version: the SLA is
    shared by both teams); ``SlaPolicy.DoesNotExist`` otherwise."""
    policy = policy_versions().get(pk=policy_id)
    if not can_view(user, policy):
        raise SlaPolicy.DoesNotExist(policy_id)
    return policy


def policy_history(policy: SlaPolicy) -> QuerySet[AuditEntry]:
    """Every audited change of one version, newest first."""
    return audit_entries(object_type="sla.slapolicy", object_id=str(policy.pk))


def recent_monthly_mqls(con: BaseBackend, *, months: int = 6) -> float:
    """Distinct MQL leads per 30 days over the ``months`` × 30 days up to the latest MQL (what the
    demo company commits to); 0 without MQLs."""
    changes = Facts.of(con).stage_changes
    mqls = changes.filter(changes.stage == "mql")
    latest = fetch_scalar(mqls.changed_at.max())
    if latest is None:
        return 0.0
    start = _instant(latest) - dt.timedelta(days=30 * months)
    recent = mqls.filter(mqls.changed_at > ibis.timestamp(start))
    return float(fetch_scalar(recent.lead_id.nunique()) or 0) / months


def clocks_for(
    con: BaseBackend, policy: sla.SlaPolicy, *, period: Period, now: dt.datetime
) -> pd.DataFrame:
    """The clocks of every MQL event of ``period`` at ``now`` (see ``sla.lead_clocks``)."""
    return sla.lead_clocks(Facts.of(con), policy, period=period, now=now)


def recent_period(now: dt.datetime, days: int = INBOX_DAYS) -> Period:
    """The ``days`` UTC days up to and including ``now``'s day."""
    today = now.astimezone(dt.UTC).date()
    return Period(today - dt.timedelta(days=days - 1), today + dt.timedelta(days=1))


@dataclass(frozen=True)
class InboxItem:
    """One open MQL of a rep: its most urgent open clock first."""

    lead_id: str
    mql_at: dt.datetime
    company: str
    segment: str
    region: str
    attempts: int
    clock: str
    status: str
    due_at: dt.datetime
    response_due_at: dt.datetime
    disposition_due_at: dt.datetime


def _instant(value: Any) -> dt.datetime:
    """A timezone-aware UTC datetime from what the engines return (naive means UTC)."""
    stamp = pd.Timestamp(value)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    instant: dt.datetime = stamp.to_pydatetime()
    return instant


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def inbox_for(
    con: BaseBackend, policy: sla.SlaPolicy, *, person_id: str, now: dt.datetime
) -> list[InboxItem]:
    """The MQLs the rep owns that still wait for a decision, most urgent first.

    Urgency is the order of ``sla.open_clocks``: breached, then at risk, then pending, each by
    due time; a lead appears once, under its most urgent open clock.
    """
    clocks = clocks_for(con, policy, period=recent_period(now), now=now)
    mine = clocks[(clocks["current_rep_id"] == person_id) & clocks["decided_at"].isna()]
    if mine.empty:
        return []
    urgent = sla.open_clocks(mine).drop_duplicates(["lead_id", "mql_at"], keep="first")
    detail = ["lead_id", "mql_at", "segment", "lead_region", "attempts"]
    detail += ["response_due_at", "disposition_due_at"]
    urgent = urgent.merge(mine[detail], on=["lead_id", "mql_at"], how="left", sort=False)
    companies = _companies(con, list(urgent["lead_id"]))
    items = []
    for row in urgent.to_dict("records"):
        items.append(
            InboxItem(
                lead_id=str(row["lead_id"]),
                mql_at=_instant(row["mql_at"]),
                company=companies.get(str(row["lead_id"]), ""),
                segment=_text(row["segment"]),
                region=_text(row["lead_region"]),
                attempts=int(row["attempts"]),
                clock=str(row["clock"]),
                status=str(row["status"]),
                due_at=_instant(row["due_at"]),
                response_due_at=_instant(row["response_due_at"]),
                disposition_due_at=_instant(row["disposition_due_at"]),
            )
        )
    return items


def _companies(con: BaseBackend, lead_ids: list[str]) -> dict[str, str]:
    leads = Facts.of(con).leads
    rows = fetch(leads.filter(leads.lead_id.isin(lead_ids)).select("lead_id", "company"))
    return {str(r.lead_id): _text(r.company) for r in rows.itertuples(index=False)}


def owner_of(con: BaseBackend, *, lead_id: str, now: dt.datetime) -> str | None:
    """The lead's current owner: its latest assignment up to ``now``, else ``leads.owner_id``."""
    facts = Facts.of(con)
    at = ibis.timestamp(now.astimezone(dt.UTC))
    assignments = facts.assignments
    latest = assignments.filter(assignments.lead_id == lead_id, assignments.assigned_at <= at)
    latest = latest.order_by([ibis.desc("assigned_at"), ibis.desc("rep_id")]).limit(1)
    rows = fetch(latest.select("rep_id"))
    if len(rows):
        return str(rows["rep_id"].iloc[0])
    owner = fetch(facts.leads.filter(facts.leads.lead_id == lead_id).select("owner_id"))
    return _text(owner["owner_id"].iloc[0]) or None if len(owner) else None


def open_mql_of(con: BaseBackend, *, lead_id: str, now: dt.datetime) -> dt.datetime | None:
    """The instant of the lead's latest MQL event if no disposition followed it by ``now``."""
    facts = Facts.of(con)
    at = ibis.timestamp(now.astimezone(dt.UTC))
    changes = facts.stage_changes
    mql = changes.filter(
        changes.lead_id == lead_id, changes.stage == "mql", changes.changed_at <= at
    ).changed_at.max()
    latest = fetch_scalar(mql)
    if latest is None:
        return None
    decided = facts.dispositions
    after = decided.filter(
        decided.lead_id == lead_id,
        decided.decided_at >= ibis.timestamp(_instant(latest)),
        decided.decided_at <= at,
    ).count()
    return None if fetch_scalar(after) else _instant(latest)


def alert_log_for(user: User, *, limit: int = 200) -> dict[str, list[SlaAlert]]:
    """The alerts ``user`` may see, newest first: ``attention`` (not delivered: retrying, failed
    or interrupted) and ``sent``. Admins and team leads see every alert, others their own."""
    alerts = SlaAlert.objects.all()
    if not (is_admin(user) or user.memberships.filter(role=Role.TEAM_LEAD).exists()):
        alerts = alerts.filter(rep_id=user.person_id) if user.person_id else alerts.none()
    return {
        "attention": list(alerts.filter(sent_at__isnull=True)[:limit]),
        "sent": list(alerts.filter(sent_at__isnull=False)[:limit]),
    }
