"""The shell: login required everywhere, the navigation, honest placeholders, two languages."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from alinea.web.sections import SECTIONS

NOT_BUILT = [s for s in SECTIONS if not s.built]
EVERY_PAGE = ["/", "/scoreboard/", "/audit/", "/accounts/tokens/"] + [
    f"/{s.key}/" for s in NOT_BUILT
]


@pytest.mark.parametrize("path", EVERY_PAGE)
def test_every_page_requires_login(db: None, client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_login_page_and_logging_in(client: Client, demo_logins) -> None:
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    assert 'name="username"' in page.content.decode()

    wrong = client.post("/accounts/login/", {"username": "maria", "password": "nope"})
    assert wrong.status_code == 200
    assert "Please enter a correct username and password" in wrong.content.decode()

    right = client.post(
        "/accounts/login/?next=/audit/", {"username": "maria", "password": "alinea-demo"}
    )
    assert right.status_code == 302
    assert right["Location"] == "/audit/"


def test_logging_out_needs_a_post(login_as) -> None:
    client = login_as("maria")
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/scoreboard/").status_code == 302


def test_navigation_lists_every_section_in_order(login_as) -> None:
    html = login_as("rita").get("/audit/").content.decode()
    nav = html[html.index('<nav class="nav">') : html.index("</nav>")]
    titles = re.findall(r"<span>([^<]+)</span>", nav)
    assert titles == [
        "Scoreboard",
        "Goals",
        "Definitions",
        "SLA",
        "Funnel",
        "Attribution",
        "Insights",
        "Reviews",
        "Data",
        "Audit log",
    ]
    assert re.search(r'href="/audit/" class="nav-link is-active" aria-current="page"', nav)
    assert nav.count("is-active") == 1
    assert nav.count("soon") == len(NOT_BUILT)


@pytest.mark.parametrize("section", NOT_BUILT, ids=lambda s: s.key)
def test_sections_not_built_say_so_without_numbers(login_as, section) -> None:
    response = login_as("lena").get(f"/{section.key}/")
    assert response.status_code == 200
    html = response.content.decode()
    main = html[html.index('<main id="main"') : html.index("</main>")]
    assert f"Not built yet: {section.title}" in main
    assert str(section.summary) in main
    text = re.sub(r"<[^>]+>", " ", main)
    assert not re.search(r"\d", text), text  # no numbers shown


def test_user_menu_shows_team_and_role(login_as) -> None:
    html = login_as("sam").get("/scoreboard/").content.decode()
    assert "Sales · Team lead" in html
    assert 'href="/accounts/tokens/"' in html


def test_language_switch(login_as) -> None:
    client = login_as("maria")
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/insights/"})
    assert response.status_code == 302
    assert response["Location"] == "/insights/"
    html = client.get("/insights/").content.decode()
    assert '<html lang="es">' in html
    assert "Aún no disponible: Hallazgos" in html
    for spanish in ("Marcador", "Objetivos", "Embudo", "Atribución", "Datos", "Cerrar sesión"):
        assert spanish in html
    assert "Not built yet" not in html


def test_language_switch_works_before_logging_in(db: None, client: Client) -> None:
    client.post("/i18n/setlang/", {"language": "es", "next": "/accounts/login/"})
    html = client.get("/accounts/login/").content.decode()
    assert "Iniciar sesión" in html
    assert "Contraseña" in html


def test_browser_language_is_honoured(db: None, client: Client) -> None:
    html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9").content.decode()
    assert "Iniciar sesión" in html


def test_unknown_page_is_a_404_page(login_as) -> None:
    response = login_as("maria").get("/nowhere/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_server_error_page(login_as, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(**kwargs: object) -> None:
        raise ZeroDivisionError

    monkeypatch.setattr("alinea.apps.scoreboard.views.scoreboard_for", broken)
    client = login_as("maria")
    client.raise_request_exception = False
    response = client.get("/scoreboard/")
    assert response.status_code == 500
    assert "Server error" in response.content.decode()
