"""Every asset is served by the app itself (whitenoise, no collectstatic, no CDN)."""

from __future__ import annotations

import re

import pytest
from django.test import Client


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/static/vendor/plotly/plotly.min.js", "javascript"),
        ("/static/alinea/alinea.css", "css"),
        ("/static/alinea/alinea.js", "javascript"),
        ("/static/ninja/swagger-ui-bundle.js", "javascript"),
        ("/static/ninja/swagger-ui.css", "css"),
    ],
)
def test_assets_are_served_locally(db: None, client: Client, path: str, kind: str) -> None:
    # (db: closing a response lets Django check its database connection)
    response = client.get(path)
    try:
        assert response.status_code == 200
        assert kind in response["Content-Type"]
        assert len(b"".join(response.streaming_content)) > 200  # type: ignore[attr-defined]
    finally:
        response.close()


def test_no_page_of_the_shell_loads_anything_from_another_host(login_as) -> None:
    client = login_as("maria")
    for path in ("/scoreboard/", "/goals/", "/audit/", "/accounts/tokens/", "/api/docs"):
        html = client.get(path).content.decode()
        sources = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert sources, path
        external = [s for s in sources if re.match(r"(https?:)?//", s)]
        assert external == [], (path, external)
