"""``/api/imports/mappings`` over HTTP: list, copy, edit, rename and delete saved mappings; the
built-in profiles are read-only."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from alinea.apps.accounts.models import Role
from alinea.apps.accounts.services import api_token_create
from alinea.apps.imports.models import MappingProfile
from alinea.importing import PROFILES, Mapping

pytestmark = pytest.mark.django_db
URL = "/api/imports/mappings"


@pytest.fixture
def api(client: Client, make_user):
    token = api_token_create(actor=None, user=make_user("sales", Role.MEMBER), name="tests")
    return _caller(client, token)


def _caller(client: Client, token: str):
    def call(method: str, path: str = "", body: object = None):
        send = getattr(client, method)
        extra = {} if body is None else {"data": json.dumps(body)}
        return send(
            URL + path, content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}", **extra,
        )  # fmt: skip

    return call


def test_the_list_has_every_built_in_profile_read_only(api) -> None:
    listed = api("get").json()
    assert [(m["name"], m["built_in"]) for m in listed] == [(n, True) for n in PROFILES]
    hubspot = api("get", "/hubspot-contacts").json()
    assert hubspot["definition"] == PROFILES["hubspot-contacts"].to_dict()
    for method, body in (("patch", {"name": "mine"}), ("delete", None)):
        refused = api(method, "/hubspot-contacts", body)
        assert refused.status_code == 403
        assert "read-only" in refused.json()["detail"]


def test_a_copy_is_listed_edited_renamed_and_deleted(api) -> None:
    made = api("post", body={"name": "our-hubspot", "copy_of": "hubspot-contacts"})
    assert made.status_code == 201, made.content
    assert (made.json()["built_in"], made.json()["based_on"]) == (False, "hubspot-contacts")
    assert [m["name"] for m in api("get").json()][-1] == "our-hubspot"

    definition = made.json()["definition"] | {"timezone": "Europe/Madrid", "description": "Ours"}
    edited = api("patch", "/our-hubspot", {"definition": definition})
    assert edited.status_code == 200, edited.content
    stored = MappingProfile.objects.get(name="our-hubspot").as_mapping()
    assert (stored.timezone, stored.description) == ("Europe/Madrid", "Ours")

    renamed = api("patch", "/our-hubspot", {"name": "hubspot-madrid"})
    assert renamed.status_code == 200, renamed.content
    assert renamed.json()["definition"]["name"] == "hubspot-madrid"
    assert api("get", "/our-hubspot").status_code == 404
    assert api("get", "/hubspot-madrid").json()["definition"]["timezone"] == "Europe/Madrid"

    assert api("delete", "/hubspot-madrid").status_code == 204
    assert not MappingProfile.objects.exists()
    assert api("delete", "/hubspot-madrid").status_code == 404


def test_bad_names_and_broken_rules_are_refused_and_change_nothing(api) -> None:
    api("post", body={"name": "one", "copy_of": "maven-crm"})
    api("post", body={"name": "two", "copy_of": "maven-crm"})
    taken = api("post", body={"name": "one", "copy_of": "x-education"})
    assert taken.status_code == 422
    assert api("post", body={"name": "hubspot-deals", "copy_of": "one"}).status_code == 422
    assert api("post", body={"name": "three", "copy_of": "nothing"}).status_code == 404
    assert api("patch", "/one", {"name": "two"}).status_code == 422
    broken = api("patch", "/one", {"definition": {"files": [{"no": "rules"}]}})
    assert broken.status_code == 422
    unchanged = Mapping.from_dict(PROFILES["maven-crm"].to_dict() | {"name": "one"}).to_dict()
    stored = MappingProfile.objects.get(name="one").as_mapping().to_dict()
    # compared as canonical JSON: PostgreSQL's jsonb keeps object keys in its own order
    assert json.dumps(stored, sort_keys=True) == json.dumps(unchanged, sort_keys=True)
    assert sorted(MappingProfile.objects.values_list("name", flat=True)) == ["one", "two"]


def test_viewers_read_mappings_but_may_not_change_them(client, make_user) -> None:
    viewer = api_token_create(actor=None, user=make_user("sales", Role.VIEWER), name="v")
    call = _caller(client, viewer)
    assert call("get").status_code == 200
    assert call("post", body={"name": "mine", "copy_of": "maven-crm"}).status_code == 403
    assert not MappingProfile.objects.exists()
