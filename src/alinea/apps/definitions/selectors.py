"""Reads: definition versions, their history and diff, the backtest of a version beside the
active one, and why a lead is (not) at a stage right now (computed by the analytics core).

``now`` is always a parameter: views pass ``timezone.now()``, tests a fixed instant.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.db.models import QuerySet
from ibis.backends import BaseBackend

from alinea.analytics.facts import Facts
from alinea.analytics.run import fetch
from alinea.analytics.scoring.applying import stage_entry
from alinea.analytics.scoring.backtest import backtest_report
from alinea.analytics.scoring.document import definition_diff, definition_from_dict
from alinea.analytics.scoring.points import score_factors
from alinea.analytics.scoring.rules import qualification, qualification_reasons
from alinea.analytics.scoring.spec import Definition
from alinea.apps.accounts.permissions import AnyUser, can_view
from alinea.apps.approval.models import Status
from alinea.apps.audit.models import AuditEntry
from alinea.apps.audit.selectors import audit_entries
from alinea.apps.definitions.models import STAGES, StageDefinition


def definition_versions(stage: str | None = None) -> QuerySet[StageDefinition]:
    """Every version (of ``stage``, or of every stage), with who signed it."""
    versions = StageDefinition.objects.select_related(
        "created_by", "marketing_approved_by", "sales_approved_by"
    )
    return versions.filter(stage=stage) if stage is not None else versions


def active_definition(stage: str) -> StageDefinition | None:
    """The version of ``stage`` in force, if any."""
    return definition_versions(stage).filter(status=Status.ACTIVE).first()


def active_definitions() -> QuerySet[StageDefinition]:
    """The versions in force, one per stage at most."""
    return definition_versions().filter(status=Status.ACTIVE)


def stage_overview() -> list[dict[str, Any]]:
    """Per stage with a definition: the active version and the latest one."""
    rows: dict[str, dict[str, Any]] = {}
    for version in definition_versions():
        row = rows.setdefault(version.stage, {"stage": version.stage, "active": None})
        row.setdefault("latest", version)
        if version.status == Status.ACTIVE:
            row["active"] = version
    return list(rows.values())


def get_stage_definition_for(user: AnyUser, definition_id: int) -> StageDefinition:
    """The version if ``user`` may see it (every active user sees every version: definitions are
    shared by both teams); ``StageDefinition.DoesNotExist`` otherwise."""
    definition = definition_versions().get(pk=definition_id)
    if not can_view(user, definition):
        raise StageDefinition.DoesNotExist(definition_id)
    return definition


def definition_spec(definition: StageDefinition) -> Definition:
    """The frozen spec of a stored version, for the analytics core."""
    return definition_from_dict(
        {**definition.document, "stage": definition.stage, "version": f"v{definition.version}"}
    )


def definition_history(definition: StageDefinition) -> QuerySet[AuditEntry]:
    """Every audited change of one version (who proposed and approved what), newest first."""
    return audit_entries(object_type="definitions.stagedefinition", object_id=str(definition.pk))


def previous_version(definition: StageDefinition) -> StageDefinition | None:
    """The version of the same stage just before this one."""
    earlier = definition_versions(definition.stage).filter(version__lt=definition.version)
    return earlier.order_by("-version").first()


def version_diff(old: StageDefinition, new: StageDefinition) -> list[str]:
    """What changed from ``old`` to ``new``, one readable line per change."""
    return definition_diff(definition_spec(old), definition_spec(new))


@dataclass(frozen=True)
class Backtest:
    """A version replayed over past months, beside the active one (when it is another)."""

    versions: list[str]
    months: pd.DataFrame
    recall: pd.DataFrame
    rep_load: pd.DataFrame


def definition_backtest(
    con: BaseBackend, definition: StageDefinition, *, months: int, now: dt.datetime
) -> Backtest:
    """``backtest_months``, ``backtest_recall`` and the per-rep load of ``definition`` and of the
    active version of its stage (rows carry ``version``)."""
    specs = [definition_spec(definition)]
    active = active_definition(definition.stage)
    if active is not None and active.pk != definition.pk:
        specs.append(definition_spec(active))
    report = backtest_report(Facts.of(con), specs, months=months, now=now)
    return Backtest(
        versions=[s.version for s in specs],
        months=report.months,
        recall=report.recall,
        rep_load=report.rep_load,
    )


@dataclass(frozen=True)
class Explanation:
    """Why one lead is or is not at a stage right now."""

    lead_id: str
    version: str
    found: bool
    qualified: bool
    score: float | None
    reasons: list[tuple[str, bool]]
    factors: list[tuple[str, float]]


def lead_explanation(
    con: BaseBackend, definition: StageDefinition, *, lead_id: str, now: dt.datetime
) -> Explanation:
    """The criteria the lead meets or misses under ``definition`` at ``now`` and, with a points
    model, the rules that raised or lowered its score (largest effect first)."""
    spec = definition_spec(definition)
    facts = Facts.of(con)
    row = fetch(qualification(facts, spec, now=now).filter(lambda t: t.lead_id == lead_id))
    if row.empty:
        return Explanation(lead_id, spec.version, False, False, None, [], [])
    reasons = fetch(qualification_reasons(facts, spec, now=now, lead_id=lead_id))
    factors: list[tuple[str, float]] = []
    if spec.points is not None:
        table = fetch(score_factors(facts, spec.points, now=now, lead_ids=[lead_id]))
        factors = [(str(f), float(p)) for f, p in zip(table.factor, table.points, strict=True)]
    score = row.score.iloc[0]
    return Explanation(
        lead_id=lead_id,
        version=spec.version,
        found=True,
        qualified=bool(row.qualified.iloc[0]),
        score=None if pd.isna(score) else float(score),
        reasons=[
            (str(c), not pd.isna(m) and bool(m))
            for c, m in zip(reasons.criterion, reasons.met, strict=True)
        ],
        factors=factors,
    )


@dataclass(frozen=True)
class StageEntry:
    """When the lead last entered a stage, and which definition version moved it (if one did)."""

    changed_at: dt.datetime
    changed_by: str | None
    definition_version: str | None


@dataclass(frozen=True)
class LeadStage:
    """One active definition on the lead page: the explanation now and the entry into its stage."""

    definition: StageDefinition
    explanation: Explanation
    entry: StageEntry | None


def _text(value: Any) -> str | None:
    return None if value is None or pd.isna(value) else str(value)


def _entry(con: BaseBackend, stage: str, *, lead_id: str, now: dt.datetime) -> StageEntry | None:
    found = fetch(stage_entry(Facts.of(con), lead_id=lead_id, stage=stage, now=now))
    if found.empty:
        return None
    row = found.iloc[0]
    return StageEntry(
        changed_at=pd.Timestamp(row.changed_at).to_pydatetime(),
        changed_by=_text(row.changed_by),
        definition_version=_text(row.definition_version),
    )


def lead_stages(con: BaseBackend, *, lead_id: str, now: dt.datetime) -> list[LeadStage]:
    """For each active definition (in lifecycle order): why the lead is or is not at its stage
    now, and its latest entry into the stage up to ``now``."""
    active = sorted(active_definitions(), key=lambda d: STAGES.index(d.stage))
    return [
        LeadStage(
            definition=d,
            explanation=lead_explanation(con, d, lead_id=lead_id, now=now),
            entry=_entry(con, d.stage, lead_id=lead_id, now=now),
        )
        for d in active
    ]
