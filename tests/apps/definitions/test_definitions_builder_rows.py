"""The rule builder has as many rows as the rules need: one per stored rule plus an empty one,
"Add a row" without JavaScript re-renders with one more (saving nothing), a ticked "Remove" row
is left out, and submitted row numbers may have gaps."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.staticfiles import finders

from alinea.apps.audit.models import AuditEntry
from alinea.apps.definitions.forms import MAX_ROWS
from alinea.apps.definitions.selectors import definition_spec
from alinea.apps.definitions.services import definition_create

pytestmark = pytest.mark.django_db

COUNTRIES = ["ES", "PT", "FR", "DE", "IT", "NL"]
#: Six fit criteria: more than the old builder's four fixed rows.
MANY: dict[str, Any] = {
    "fit": [{"attribute": "country", "any_of": [c]} for c in COUNTRIES[:5]]
    + [{"attribute": "company_size", "at_least": 50}],
}


def _rows(page: str, kind: str) -> list[int]:
    return sorted({int(i) for i in re.findall(rf'name="{kind}_(\d+)_remove"', page)})


@pytest.fixture
def draft(leads):
    return definition_create(actor=leads["marketer"], stage="mql", document=MANY)


def test_a_stored_document_gets_a_row_per_rule_and_an_empty_one(client, leads, draft) -> None:
    client.force_login(leads["marketer"])
    page = client.get(f"/definitions/{draft.pk}/edit/").content.decode()
    assert _rows(page, "fit") == list(range(7))
    assert 'name="fit_4_values" value="IT"' in page
    assert re.search(r'name="fit_5_at_least" value="50(\.0)?"', page), re.findall(
        r"<input[^>]*fit_5_at[^>]*>", page
    )
    assert _rows(page, "engagement") == [0]
    assert "definitions/rule_builder.js" in page
    assert page.count('data-add-row="') == 4


def test_add_a_row_keeps_what_was_typed_and_saves_nothing(client, leads, draft) -> None:
    client.force_login(leads["marketer"])
    before = AuditEntry.objects.count()
    data = {"fit_0_attribute": "country", "fit_0_values": "ES, PT", "threshold": "", "add": "fit"}
    response = client.post(f"/definitions/{draft.pk}/edit/", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert _rows(page, "fit") == [0, 1]
    assert 'name="fit_0_values" value="ES, PT"' in page
    assert 'class="errorlist' not in page
    draft.refresh_from_db()
    assert len(draft.document["fit"]) == 6
    assert AuditEntry.objects.count() == before


def test_rows_beyond_the_old_fixed_count_with_gaps_and_removals_are_saved(
    client, leads, draft
) -> None:
    client.force_login(leads["marketer"])
    data: dict[str, str] = {"threshold": "", "note": "six countries"}
    numbers = [0, 2, 3, 7, 8, 11, 12]  # gaps: rows added and removed in the browser
    for number, country in zip(numbers, [*COUNTRIES, "BE"], strict=True):
        data[f"fit_{number}_attribute"] = "country"
        data[f"fit_{number}_values"] = country
    data["fit_8_remove"] = "on"  # IT's row was removed
    response = client.post(f"/definitions/{draft.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()
    draft.refresh_from_db()
    spec = definition_spec(draft)
    assert [c.any_of for c in spec.fit] == [("ES",), ("PT",), ("FR",), ("DE",), ("NL",), ("BE",)]


def test_a_form_naming_absurd_row_numbers_is_bounded(client, leads, draft) -> None:
    client.force_login(leads["marketer"])
    data = {"fit_0_attribute": "country", "fit_0_values": "ES", f"fit_{MAX_ROWS}_values": "x"}
    response = client.post(f"/definitions/{draft.pk}/edit/", {**data, "add": "fit"})
    assert _rows(response.content.decode(), "fit") == [0, 1]


def test_the_script_ships_with_the_app() -> None:
    script = finders.find("definitions/rule_builder.js")
    assert script is not None
    with open(script, encoding="utf-8") as handle:
        text = handle.read()
    assert "data-add-row" in text or "addRow" in text
    assert "http" not in text  # no CDN, nothing fetched


def test_the_builder_speaks_spanish(client, leads, draft) -> None:
    client.force_login(leads["marketer"])
    page = client.get(f"/definitions/{draft.pk}/edit/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Añadir una fila" in page
    assert "Quitar" in page
