"""The mappings pages through HTTP: built-in profiles shown read-only and copied; saved mappings
edited, renamed and deleted; viewers only look."""

from __future__ import annotations

import json

import pytest

from alinea.apps.accounts.models import Role
from alinea.apps.imports.models import MappingProfile
from alinea.importing import PROFILES

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client, make_user):
    user = make_user("marketing", Role.MEMBER)
    client.force_login(user)
    return user


def copy(client, source: str, name: str):
    return client.post(f"/data/mappings/{source}/copy/", {"copy-name": name})


def test_the_page_lists_built_in_profiles_read_only_and_saved_mappings(client, member) -> None:
    copy(client, "salesforce-leads", "our-leads")
    page = client.get("/data/mappings/").content.decode()
    for name in PROFILES:
        assert f"/data/mappings/{name}/" in page
    assert page.count('badge-muted">read-only') == len(PROFILES)
    assert 'href="/data/mappings/our-leads/"' in page
    assert "/data/mappings/our-leads/delete/" in page
    assert "/data/mappings/salesforce-leads/delete/" not in page
    assert "/data/mappings/" in client.get("/data/").content.decode()


def test_a_built_in_profile_is_shown_and_copied_never_changed(client, member) -> None:
    page = client.get("/data/mappings/hubspot-deals/").content.decode()
    assert 'data-testid="edit-mapping"' not in page
    assert "&quot;hubspot-deals&quot;" in page  # the rules, shown as JSON
    before = PROFILES["hubspot-deals"].to_dict()
    client.post("/data/mappings/hubspot-deals/", {"name": "x", "definition": "{}"})
    client.post("/data/mappings/hubspot-deals/delete/")
    assert PROFILES["hubspot-deals"].to_dict() == before
    assert not MappingProfile.objects.exists()
    response = copy(client, "hubspot-deals", "our-deals")
    assert response.status_code == 302
    assert response["Location"] == "/data/mappings/our-deals/"
    saved = MappingProfile.objects.get()
    assert (saved.name, saved.based_on) == ("our-deals", "hubspot-deals")
    # the same rules; PostgreSQL's jsonb keeps object keys in its own order, which is no change
    copied, original = saved.as_mapping().to_dict(), PROFILES["hubspot-deals"].to_dict()
    assert json.dumps(copied["files"], sort_keys=True) == json.dumps(
        original["files"], sort_keys=True
    )


def test_a_saved_mapping_is_edited_and_renamed_in_one_save(client, member) -> None:
    copy(client, "maven-crm", "crm")
    rules = PROFILES["maven-crm"].to_dict() | {"timezone": "America/New_York"}
    response = client.post(
        "/data/mappings/crm/", {"name": "crm-ny", "definition": json.dumps(rules)}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == "/data/mappings/crm-ny/"
    saved = MappingProfile.objects.get()
    assert (saved.name, saved.as_mapping().timezone) == ("crm-ny", "America/New_York")
    assert saved.definition["name"] == "crm-ny"
    assert client.get("/data/mappings/crm/").status_code == 404


@pytest.mark.parametrize(
    ("definition", "said"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "one JSON object"),
        ('{"files": [{"match": "*", "outputs": [{"table": "sales"}]}]}', "unknown fact table"),
    ],
)
def test_broken_rules_are_shown_and_change_nothing(client, member, definition, said) -> None:
    copy(client, "maven-crm", "crm")
    before = MappingProfile.objects.get().definition
    response = client.post("/data/mappings/crm/", {"name": "crm", "definition": definition})
    assert response.status_code == 200
    assert said in response.content.decode()
    assert MappingProfile.objects.get().definition == before


def test_a_name_in_use_is_refused(client, member) -> None:
    copy(client, "maven-crm", "one")
    copy(client, "maven-crm", "two")
    rules = json.dumps(MappingProfile.objects.get(name="one").definition)
    response = client.post("/data/mappings/one/", {"name": "two", "definition": rules})
    assert response.status_code == 200
    assert sorted(MappingProfile.objects.values_list("name", flat=True)) == ["one", "two"]
    refused = copy(client, "maven-crm", "x-education")
    assert refused["Location"] == "/data/mappings/maven-crm/"
    assert MappingProfile.objects.count() == 2


def test_a_saved_mapping_is_deleted(client, member) -> None:
    copy(client, "x-education", "leads")
    response = client.post("/data/mappings/leads/delete/")
    assert response["Location"] == "/data/mappings/"
    assert not MappingProfile.objects.exists()


def test_viewers_see_mappings_but_cannot_change_them(client, make_user, member) -> None:
    copy(client, "x-education", "leads")
    client.force_login(make_user("sales", Role.VIEWER))
    page = client.get("/data/mappings/leads/").content.decode()
    assert 'data-testid="edit-mapping"' not in page
    assert 'data-testid="copy-mapping"' not in page
    client.post("/data/mappings/leads/delete/")
    copy(client, "leads", "mine")
    assert list(MappingProfile.objects.values_list("name", flat=True)) == ["leads"]


def test_the_mappings_page_speaks_spanish(client, member) -> None:
    page = client.get("/data/mappings/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Perfiles integrados" in page
    assert "solo lectura" in page
