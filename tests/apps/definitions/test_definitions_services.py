"""The definitions' lifecycle: who may write, propose and sign, one active version per stage,
audit rows."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from alinea.apps.audit.models import AuditEntry
from alinea.apps.definitions.models import StageDefinition, Status
from alinea.apps.definitions.selectors import (
    active_definition,
    definition_history,
    definition_spec,
    version_diff,
)
from alinea.apps.definitions.services import (
    definition_approve,
    definition_create,
    definition_new_version,
    definition_propose,
    definition_update,
    demo_definitions_setup,
)

from .conftest import LOOSE, STRICT, signed

pytestmark = pytest.mark.django_db


def _actions(definition: StageDefinition) -> list[str]:
    return list(
        AuditEntry.objects.filter(
            object_type="definitions.stagedefinition", object_id=str(definition.pk)
        )
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_a_draft_becomes_active_once_both_team_leads_sign(leads) -> None:
    definition = definition_create(actor=leads["marketer"], stage="mql", document=STRICT)
    assert (definition.status, definition.version) == (Status.DRAFT, 1)
    definition_propose(actor=leads["rep"], definition=definition)
    definition_approve(actor=leads["sales_lead"], definition=definition, side="sales")
    assert definition.status == Status.PROPOSED
    assert active_definition("mql") is None
    definition_approve(actor=leads["marketing_lead"], definition=definition, side="marketing")
    definition.refresh_from_db()
    assert definition.status == Status.ACTIVE
    assert definition.marketing_approved_by == leads["marketing_lead"]
    assert definition.sales_approved_by == leads["sales_lead"]
    assert active_definition("mql") == definition
    assert _actions(definition) == [
        "definition_create",
        "definition_propose",
        "definition_approve",
        "definition_approve",
        "definition_activate",
    ]
    who = {e.summary: e.actor for e in definition_history(definition) if e.summary}
    assert who["approved for sales"] == leads["sales_lead"]
    assert who["approved for marketing"] == leads["marketing_lead"]


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
    definition = definition_create(actor=leads["marketer"], stage="mql", document=STRICT)
    definition_propose(actor=leads["marketer"], definition=definition)
    with pytest.raises(PermissionDenied):
        definition_approve(actor=leads[who], definition=definition, side=side)  # type: ignore[arg-type]
    definition.refresh_from_db()
    assert not definition.approved_by_team(side)
    assert _actions(definition) == ["definition_create", "definition_propose"]


def test_a_viewer_may_not_write_a_draft(leads) -> None:
    with pytest.raises(PermissionDenied):
        definition_create(actor=leads["viewer"], stage="mql", document=STRICT)
    assert not StageDefinition.objects.exists()


def test_a_draft_must_be_proposed_before_it_is_signed(leads) -> None:
    definition = definition_create(actor=leads["marketer"], stage="mql", document=STRICT)
    with pytest.raises(ValidationError):
        definition_approve(actor=leads["sales_lead"], definition=definition, side="sales")


@pytest.mark.parametrize(
    ("stage", "document"),
    [
        ("mql", {"fit": [{"attribute": "shoe_size", "any_of": ["42"]}]}),
        ("mql", {}),
        ("mql", {"engagement": [{"source": "touchpoints", "at_least": 0, "window_days": 30}]}),
        ("lead", STRICT),
        ("mql", {**LOOSE, "threshold": "ten"}),
        ("mql", {"fit": [{"attribute": "company_size", "at_least": "50"}]}),
        ("mql", {"fit": [{"attribute": "country", "any_of": [34]}]}),
    ],
)
def test_an_invalid_definition_is_refused(leads, stage: str, document: dict) -> None:
    with pytest.raises(ValidationError):
        definition_create(actor=leads["marketer"], stage=stage, document=document)
    assert not StageDefinition.objects.exists()
    assert not AuditEntry.objects.filter(action="definition_create").exists()


def test_changing_a_proposed_version_drops_its_signatures(leads) -> None:
    definition = definition_create(actor=leads["marketer"], stage="mql", document=STRICT)
    definition_propose(actor=leads["marketer"], definition=definition)
    definition_approve(actor=leads["sales_lead"], definition=definition, side="sales")
    definition_update(actor=leads["marketer"], definition=definition, document=LOOSE)
    definition.refresh_from_db()
    assert definition.status == Status.DRAFT
    assert definition.sales_approved_at is None
    assert definition.sales_approved_by is None
    assert definition_spec(definition).threshold == 10
    entry = AuditEntry.objects.filter(action="definition_update").get()
    assert entry.before["sales_approved_at"] is not None
    assert entry.after["sales_approved_at"] is None


def test_a_new_active_version_retires_the_old_one(leads) -> None:
    first = signed(leads, STRICT)
    with pytest.raises(ValidationError):
        definition_update(actor=leads["marketer"], definition=first, document=LOOSE)
    draft = definition_new_version(actor=leads["marketer"], source=first)
    assert draft.version == 2
    assert version_diff(first, draft) == []
    definition_update(actor=leads["marketer"], definition=draft, document=LOOSE)
    assert "- criterion: segment in enterprise" in version_diff(first, draft)
    definition_propose(actor=leads["marketer"], definition=draft)
    definition_approve(actor=leads["marketing_lead"], definition=draft, side="marketing")
    definition_approve(actor=leads["sales_lead"], definition=draft, side="sales")
    first.refresh_from_db()
    assert first.status == Status.RETIRED
    assert list(StageDefinition.objects.filter(status=Status.ACTIVE)) == [draft]
    assert definition_history(first)[0].action == "definition_retire"


def test_each_stage_has_its_own_active_version(leads) -> None:
    mql = signed(leads, STRICT)
    sql = definition_create(actor=leads["rep"], stage="sql", document=STRICT)
    assert sql.version == 1
    definition_propose(actor=leads["rep"], definition=sql)
    definition_approve(actor=leads["marketing_lead"], definition=sql, side="marketing")
    definition_approve(actor=leads["sales_lead"], definition=sql, side="sales")
    mql.refresh_from_db()
    assert (mql.status, sql.status) == (Status.ACTIVE, Status.ACTIVE)


def test_the_database_refuses_two_active_versions_of_a_stage(leads) -> None:
    first = signed(leads, STRICT)
    second = definition_new_version(actor=leads["marketer"], source=first)
    second.status = Status.ACTIVE
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()


def test_the_demo_definition_is_signed_by_both_leads(leads) -> None:
    definition = demo_definitions_setup()
    assert definition is not None
    assert definition.status == Status.ACTIVE
    assert definition.marketing_approved_by == leads["marketing_lead"]
    assert definition.sales_approved_by == leads["sales_lead"]
    assert demo_definitions_setup() is None
