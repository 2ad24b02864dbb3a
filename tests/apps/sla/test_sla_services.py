"""The agreement's lifecycle: who may write, propose and sign, one active version, audit rows."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from alinea.analytics import sla
from alinea.apps.audit.models import AuditEntry
from alinea.apps.sla.models import SlaPolicy, Status
from alinea.apps.sla.selectors import active_policy, policy_history
from alinea.apps.sla.services import (
    sla_policy_approve,
    sla_policy_create,
    sla_policy_new_version,
    sla_policy_propose,
    sla_policy_update,
)
from alinea.apps.sla.spec import policy_spec
from alinea.apps.sla.terms import CalendarTerms

from .conftest import terms

pytestmark = pytest.mark.django_db


def _actions(policy: SlaPolicy) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_type="sla.slapolicy", object_id=str(policy.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_a_draft_becomes_active_once_both_team_leads_sign(leads) -> None:
    policy = sla_policy_create(actor=leads["marketer"], terms=terms())
    assert (policy.status, policy.version) == (Status.DRAFT, 1)
    sla_policy_propose(actor=leads["rep"], policy=policy)
    sla_policy_approve(actor=leads["sales_lead"], policy=policy, side="sales")
    assert policy.status == Status.PROPOSED
    assert active_policy() is None
    sla_policy_approve(actor=leads["marketing_lead"], policy=policy, side="marketing")
    policy.refresh_from_db()
    assert policy.status == Status.ACTIVE
    assert policy.sales_approved_by == leads["sales_lead"]
    assert policy.marketing_approved_by == leads["marketing_lead"]
    assert active_policy() == policy
    assert _actions(policy) == [
        "sla_policy_create",
        "sla_policy_propose",
        "sla_policy_approve",
        "sla_policy_approve",
        "sla_policy_activate",
    ]
    entry = AuditEntry.objects.filter(action="sla_policy_create").get()
    assert entry.actor == leads["marketer"]
    assert "targets [3/week all/all]" in entry.summary


@pytest.mark.parametrize(
    ("who", "side"),
    [
        ("sales_lead", "marketing"),
        ("marketing_lead", "sales"),
        ("marketer", "marketing"),
        ("rep", "sales"),
        ("viewer", "sales"),
    ],
)
def test_only_a_team_lead_signs_for_their_own_team(leads, who: str, side: str) -> None:
    policy = sla_policy_create(actor=leads["marketer"], terms=terms())
    sla_policy_propose(actor=leads["marketer"], policy=policy)
    with pytest.raises(PermissionDenied):
        sla_policy_approve(actor=leads[who], policy=policy, side=side)  # type: ignore[arg-type]
    policy.refresh_from_db()
    assert not policy.approved_by_team(side)
    assert _actions(policy) == ["sla_policy_create", "sla_policy_propose"]


def test_a_viewer_may_not_write_a_draft(leads) -> None:
    with pytest.raises(PermissionDenied):
        sla_policy_create(actor=leads["viewer"], terms=terms())
    assert not SlaPolicy.objects.exists()


def test_a_draft_must_be_proposed_before_it_is_signed(leads) -> None:
    policy = sla_policy_create(actor=leads["marketer"], terms=terms())
    with pytest.raises(ValidationError):
        sla_policy_approve(actor=leads["sales_lead"], policy=policy, side="sales")


def test_changing_a_proposed_version_drops_its_signatures(leads) -> None:
    policy = sla_policy_create(actor=leads["marketer"], terms=terms())
    sla_policy_propose(actor=leads["marketer"], policy=policy)
    sla_policy_approve(actor=leads["sales_lead"], policy=policy, side="sales")
    sla_policy_update(actor=leads["marketer"], policy=policy, terms=terms(first_response_hours=8))
    policy.refresh_from_db()
    assert policy.status == Status.DRAFT
    assert policy.sales_approved_at is None
    assert policy.first_response_hours == 8
    entry = AuditEntry.objects.filter(action="sla_policy_update").get()
    assert entry.before["sales_approved_at"] is not None
    assert entry.after["first_response_hours"] == 8


def test_a_new_active_version_retires_the_old_one(leads, signed_policy) -> None:
    with pytest.raises(ValidationError):
        sla_policy_update(actor=leads["marketer"], policy=signed_policy, terms=terms())
    draft = sla_policy_new_version(actor=leads["marketer"], source=signed_policy)
    assert draft.version == 2
    assert policy_spec(draft).sales == policy_spec(signed_policy).sales
    sla_policy_update(actor=leads["marketer"], policy=draft, terms=terms(attempts=3))
    sla_policy_propose(actor=leads["marketer"], policy=draft)
    sla_policy_approve(actor=leads["marketing_lead"], policy=draft, side="marketing")
    sla_policy_approve(actor=leads["sales_lead"], policy=draft, side="sales")
    signed_policy.refresh_from_db()
    assert signed_policy.status == Status.RETIRED
    assert list(SlaPolicy.objects.filter(status=Status.ACTIVE)) == [draft]
    assert policy_history(signed_policy)[0].action == "sla_policy_retire"


def test_the_stored_version_turns_into_the_frozen_spec(signed_policy) -> None:
    spec = policy_spec(signed_policy)
    assert spec.sales == sla.SalesCommitment(
        first_response_hours=4, attempts=2, attempts_within_days=2, disposition_within_days=3
    )
    assert spec.marketing == sla.MarketingCommitment(
        targets=(sla.DeliveryTarget(mqls=3, every="week"),), quality_floor=0.5
    )
    assert spec.recycling.agreed("rejected") == ("no_budget", "competitor")
    assert spec.calendars.default == sla.BusinessCalendar.weekdays("UTC", "09:00-17:00")
    assert spec.version == "1"


def test_a_calendar_the_core_refuses_is_a_validation_error(leads) -> None:
    bad = terms(calendars=(CalendarTerms("UTC", {"monday": ["17:00-09:00"]}),))
    with pytest.raises(ValidationError, match="end after"):
        sla_policy_create(actor=leads["marketer"], terms=bad)
    assert not SlaPolicy.objects.exists()
