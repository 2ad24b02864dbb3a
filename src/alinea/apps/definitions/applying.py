"""Write the stage changes the active definitions owe: qualify leads as facts arrive.

``definitions_apply`` evaluates every active version at ``now`` (``alinea.analytics.scoring.
applying``), ingests the due stage changes into the warehouse in one atomic, idempotent batch and
records in the audit log, per version that moved leads, how many it moved. Running it again at the
same or a later instant writes nothing new. Runs that move nobody leave no audit entry (the worker
runs it every minute).

It is called by the worker on its schedule, after each committed import and by ``alinea qualify``.
``actor=None`` is the system.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.core.exceptions import PermissionDenied
from django.db import transaction
from ibis.backends import BaseBackend

from alinea.analytics.facts import Facts
from alinea.analytics.run import fetch
from alinea.analytics.scoring.applying import due_stage_changes
from alinea.apps.accounts.models import Team, User
from alinea.apps.accounts.permissions import can_edit_team_item
from alinea.apps.audit.services import audit_record, snapshot
from alinea.apps.definitions.models import STAGES, StageDefinition, Status
from alinea.apps.definitions.selectors import definition_spec
from alinea.warehouse import ingest

SIDES = ("marketing", "sales")
logger = logging.getLogger("alinea.definitions.applying")


@dataclass(frozen=True)
class Applied:
    """What one active version owed at ``now``: the stage changes written (or, in a dry run,
    that would be written)."""

    definition: StageDefinition
    changes: pd.DataFrame

    @property
    def moved(self) -> int:
        return len(self.changes)

    @property
    def lead_ids(self) -> list[str]:
        return [str(lead) for lead in self.changes.lead_id]


def _require_member(actor: User | None) -> None:
    if actor is None:
        return
    teams = Team.objects.filter(slug__in=SIDES)
    if not any(can_edit_team_item(actor, team) for team in teams):
        raise PermissionDenied("only members of marketing or sales may qualify leads")


def _rows(changes: pd.DataFrame, now: dt.datetime) -> list[dict[str, Any]]:
    return [
        {
            "lead_id": str(row.lead_id),
            "stage": str(row.stage),
            "changed_at": now,
            "changed_by": str(row.changed_by),
            "definition_version": str(row.definition_version),
        }
        for row in changes.itertuples(index=False)
    ]


def _due(con: BaseBackend, definitions: list[StageDefinition], now: dt.datetime) -> list[Applied]:
    facts = Facts.of(con)
    return [
        Applied(d, fetch(due_stage_changes(facts, definition_spec(d), now=now)))
        for d in definitions
    ]


def definitions_apply(
    *, actor: User | None, con: BaseBackend, now: dt.datetime, dry_run: bool = False
) -> list[Applied]:
    """Qualify leads under every active version at ``now``; one :class:`Applied` per version,
    in stage order. With ``dry_run`` nothing is written."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"now must be timezone-aware UTC, got {now!r}")
    _require_member(actor)
    with transaction.atomic():
        # holding the active versions serialises concurrent runs (worker, import, CLI)
        active = StageDefinition.objects.select_for_update().filter(status=Status.ACTIVE)
        definitions = sorted(active, key=lambda d: STAGES.index(d.stage))
        applied = _due(con, definitions, now)
        if dry_run:
            return applied
        rows = [row for a in applied for row in _rows(a.changes, now)]
        if not rows:
            return applied
        for a in applied:
            if a.moved:
                audit_record(
                    actor=actor,
                    action="definition_apply",
                    instance=a.definition,
                    before=snapshot(a.definition),
                    summary=f"moved {a.moved} leads to {a.definition.stage} at {now.isoformat()}",
                )
        batch = f"qualify-{now.astimezone(dt.UTC):%Y%m%dT%H%M%S%f}"
        ingest(con, "stage_changes", rows, batch_id=batch)
    return applied


def definitions_apply_after_import(*, con: BaseBackend, now: dt.datetime) -> list[Applied]:
    """:func:`definitions_apply` as the system once an import committed new facts. It never fails
    the import: a problem is logged, and the worker's next run tries again."""
    try:
        return definitions_apply(actor=None, con=con, now=now)
    except Exception:  # the import is committed and recorded whatever happens here
        logger.exception("qualifying leads after an import failed")
        return []
