"""The API over HTTP: authentication, JSON errors with a clear ``detail``, OpenAPI, local docs."""

from __future__ import annotations

import logging

import pytest
from django.test import Client

from alinea.apps.accounts.models import ApiToken, User
from alinea.apps.accounts.services import api_token_create, api_token_revoke


@pytest.fixture
def token(demo_logins) -> str:
    return api_token_create(actor=None, user=User.objects.get(username="rita"), name="tests")


def _bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_without_credentials_401(db: None, client: Client) -> None:
    response = client.get("/api/scoreboard")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "Authorization: Bearer <token>" in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer alinea_wrong", "Bearer ", "Bearer alinea"])
def test_wrong_token_401(client: Client, token: str, header: str) -> None:
    response = client.get("/api/scoreboard", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["detail"]


def test_revoked_token_401(client: Client, token: str) -> None:
    api_token_revoke(actor=None, token=ApiToken.objects.get())
    response = client.get("/api/scoreboard", **_bearer(token))
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid or revoked API token."}


def test_token_200(client: Client, token: str) -> None:
    response = client.get("/api/scoreboard", {"today": "2025-05-14"}, **_bearer(token))
    assert response.status_code == 200
    assert response.json()["today"] == "2025-05-14"


def test_unknown_route_404_json(client: Client, token: str) -> None:
    for path in ("/api/nothing-here", "/api/scoreboard/nope/deeper"):
        response = client.get(path, **_bearer(token))
        assert response.status_code == 404
        assert path in response.json()["detail"]


def test_wrong_method_405_json(client: Client, token: str) -> None:
    response = client.delete("/api/scoreboard", **_bearer(token))
    assert response.status_code == 405
    assert response.json() == {"detail": "DELETE is not allowed on /api/scoreboard."}
    assert "GET" in response["Allow"]


def test_validation_error_422_names_the_field(client: Client, token: str) -> None:
    response = client.get("/api/scoreboard", {"today": "14/05/2025"}, **_bearer(token))
    assert response.status_code == 422
    body = response.json()
    assert body["detail"].startswith("Invalid request: query parameter 'today': ")
    assert body["errors"][0]["loc"] == ["query", "today"]


def test_unexpected_error_500_is_generic_json(
    client: Client, token: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(**kwargs: object) -> None:
        raise ZeroDivisionError("secret internals")

    monkeypatch.setattr("alinea.apps.scoreboard.api.scoreboard_for", broken)
    with caplog.at_level(logging.ERROR, logger="alinea.api"):
        response = client.get("/api/scoreboard", **_bearer(token))
    assert response.status_code == 500
    assert "secret internals" not in response.content.decode()
    assert response.json()["detail"].startswith("Internal server error.")
    assert "ZeroDivisionError" in caplog.text


def test_openapi_document(db: None, client: Client) -> None:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "alinea API"
    assert "/api/scoreboard" in schema["paths"]
    assert "/api/scoreboard/trend" in schema["paths"]
    schemes = schema["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"}.items() <= schemes["ApiTokenAuth"].items()
    parameters = schema["paths"]["/api/scoreboard"]["get"]["parameters"]
    assert [p["name"] for p in parameters] == ["today"]


def test_docs_use_packaged_swagger(db: None, client: Client) -> None:
    html = client.get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
