"""The lead page (funnel) says, per active definition, whether the lead qualifies now, which
criteria pass or fail, the score with the rules behind it, and which version moved it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from alinea.apps.definitions.applying import definitions_apply
from alinea.apps.definitions.services import definition_create, definition_propose
from alinea.warehouse import ingest_many

from .conftest import LOOSE, STRICT, signed

pytestmark = pytest.mark.django_db


def _page(client, lead_id: str, **headers: str) -> str:
    response = client.get(f"/funnel/leads/{lead_id}/", **headers)
    assert response.status_code == 200
    return response.content.decode()


def _hot_lead(con, lead_id: str, segment: str = "enterprise") -> None:
    """Created an hour ago with three touchpoints since: engaged by any of the documents."""
    at = timezone.now() - dt.timedelta(hours=1)
    ingest_many(
        con,
        {
            "leads": [{"lead_id": lead_id, "created_at": at, "segment": segment}],
            "touchpoints": [
                {"touchpoint_id": f"{lead_id}-{i}", "lead_id": lead_id, "occurred_at": at,
                 "type": "visit", "channel": "organic_search"}
                for i in range(3)
            ],
        },
    )  # fmt: skip


def _section(page: str) -> str:
    match = re.search(r"<section[^>]*data-lead-stages>.*?</section>", page, re.S)
    assert match, "the lead page has no stages section"
    return match.group(0)


def test_without_an_active_definition_the_page_says_so(client, leads, hand_warehouse) -> None:
    definition_propose(
        actor=leads["marketer"],
        definition=definition_create(actor=leads["marketer"], stage="mql", document=STRICT),
    )
    client.force_login(leads["rep"])
    assert "No stage definition is active yet." in _section(_page(client, "L00"))


def test_a_qualified_lead_says_which_version_moved_it(client, leads, hand_warehouse) -> None:
    active = signed(leads, STRICT)
    _hot_lead(hand_warehouse, "HOT")
    _hot_lead(hand_warehouse, "COLD", segment="smb")
    definitions_apply(actor=None, con=hand_warehouse, now=timezone.now())
    client.force_login(leads["rep"])

    hot = _section(_page(client, "HOT"))
    assert 'data-stage="mql" data-qualified="true"' in hot
    assert "Meets the MQL definition now (MQL v1)" in hot
    assert "Moved into MQL by definition mql-v1 on" in hot
    assert '<tr data-met="true"><td>segment in enterprise</td>' in hot
    assert f'href="/definitions/{active.pk}/"' in hot

    cold = _section(_page(client, "COLD"))
    assert 'data-qualified="false"' in cold
    assert "Does not meet the MQL definition now (MQL v1)" in cold
    assert "Not in MQL yet." in cold
    assert '<tr data-met="false"><td>segment in enterprise</td>' in cold
    assert '<tr data-met="true"><td>≥ 2 touchpoints in 30 days</td>' in cold


def test_the_score_and_its_factors_are_shown(client, leads, hand_warehouse) -> None:
    signed(leads, LOOSE)
    _hot_lead(hand_warehouse, "HOT")
    client.force_login(leads["rep"])
    section = _section(_page(client, "HOT"))
    # 20 for enterprise + 5 per touchpoint of the last 30 days (three of them)
    assert 'data-score="35.0"' in section
    assert "<td>segment in enterprise</td><td>20.0</td>" in section
    assert "<td>touchpoints</td><td>15.0</td>" in section


def test_a_stage_entered_without_a_definition_says_who_moved_it(
    client, leads, hand_warehouse
) -> None:
    signed(leads, STRICT)
    at = timezone.now() - dt.timedelta(days=2)
    ingest_many(
        hand_warehouse,
        {"stage_changes": [{"lead_id": "L01", "stage": "mql", "changed_at": at,
                            "changed_by": "hubspot"}]},
    )  # fmt: skip
    client.force_login(leads["rep"])
    section = _section(_page(client, "L01"))
    assert "moved by hubspot (no definition)" in section


def test_the_stages_section_speaks_spanish(client, leads, hand_warehouse) -> None:
    signed(leads, STRICT)
    client.force_login(leads["rep"])
    section = _section(_page(client, "L00", HTTP_ACCEPT_LANGUAGE="es"))
    assert "Etapas según las definiciones firmadas" in section
    assert "Aún no está en MQL." in section
