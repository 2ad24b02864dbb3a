"""The signing lifecycle of any :class:`SignedAgreement`: propose, approve per side, activate.

Who may do what (``alinea.apps.accounts.permissions``): members and team leads of marketing or
sales write drafts and propose them; only the marketing team lead signs for marketing and only the
sales team lead for sales (admins may do anything). ``actor=None`` is the system (demo, CLI).
Each agreement kind describes itself once with a :class:`Signing`; its own services call these.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from alinea.apps.accounts.models import Team, User
from alinea.apps.accounts.permissions import can_approve_for_team, can_edit_team_item
from alinea.apps.approval.models import SignedAgreement, Status
from alinea.apps.audit.services import audit_record, snapshot

Side = Literal["marketing", "sales"]
SIDES: tuple[Side, ...] = ("marketing", "sales")

A = TypeVar("A", bound=SignedAgreement)


@dataclass(frozen=True)
class Signing:
    """How one kind of agreement is signed.

    ``action`` prefixes the audit actions (``sla_policy`` → ``sla_policy_propose``);
    ``replaces`` gives the versions in force that a newly active one retires;
    ``on_activate`` runs in the same transaction once a version becomes active.
    """

    action: str
    what: str
    replaces: Callable[[Any], QuerySet[Any]]
    on_activate: Callable[[User | None, Any], None] | None = None


def _team(slug: str) -> Team:
    return Team.objects.get(slug=slug)


def require_editor(actor: User | None, signing: Signing) -> None:
    """Members and leads of marketing or sales write drafts; ``None`` is the system."""
    if actor is None:
        return
    if not any(can_edit_team_item(actor, _team(side)) for side in SIDES):
        raise PermissionDenied(f"only members of marketing or sales may write {signing.what}")


def require_editable(item: SignedAgreement) -> None:
    if not item.is_editable:
        raise ValidationError(
            f"{item.label} is {item.status}: start a new version to change it", code="state"
        )


def propose(*, actor: User | None, item: A, signing: Signing) -> A:
    """Put a draft forward for both team leads to sign."""
    require_editor(actor, signing)
    if item.status != Status.DRAFT:
        raise ValidationError(
            f"only a draft can be proposed; {item.label} is {item.status}", code="state"
        )
    with transaction.atomic():
        before = snapshot(item)
        item.status = Status.PROPOSED
        item.proposed_at = timezone.now()
        item.save(update_fields=["status", "proposed_at"])
        audit_record(actor=actor, action=f"{signing.action}_propose", instance=item, before=before)
    return item


def approve(*, actor: User | None, item: A, side: Side, signing: Signing) -> A:
    """Sign a proposed version for ``side``; once both sides signed it becomes the active one."""
    if side not in SIDES:
        raise ValidationError(f"a side is marketing or sales, not {side!r}")
    if actor is not None and not can_approve_for_team(actor, _team(side)):
        raise PermissionDenied(f"only the {side} team lead may approve for {side}")
    if item.status != Status.PROPOSED:
        raise ValidationError(
            f"only a proposed version can be approved; {item.label} is {item.status}",
            code="state",
        )
    if item.approved_by_team(side):
        raise ValidationError(f"{item.label} is already signed for {side}", code="state")
    with transaction.atomic():
        before = snapshot(item)
        setattr(item, f"{side}_approved_by", actor)
        setattr(item, f"{side}_approved_at", timezone.now())
        if all(item.approved_by_team(s) for s in SIDES):
            item.status = Status.APPROVED
        item.full_clean()
        item.save()
        audit_record(
            actor=actor,
            action=f"{signing.action}_approve",
            instance=item,
            before=before,
            summary=f"approved for {side}",
        )
        if item.status == Status.APPROVED:
            activate(actor=actor, item=item, signing=signing)
    return item


def activate(*, actor: User | None, item: A, signing: Signing) -> A:
    """Make an approved version the one in force; the versions it replaces are retired."""
    if item.status != Status.APPROVED:
        raise ValidationError(
            f"only an approved version can be activated; {item.label} is {item.status}",
            code="state",
        )
    with transaction.atomic():
        now = timezone.now()
        for current in signing.replaces(item).select_for_update().filter(status=Status.ACTIVE):
            before = snapshot(current)
            current.status = Status.RETIRED
            current.retired_at = now
            current.save(update_fields=["status", "retired_at"])
            audit_record(
                actor=actor, action=f"{signing.action}_retire", instance=current, before=before
            )
        before = snapshot(item)
        item.status = Status.ACTIVE
        item.activated_at = now
        item.save(update_fields=["status", "activated_at"])
        audit_record(actor=actor, action=f"{signing.action}_activate", instance=item, before=before)
        if signing.on_activate is not None:
            signing.on_activate(actor, item)
    return item


def team_lead_of(side: str) -> User | None:
    """The first team lead of ``side`` (the demo logins maria and sam), else ``None`` (system)."""
    return (
        User.objects.filter(memberships__team__slug=side, memberships__role="team_lead")
        .order_by("pk")
        .first()
    )
