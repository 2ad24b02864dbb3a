"""Writes to the SLA agreement: create, change, propose, approve, activate. Atomic and audited.

Who may do what (``alinea.apps.accounts.permissions``): members and team leads of marketing or
sales write drafts and propose them; only the marketing team lead signs for marketing and only the
sales team lead for sales (admins may do anything). ``actor=None`` is the system (demo, CLI).
"""

from __future__ import annotations

from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from alinea.apps.accounts.models import Team, User
from alinea.apps.accounts.permissions import can_approve_for_team, can_edit_team_item
from alinea.apps.audit.services import audit_record, snapshot
from alinea.apps.sla.models import (
    BusinessCalendar,
    DeliveryTarget,
    ReasonCode,
    SlaPolicy,
    Status,
)
from alinea.apps.sla.spec import policy_spec
from alinea.apps.sla.terms import PolicyTerms, terms_of

Side = Literal["marketing", "sales"]
SIDES: tuple[Side, ...] = ("marketing", "sales")


def _team(slug: str) -> Team:
    return Team.objects.get(slug=slug)


def _require_editor(actor: User | None) -> None:
    if actor is None:
        return
    if not any(can_edit_team_item(actor, _team(side)) for side in SIDES):
        raise PermissionDenied("only members of marketing or sales may write the SLA")


def _require_editable(policy: SlaPolicy) -> None:
    if not policy.is_editable:
        raise ValidationError(
            f"SLA v{policy.version} is {policy.status}: start a new version to change it"
        )


def _write_terms(policy: SlaPolicy, terms: PolicyTerms) -> None:
    for name, value in terms.scalar_values().items():
        setattr(policy, name, value)
    policy.full_clean()
    policy.save()
    policy.targets.all().delete()
    policy.reasons.all().delete()
    policy.calendars.all().delete()
    children: list[DeliveryTarget | ReasonCode | BusinessCalendar] = [
        *(DeliveryTarget(policy=policy, **vars(t)) for t in terms.targets),
        *(ReasonCode(policy=policy, **vars(r)) for r in terms.reasons),
        *(BusinessCalendar(policy=policy, **vars(c)) for c in terms.calendars),
    ]
    for child in children:
        child.full_clean()
        child.save()
    try:
        policy_spec(policy)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None


def sla_policy_create(*, actor: User | None, terms: PolicyTerms) -> SlaPolicy:
    """A new draft version with ``terms``."""
    _require_editor(actor)
    with transaction.atomic():
        latest = SlaPolicy.objects.select_for_update().aggregate(v=Max("version"))["v"] or 0
        policy = SlaPolicy(version=latest + 1, created_by=actor, **terms.scalar_values())
        _write_terms(policy, terms)
        audit_record(
            actor=actor,
            action="sla_policy_create",
            instance=policy,
            before=None,
            summary="created; " + terms.summary(),
        )
    return policy


def sla_policy_new_version(*, actor: User | None, source: SlaPolicy) -> SlaPolicy:
    """A new draft starting from the terms of ``source`` (usually the active version)."""
    return sla_policy_create(actor=actor, terms=terms_of(source))


def _clear_approvals(policy: SlaPolicy) -> None:
    policy.marketing_approved_by = policy.sales_approved_by = None
    policy.marketing_approved_at = policy.sales_approved_at = None


def sla_policy_update(*, actor: User | None, policy: SlaPolicy, terms: PolicyTerms) -> SlaPolicy:
    """Change a draft or proposed version; a proposed one goes back to draft, unsigned."""
    _require_editor(actor)
    _require_editable(policy)
    with transaction.atomic():
        before = snapshot(policy)
        policy.status = Status.DRAFT
        policy.proposed_at = None
        _clear_approvals(policy)
        _write_terms(policy, terms)
        audit_record(
            actor=actor,
            action="sla_policy_update",
            instance=policy,
            before=before,
            summary="changed; " + terms.summary(),
        )
    return policy


