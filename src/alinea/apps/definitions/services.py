"""Writes to stage definitions: create, change, propose, approve, activate. Atomic and audited.

The same approval mechanics as the SLA: members and team leads of marketing or sales write drafts
and propose them; only the marketing team lead signs for marketing and only the sales team lead
for sales (admins may do anything). ``actor=None`` is the system (demo, CLI).
"""

from __future__ import annotations

from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from alinea.analytics.scoring.document import definition_from_dict, definition_to_dict
from alinea.apps.accounts.models import Team, User
from alinea.apps.accounts.permissions import can_approve_for_team, can_edit_team_item
from alinea.apps.audit.services import audit_record, snapshot
from alinea.apps.definitions.models import StageDefinition, Status

Side = Literal["marketing", "sales"]
SIDES: tuple[Side, ...] = ("marketing", "sales")


def _team(slug: str) -> Team:
    return Team.objects.get(slug=slug)


def _require_editor(actor: User | None) -> None:
    if actor is None:
        return
    if not any(can_edit_team_item(actor, _team(side)) for side in SIDES):
        raise PermissionDenied("only members of marketing or sales may write definitions")


def _require_editable(definition: StageDefinition) -> None:
    if not definition.is_editable:
        raise ValidationError(
            f"{definition.label} is {definition.status}: start a new version to change it",
            code="state",
        )


#: Document keys holding numbers, and keys holding lists of text.
_NUMBERS = frozenset(
    {"threshold", "floor", "cap", "at_least", "at_most", "points", "half_life_days", "window_days"}
)
_TEXTS = frozenset({"any_of", "types"})


def _number_or_none(value: Any) -> bool:
    return value is None or isinstance(value, int | float)


def _check_types(value: Any, key: str = "") -> None:
    """The specs do not check types (a threshold of ``"ten"`` would only fail when evaluated)."""
    if isinstance(value, dict):
        for k, v in value.items():
            _check_types(v, k)
    elif isinstance(value, list):
        if key in _TEXTS and not all(isinstance(v, str) for v in value):
            raise ValidationError(f"{key} lists text values, got {value!r}")
        for v in value:
            _check_types(v, key)
    elif key in _NUMBERS and (isinstance(value, bool | str) or not _number_or_none(value)):
        raise ValidationError(f"{key} is a number, got {value!r}")


def _normalised(stage: str, version: int, document: dict[str, Any]) -> dict[str, Any]:
    """The document checked by the specs, with the stored stage and version written in."""
    _check_types(document)
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
    _require_editor(actor)
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


def _clear_approvals(definition: StageDefinition) -> None:
    definition.marketing_approved_by = definition.sales_approved_by = None
    definition.marketing_approved_at = definition.sales_approved_at = None


def definition_update(
    *,
    actor: User | None,
    definition: StageDefinition,
    document: dict[str, Any],
    note: str | None = None,
) -> StageDefinition:
    """Change a draft or proposed version; a proposed one goes back to draft, unsigned."""
    _require_editor(actor)
    _require_editable(definition)
    with transaction.atomic():
        before = snapshot(definition)
        definition.document = _normalised(definition.stage, definition.version, document)
        if note is not None:
            definition.note = note
        definition.status = Status.DRAFT
        definition.proposed_at = None
        _clear_approvals(definition)
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
    _require_editor(actor)
    if definition.status != Status.DRAFT:
        raise ValidationError(
            f"only a draft can be proposed; {definition.label} is {definition.status}",
            code="state",
        )
    with transaction.atomic():
        before = snapshot(definition)
        definition.status = Status.PROPOSED
        definition.proposed_at = timezone.now()
        definition.full_clean()
        definition.save(update_fields=["status", "proposed_at"])
        audit_record(actor=actor, action="definition_propose", instance=definition, before=before)
    return definition


def definition_approve(
    *, actor: User | None, definition: StageDefinition, side: Side
) -> StageDefinition:
    """Sign a proposed version for ``side``; once both sides signed it becomes the active one."""
    if side not in SIDES:
        raise ValidationError(f"a side is marketing or sales, not {side!r}")
    if actor is not None and not can_approve_for_team(actor, _team(side)):
        raise PermissionDenied(f"only the {side} team lead may approve for {side}")
    if definition.status != Status.PROPOSED:
        raise ValidationError(
            f"only a proposed version can be approved; {definition.label} is {definition.status}",
            code="state",
        )
    if definition.approved_by_team(side):
        raise ValidationError(f"{definition.label} is already signed for {side}", code="state")
    with transaction.atomic():
        before = snapshot(definition)
        setattr(definition, f"{side}_approved_by", actor)
        setattr(definition, f"{side}_approved_at", timezone.now())
        if all(definition.approved_by_team(s) for s in SIDES):
            definition.status = Status.APPROVED
        definition.full_clean()
        definition.save()
        audit_record(
            actor=actor,
            action="definition_approve",
            instance=definition,
            before=before,
            summary=f"approved for {side}",
        )
        if definition.status == Status.APPROVED:
            definition_activate(actor=actor, definition=definition)
    return definition


def definition_activate(*, actor: User | None, definition: StageDefinition) -> StageDefinition:
    """Make an approved version the one in force for its stage; the previous one is retired."""
    if definition.status != Status.APPROVED:
        raise ValidationError(
            f"only an approved version can be activated; {definition.label} is {definition.status}"
        )
    with transaction.atomic():
        now = timezone.now()
        current = StageDefinition.objects.select_for_update().filter(
            stage=definition.stage, status=Status.ACTIVE
        )
        for old in current:
            before = snapshot(old)
            old.status = Status.RETIRED
            old.retired_at = now
            old.save(update_fields=["status", "retired_at"])
            audit_record(actor=actor, action="definition_retire", instance=old, before=before)
        before = snapshot(definition)
        definition.status = Status.ACTIVE
        definition.activated_at = now
        definition.save(update_fields=["status", "activated_at"])
        audit_record(actor=actor, action="definition_activate", instance=definition, before=before)
    return definition


def demo_definitions_setup() -> StageDefinition | None:
    """The demo company's signed MQL definition, created, proposed and signed by both leads
    (maria and sam), unless an MQL definition exists already (idempotent)."""
    from alinea.apps.definitions.demo import DEMO_MQL

    if StageDefinition.objects.filter(stage="mql").exists():
        return None
    signers = {side: _lead_of(side) for side in SIDES}
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


def _lead_of(side: str) -> User | None:
    """The first team lead of ``side`` (the demo logins maria and sam), else the system."""
    return (
        User.objects.filter(memberships__team__slug=side, memberships__role="team_lead")
        .order_by("pk")
        .first()
    )
