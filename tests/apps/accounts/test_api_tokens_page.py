from __future__ import annotations

from django.test import Client

from alinea.apps.accounts.models import ApiToken, Role
from alinea.apps.accounts.services import api_token_authenticate, api_token_create


def _login(client: Client, make_user, username: str = "tina") -> Client:
    make_user("sales", Role.MEMBER, username=username)
    client.login(username=username, password="correct horse battery")
    return client


def test_create_shows_the_secret_once(client: Client, make_user) -> None:
    page = _login(client, make_user)
    created = page.post("/accounts/tokens/", {"name": "CRM import"})

    assert created.status_code == 200
    assert "no-store" in created["Cache-Control"]
    html = created.content.decode()
    start = html.index('id="new-token">') + len('id="new-token">')
    secret = html[start : html.index("</code>", start)]
    token = ApiToken.objects.get(name="CRM import")
    assert api_token_authenticate(secret=secret) == token.user
    again = page.get("/accounts/tokens/").content.decode()
    assert secret not in again
    assert token.prefix in again


def test_a_name_is_required(client: Client, make_user) -> None:
    response = _login(client, make_user).post("/accounts/tokens/", {"name": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoke_own_token(client: Client, make_user) -> None:
    page = _login(client, make_user)
    page.post("/accounts/tokens/", {"name": "old"})
    token = ApiToken.objects.get()

    response = page.post(f"/accounts/tokens/{token.pk}/revoke/", follow=True)

    assert response.status_code == 200
    assert "was revoked" in response.content.decode()
    token.refresh_from_db()
    assert not token.is_active


def test_someone_elses_token_is_not_found(client: Client, make_user) -> None:
    owner = make_user("marketing", Role.TEAM_LEAD, username="owner")
    api_token_create(actor=owner, user=owner, name="private")
    token = ApiToken.objects.get()

    page = _login(client, make_user)
    assert "private" not in page.get("/accounts/tokens/").content.decode()
    assert page.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    assert page.get(f"/accounts/tokens/{token.pk}/revoke/").status_code == 405
    token.refresh_from_db()
    assert token.is_active
