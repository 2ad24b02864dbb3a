"""The agreement page: terms, signatures, and the lifecycle buttons each role may use."""

from __future__ import annotations

import pytest

from alinea.apps.sla.models import SlaPolicy, Status
from alinea.apps.sla.services import sla_policy_create

from .conftest import terms

pytestmark = pytest.mark.django_db


def test_the_page_signs_a_version_in_the_order_the_roles_allow(client, leads) -> None:
    policy = sla_policy_create(actor=leads["marketer"], terms=terms())
    base = f"/sla/policy/{policy.pk}/"
    client.force_login(leads["marketer"])
    assert "Propose" in client.get(base).content.decode()
    client.post(base + "propose/")
    client.post(base + "marketing/")  # a member may not sign
    policy.refresh_from_db()
    assert (policy.status, policy.marketing_approved_at) == (Status.PROPOSED, None)

    client.force_login(leads["marketing_lead"])
    page = client.get(base).content.decode()
    assert "Approve for marketing" in page
    assert "Approve for sales" not in page
    client.post(base + "marketing/")
    client.force_login(leads["sales_lead"])
    client.post(base + "sales/")
    policy.refresh_from_db()
    assert policy.status == Status.ACTIVE
    page = client.get("/sla/policy/").content.decode()
    assert 'data-status="active"' in page
    assert "slead" in page
    assert "sla_policy_activate" in page  # the history


def test_a_draft_is_edited_on_the_page_and_a_new_version_started(client, leads, signed_policy):
    client.force_login(leads["marketer"])
    client.post(f"/sla/policy/{signed_policy.pk}/new/")
    draft = SlaPolicy.objects.get(version=2)
    assert draft.status == Status.DRAFT
    numbers = {
        "quality_floor": "0.7",
        "first_response_hours": "2",
        "attempts": "3",
        "attempts_within_days": "2",
        "disposition_within_days": "4",
        "clock_starts": "mql",
        "at_risk_share": "0.25",
        "unworked_after_days": "",
        "note": "faster answers",
    }
    client.post(f"/sla/policy/{draft.pk}/edit/", numbers)
    draft.refresh_from_db()
    assert (draft.first_response_hours, draft.attempts, draft.note) == (2, 3, "faster answers")
    assert draft.targets.count() == 1  # the rest of the terms carried over
    client.force_login(leads["viewer"])
    client.post(f"/sla/policy/{draft.pk}/propose/")
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert client.post(f"/sla/policy/{draft.pk}/delete/").status_code == 404


def test_without_a_policy_the_pages_say_so(client, leads) -> None:
    client.force_login(leads["rep"])
    assert "No SLA is in force yet" in client.get("/sla/").content.decode()
    assert "No SLA is in force yet" in client.get("/sla/inbox/").content.decode()
    assert client.get("/sla/policy/").status_code == 200
