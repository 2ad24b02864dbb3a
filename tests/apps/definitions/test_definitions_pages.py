"""The definitions pages: list, version page (plain words, backtest, diff, buttons per role), the
rule builder and the lifecycle actions."""

from __future__ import annotations

import pytest

from alinea.apps.definitions.models import StageDefinition, Status
from alinea.apps.definitions.selectors import definition_spec
from alinea.apps.definitions.services import definition_create

from .conftest import LOOSE, STRICT, reference_months, signed, strict_qualifies

pytestmark = pytest.mark.django_db


def test_the_page_signs_a_version_in_the_order_the_roles_allow(client, leads) -> None:
    definition = definition_create(actor=leads["marketer"], stage="mql", document=STRICT)
    base = f"/definitions/{definition.pk}/"
    client.force_login(leads["marketer"])
    page = client.get(base).content.decode()
    assert "Propose" in page
    assert "segment is one of: enterprise" in page
    assert "at least 2 touchpoints (any type) in the last 30 days" in page
    client.post(base + "propose/")
    client.post(base + "marketing/")  # a member may not sign
    definition.refresh_from_db()
    assert (definition.status, definition.marketing_approved_at) == (Status.PROPOSED, None)

    client.force_login(leads["marketing_lead"])
    page = client.get(base).content.decode()
    assert "Approve for marketing" in page
    assert "Approve for sales" not in page
    client.post(base + "marketing/")
    client.force_login(leads["sales_lead"])
    client.post(base + "sales/")
    definition.refresh_from_db()
    assert definition.status == Status.ACTIVE
    page = client.get(base).content.decode()
    assert 'data-status="active"' in page
    assert "slead" in page
    assert "mlead" in page
    assert "definition_activate" in page  # the history
    index = client.get("/definitions/").content.decode()
    assert f'href="/definitions/{definition.pk}/"' in index


def test_the_rule_builder_writes_a_draft_without_code(client, leads) -> None:
    first = signed(leads, STRICT)
    client.force_login(leads["marketer"])
    response = client.post(f"/definitions/{first.pk}/new/")
    draft = StageDefinition.objects.get(version=2)
    assert response.url == f"/definitions/{draft.pk}/edit/"
    form = client.get(response.url).content.decode()
    assert 'name="fit_0_values" value="enterprise"' in form
    data = {
        "fit_0_attribute": "company_size",
        "fit_0_at_least": "50",
        "engagement_0_source": "touchpoints",
        "engagement_0_types": "visit, event",
        "engagement_0_at_least": "3",
        "engagement_0_window_days": "14",
        "fit_points_0_attribute": "country",
        "fit_points_0_values": "ES, PT",
        "fit_points_0_points": "15",
        "engagement_points_0_source": "activities",
        "engagement_points_0_points": "-5",
        "engagement_points_0_half_life_days": "7",
        "threshold": "10",
        "note": "bigger companies",
    }
    response = client.post(response.url, data)
    assert response.status_code == 302, response.content.decode()
    draft.refresh_from_db()
    spec = definition_spec(draft)
    assert spec.criterion_names == (
        "company_size ≥ 50",
        "≥ 3 touchpoints (visit, event) in 14 days",
    )
    assert spec.points is not None
    assert spec.threshold == 10
    assert spec.points.fit[0].criterion.any_of == ("ES", "PT")
    assert spec.points.engagement[0].half_life_days == 7
    assert draft.note == "bigger companies"
    page = client.get(f"/definitions/{draft.pk}/").content.decode()
    assert "+ criterion: company_size ≥ 50" in page  # the diff with v1


def test_the_builder_refuses_an_incomplete_rule(client, leads) -> None:
    draft = definition_create(actor=leads["marketer"], stage="mql", document=LOOSE)
    client.force_login(leads["marketer"])
    response = client.post(
        f"/definitions/{draft.pk}/edit/", {"fit_0_attribute": "company_size", "threshold": "1"}
    )
    assert response.status_code == 200
    assert "company_size is a number" in response.content.decode()
    draft.refresh_from_db()
    assert draft.document["threshold"] == 10


