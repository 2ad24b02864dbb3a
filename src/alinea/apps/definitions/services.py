"""Writes to stage definitions: create and change drafts; proposing, signing and activating follow
the shared two-lead signing (``alinea.apps.approval``). Atomic and audited; ``actor=None`` is the
system (demo, CLI).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet

from alinea.analytics.scoring.document import definition_from_dict, definition_to_dict
from alinea.apps.accounts.models import User
from alinea.apps.approval import services as approval
from alinea.apps.approval.services import SIDES, Side
from alinea.apps.audit.services import audit_record, snapshot
from alinea.apps.definitions.models import StageDefinition


def _in_force(definition: StageDefinition) -> QuerySet[StageDefinition]:
    return StageDefinition.objects.filter(stage=definition.stage)


SIGNING = approval.Signing(action="definition", what="definitions", replaces=_in_force)


def _normalised(stage: str, version: int, document: dict[str, Any]) -> dict[str, Any]:
    """The document checked by the specs, with the stored stage and version written in."""
    try:
        spec = definition_from_dict({**document, "stage": stage, "version": f"v{version}"})
    except (ValueError, KeyError, TypeError) as exc:
        raise ValidationError(f"invalid definition: {exc}") from None
    return definition_to_dict(spec)


def _summary(document: dict[str, Any]) -> str:
    spec = definition_from_dict(document)
    parts = list(spec.criterion_names)
    if spec.threshold is not None:
        parts.append(f"score ≥ {spec.threshold:g}")
    return "; ".join(parts)


def definition_create(
    *, actor: User | None, stage: str, document: dict[str, Any], note: str = ""
) -> StageDefinition:
    """A new draft version of ``stage``'s definition."""
    approval.require_editor(actor, SIGNING)
    with transaction.atomic():
        versions = StageDefinition.objects.select_for_update().filter(stage=stage)
        latest = versions.aggregate(v=Max("version"))["v"] or 0
        definition = StageDefinition(stage=stage, version=latest + 1, created_by=actor, note=note)
        definition.full_clean(exclude=["document"])
        definition.document = _normalised(stage, definition.version, document)
        definition.full_clean()
        definition.save()
        audit_record(
            actor=actor,
            action="definition_create",
            instance=definition,
            before=None,
            summary="created; " + _summary(definition.document),
        )
    return definition


def definition_new_version(*, actor: User | None, source: StageDefinition) -> StageDefinition:
    """A new draft starting from ``source`` (usually the active version)."""
    return definition_create(
        actor=actor, stage=source.stage, document=source.document, note=source.note
    )


def definition_update(
    *,
    actor: User | None,
    definition: StageDefinition,
    document: dict[str, Any],
    note: str | None = None,
) -> StageDefinition:
    """Change a draft or proposed version; a proposed one goes back to draft, unsigned."""
    approval.require_editor(actor, SIGNING)
    approval.require_editable(definition)
    with transaction.atomic():
        before = snapshot(definition)
        definition.document = _normalised(definition.stage, definition.version, document)
        if note is not None:
            definition.note = note
        definition.clear_signatures()
        definition.full_clean()
        definition.save()
        audit_record(
            actor=actor,
            action="definition_update",
            instance=definition,
            before=before,
            summary="changed; " + _summary(definition.document),
        )
    return definition


def definition_propose(*, actor: User | None, definition: StageDefinition) -> StageDefinition:
    """Put a draft forward for both team leads to sign."""
    return approval.propose(actor=actor, item=definition, signing=SIGNING)


def definition_approve(
    *, actor: User | None, definition: StageDefinition, side: Side
) -> StageDefinition:
    """Sign a proposed version for ``side``; once both sides signed it becomes the active one."""
    return approval.approve(actor=actor, item=definition, side=side, signing=SIGNING)


def definition_activate(*, actor: User | None, definition: StageDefinition) -> StageDefinition:
    """Make an approved version the one in force for its stage; the previous one is retired."""
    return approval.activate(actor=actor, item=definition, signing=SIGNING)


def demo_definitions_setup() -> StageDefinition | None:
    """The demo company's signed MQL definition, created, proposed and signed by both leads
    (maria and sam), unless an MQL definition exists already (idempotent)."""
    from alinea.apps.definitions.demo import DEMO_MQL

    if StageDefinition.objects.filter(stage="mql").exists():
        return None
    signers = {side: approval.team_lead_of(side) for side in SIDES}
    with transaction.atomic():
        definition = definition_create(
            actor=signers["marketing"],
            stage="mql",
            document=DEMO_MQL,
            note="What the demo company's marketing hands to sales.",
        )
        definition_propose(actor=signers["marketing"], definition=definition)
        for side in SIDES:
            definition_approve(actor=signers[side], definition=definition, side=side)
    return definition
