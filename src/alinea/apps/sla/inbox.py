"""What a rep does from the MQL inbox, written as facts (through ``alinea.warehouse.ingest``).

- :func:`mql_disposition_record`: accept, reject with a reason or recycle with a reason: one
  ``dispositions`` fact, and the ``stage_changes`` fact the lifecycle asks for (a recycled lead
  goes back to nurture; see :mod:`alinea.analytics.sla.handback`), written together;
- :func:`contact_attempt_record`: a call, email, meeting or social touch: one ``activities`` fact.

Both are for the rep who owns the lead (the latest assignment, else the lead's owner) or an admin
acting for them. Facts are not agreements, so there is no audit row: each write is its own
ingest batch (``sla-inbox-…``), which records who wrote it and can be rolled back whole.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from ibis.backends import BaseBackend

from alinea.analytics import sla
from alinea.analytics.sla.handback import stage_after_disposition
from alinea.apps.accounts.models import User
from alinea.apps.accounts.permissions import is_admin
from alinea.apps.sla.selectors import open_mql_of, owner_of
from alinea.warehouse import ingest, ingest_many
from alinea.warehouse.schema import ACTIVITY_TYPES

OUTCOMES = ("accepted", "rejected", "recycled")
CONTACT_TYPES = tuple(t for t in ACTIVITY_TYPES if t != "note")


def _batch(actor: User) -> str:
    return f"sla-inbox-{actor.get_username()}-{uuid.uuid4().hex[:12]}"


def mover_of(actor: User) -> str:
    """Who moved a lead, as ``stage_changes.changed_by``: the actor's person, else their login."""
    return actor.person_id or f"user:{actor.get_username()}"


def _acting_rep(actor: User, con: BaseBackend, lead_id: str, now: dt.datetime) -> str:
    """The rep the fact is recorded for: the lead's owner, who must be the actor (or an admin)."""
    owner = owner_of(con, lead_id=lead_id, now=now)
    if owner is None:
        raise ValidationError(f"lead {lead_id!r} has no owner")
    if owner != actor.person_id and not is_admin(actor):
        raise PermissionDenied(f"lead {lead_id!r} is not yours")
    return owner


def check_reason(policy: sla.SlaPolicy, outcome: str, reason: str) -> str:
    """The reason to store: empty for an acceptance, one of the agreed codes otherwise."""
    if outcome not in OUTCOMES:
        raise ValidationError(f"the outcome is one of {', '.join(OUTCOMES)}, not {outcome!r}")
    reason = reason.strip()
    if outcome == "accepted":
        return ""
    agreed = policy.recycling.agreed(outcome)
    if not reason:
        raise ValidationError(f"a {outcome} MQL needs a reason")
    if agreed and reason not in agreed:
        raise ValidationError(f"{reason!r} is not an agreed reason to {outcome[:-1]} an MQL")
    return reason


def mql_disposition_record(
    *,
    actor: User,
    con: BaseBackend,
    policy: sla.SlaPolicy,
    lead_id: str,
    outcome: str,
    reason: str = "",
    now: dt.datetime,
) -> dict[str, object]:
    """Record the rep's decision on the lead's open MQL; returns the disposition written.

    When the outcome moves the lead (:func:`stage_after_disposition`), the stage change is
    written in the same batch, at the same instant, with the actor as ``changed_by``."""
    reason = check_reason(policy, outcome, reason)
    rep_id = _acting_rep(actor, con, lead_id, now)
    if open_mql_of(con, lead_id=lead_id, now=now) is None:
        raise ValidationError(f"lead {lead_id!r} has no MQL waiting for a decision")
    row: dict[str, object] = {
        "lead_id": lead_id,
        "rep_id": rep_id,
        "decided_at": now.astimezone(dt.UTC),
        "outcome": outcome,
        "reason": reason or None,
    }
    batches: dict[str, list[dict[str, object]]] = {"dispositions": [row]}
    stage = stage_after_disposition(outcome)
    if stage is not None:
        change = {"lead_id": lead_id, "stage": stage, "changed_at": row["decided_at"]}
        batches["stage_changes"] = [change | {"changed_by": mover_of(actor)}]
    ingest_many(con, batches, batch_id=_batch(actor))
    return row


def contact_attempt_record(
    *,
    actor: User,
    con: BaseBackend,
    lead_id: str,
    kind: str,
    outcome: str = "",
    now: dt.datetime,
) -> dict[str, object]:
    """Record a contact attempt (call, email, meeting, social) on the lead; returns the fact."""
    if kind not in CONTACT_TYPES:
        raise ValidationError(f"a contact attempt is one of {', '.join(CONTACT_TYPES)}")
    rep_id = _acting_rep(actor, con, lead_id, now)
    row: dict[str, object] = {
        "activity_id": f"web-{uuid.uuid4().hex}",
        "lead_id": lead_id,
        "rep_id": rep_id,
        "occurred_at": now.astimezone(dt.UTC),
        "type": kind,
        "outcome": outcome.strip() or None,
    }
    ingest(con, "activities", [row], batch_id=_batch(actor))
    return row