def test_the_backtest_is_on_the_version_page(client, leads, hand_warehouse) -> None:
    signed(leads, STRICT)
    proposed = definition_create(actor=leads["marketer"], stage="mql", document=LOOSE)
    client.force_login(leads["viewer"])
    # the hand-built months are 2025; the page replays the months before today
    page = client.get(f"/definitions/{proposed.pk}/?months=36").content.decode()
    assert "vendor/plotly/plotly.min.js" in page
    assert 'id="chart-backtest"' in page
    assert "<td>v1</td>" in page
    assert "<td>v2</td>" in page
    assert "Propose" not in page  # a viewer has no buttons


def test_a_stage_without_a_definition_gets_a_first_draft(client, leads) -> None:
    client.force_login(leads["rep"])
    assert "Draft a SQL definition" in client.get("/definitions/").content.decode()
    response = client.post("/definitions/new/sql/")
    created = StageDefinition.objects.get(stage="sql")
    assert response.url == f"/definitions/{created.pk}/edit/"


def test_the_version_page_speaks_spanish(client, leads) -> None:
    definition = definition_create(actor=leads["marketer"], stage="mql", document=LOOSE)
    client.force_login(leads["marketing_lead"])
    page = client.get(f"/definitions/{definition.pk}/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "al menos 1 puntos de contacto (cualquier tipo) en los últimos 30 días" in page
    assert "+20 puntos cuando segmento es uno de: enterprise" in page
    assert "Responsable de ventas" in page


def test_the_lead_page_says_why_a_lead_is_not_an_mql_now(client, leads, hand_warehouse) -> None:
    client.force_login(leads["rep"])
    page = client.get("/definitions/lead/", {"stage": "mql", "lead_id": "L02"}).content.decode()
    assert "No MQL definition is active yet." in page
    signed(leads, LOOSE)
    # today the hand-built leads (2025) have no touchpoint in the last 30 days
    page = client.get("/definitions/lead/", {"stage": "mql", "lead_id": "L02"}).content.decode()
    assert 'data-qualified="false"' in page
    assert "L02 is not an MQL under MQL v1" in page
    assert "<td>≥ 1 touchpoints in 30 days</td><td>no</td>" in page
    assert "<td>segment in enterprise</td><td>20.0</td>" in page  # L02 is an enterprise lead
    page = client.get("/definitions/lead/", {"stage": "mql", "lead_id": "nope"}).content.decode()
    assert "There is no lead nope." in page


def test_the_backtest_replays_from_the_day_asked(client, leads, hand_warehouse) -> None:
    """``?as_of=`` is the page's ``now`` (end of that day, UTC), as the API's ``now`` is: on the
    hand-built leads, 3 months as of 15 July 2025 are April to June, with the reference counts."""
    signed(leads, STRICT)
    client.force_login(leads["viewer"])
    active = StageDefinition.objects.get(stage="mql", status=Status.ACTIVE)
    page = client.get(f"/definitions/{active.pk}/?months=3&as_of=2025-07-15").content.decode()
    assert 'value="2025-07-15"' in page
    expected = reference_months(strict_qualifies)
    assert expected  # the hand-built leads qualify in the span
    for month, row in expected.items():
        assert (
            f"<td>v1</td><td>{month:%Y-%m}</td><td>{row['mqls']}</td><td>{row['became_sql']}</td>"
        ) in page
    # a month later, the span moves on: April is no longer replayed
    later = client.get(f"/definitions/{active.pk}/?months=3&as_of=2025-08-02").content.decode()
    assert 'value="2025-08-02"' in later
    assert "<td>v1</td><td>2025-04</td>" in page
    assert "<td>v1</td><td>2025-04</td>" not in later