def sla_policy_propose(*, actor: User | None, policy: SlaPolicy) -> SlaPolicy:
    """Put a draft forward for both team leads to sign."""
    _require_editor(actor)
    if policy.status != Status.DRAFT:
        raise ValidationError(
            f"only a draft can be proposed; SLA v{policy.version} is {policy.status}"
        )
    with transaction.atomic():
        before = snapshot(policy)
        policy.status = Status.PROPOSED
        policy.proposed_at = timezone.now()
        policy.save(update_fields=["status", "proposed_at"])
        audit_record(actor=actor, action="sla_policy_propose", instance=policy, before=before)
    return policy


def sla_policy_approve(*, actor: User | None, policy: SlaPolicy, side: Side) -> SlaPolicy:
    """Sign a proposed version for ``side``; once both sides signed it becomes the active one."""
    if side not in SIDES:
        raise ValidationError(f"a side is marketing or sales, not {side!r}")
    if actor is not None and not can_approve_for_team(actor, _team(side)):
        raise PermissionDenied(f"only the {side} team lead may approve for {side}")
    if policy.status != Status.PROPOSED:
        raise ValidationError(
            f"only a proposed version can be approved; SLA v{policy.version} is {policy.status}"
        )
    with transaction.atomic():
        before = snapshot(policy)
        setattr(policy, f"{side}_approved_by", actor)
        setattr(policy, f"{side}_approved_at", timezone.now())
        if all(policy.approved_by_team(s) for s in SIDES):
            policy.status = Status.APPROVED
        policy.full_clean()
        policy.save()
        audit_record(
            actor=actor,
            action="sla_policy_approve",
            instance=policy,
            before=before,
            summary=f"approved for {side}",
        )
        if policy.status == Status.APPROVED:
            sla_policy_activate(actor=actor, policy=policy)
    return policy


def sla_policy_activate(*, actor: User | None, policy: SlaPolicy) -> SlaPolicy:
    """Make an approved version the one in force; the previous active version is retired."""
    if policy.status != Status.APPROVED:
        raise ValidationError(
            f"only an approved version can be activated; v{policy.version} is {policy.status}"
        )
    with transaction.atomic():
        now = timezone.now()
        for current in SlaPolicy.objects.select_for_update().filter(status=Status.ACTIVE):
            before = snapshot(current)
            current.status = Status.RETIRED
            current.retired_at = now
            current.save(update_fields=["status", "retired_at"])
            audit_record(actor=actor, action="sla_policy_retire", instance=current, before=before)
        before = snapshot(policy)
        policy.status = Status.ACTIVE
        policy.activated_at = now
        policy.save(update_fields=["status", "activated_at"])
        audit_record(actor=actor, action="sla_policy_activate", instance=policy, before=before)
    return policy


def demo_sla_setup() -> SlaPolicy | None:
    """The demo company's signed SLA: created, proposed and signed by both leads, unless an SLA
    exists already (idempotent)."""
    from alinea.apps.sla.demo_policy import demo_terms
    from alinea.apps.sla.selectors import recent_monthly_mqls
    from alinea.warehouse import connect

    if SlaPolicy.objects.exists():
        return None
    con = connect()
    try:
        monthly = recent_monthly_mqls(con)
    finally:
        con.disconnect()
    signers = {side: _lead_of(side) for side in SIDES}
    with transaction.atomic():
        policy = sla_policy_create(actor=signers["marketing"], terms=demo_terms(monthly))
        sla_policy_propose(actor=signers["marketing"], policy=policy)
        for side in SIDES:
            sla_policy_approve(actor=signers[side], policy=policy, side=side)
    return policy


def _lead_of(side: str) -> User | None:
    """The first team lead of ``side`` (the demo logins maria and sam), else the system."""
    return (
        User.objects.filter(memberships__team__slug=side, memberships__role="team_lead")
        .order_by("pk")
        .first()
    )
