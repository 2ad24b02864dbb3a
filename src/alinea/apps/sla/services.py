"""Writes to the SLA agreement: create and change drafts; proposing, signing and activating follow
the shared two-lead signing (``alinea.apps.approval``). Atomic and audited; ``actor=None`` is the
system (demo, CLI).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet

from alinea.apps.accounts.models import User
from alinea.apps.approval import services as approval
from alinea.apps.approval.services import SIDES, Side
from alinea.apps.audit.services import audit_record, snapshot
from alinea.apps.sla.models import BusinessCalendar, DeliveryTarget, ReasonCode, SlaPolicy
from alinea.apps.sla.spec import policy_spec
from alinea.apps.sla.terms import PolicyTerms, terms_of


def _in_force(policy: SlaPolicy) -> QuerySet[SlaPolicy]:
    return SlaPolicy.objects.all()


SIGNING = approval.Signing(action="sla_policy", what="the SLA", replaces=_in_force)


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
    approval.require_editor(actor, SIGNING)
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


def sla_policy_update(*, actor: User | None, policy: SlaPolicy, terms: PolicyTerms) -> SlaPolicy:
    """Change a draft or proposed version; a proposed one goes back to draft, unsigned."""
    approval.require_editor(actor, SIGNING)
    approval.require_editable(policy)
    with transaction.atomic():
        before = snapshot(policy)
        policy.clear_signatures()
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
    return approval.propose(actor=actor, item=policy, signing=SIGNING)


def sla_policy_approve(*, actor: User | None, policy: SlaPolicy, side: Side) -> SlaPolicy:
    """Sign a proposed version for ``side``; once both sides signed it becomes the active one."""
    return approval.approve(actor=actor, item=policy, side=side, signing=SIGNING)


def sla_policy_activate(*, actor: User | None, policy: SlaPolicy) -> SlaPolicy:
    """Make an approved version the one in force; the previous active version is retired."""
    return approval.activate(actor=actor, item=policy, signing=SIGNING)


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
    signers = {side: approval.team_lead_of(side) for side in SIDES}
    with transaction.atomic():
        policy = sla_policy_create(actor=signers["marketing"], terms=demo_terms(monthly))
        sla_policy_propose(actor=signers["marketing"], policy=policy)
        for side in SIDES:
            sla_policy_approve(actor=signers[side], policy=policy, side=side)
    return policy
