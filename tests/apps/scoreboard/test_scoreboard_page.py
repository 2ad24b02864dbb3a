"""The scoreboard page shows the warehouse's numbers, checked against SQL written by hand."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.utils import timezone

from alinea.apps.accounts.models import Role


class _Cells(HTMLParser):
    """``(metric, period) → (data-value, text)`` of the elements marked ``data-period``."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: dict[tuple[str, str], tuple[float, str]] = {}
        self._metric = ""
        self._open: tuple[str, str, float] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("data-metric"):
            self._metric = found["data-metric"] or ""
        if found.get("data-period"):
            self._open = (tag, found["data-period"] or "", float(found["data-value"] or "nan"))
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._open:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._open and tag == self._open[0]:
            _, period, value = self._open
            self.cells[(self._metric, period)] = (value, "".join(self._text).strip())
            self._open = None


def _cells(html: str) -> dict[tuple[str, str], tuple[float, str]]:
    parser = _Cells()
    parser.feed(html)
    return parser.cells


@pytest.fixture
def maria(client: Client, make_user) -> Client:
    make_user("marketing", Role.TEAM_LEAD, username="maria")
    client.login(username="maria", password="correct horse battery")
    return client


@pytest.fixture
def frozen_today(monkeypatch: pytest.MonkeyPatch, hand_facts):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: hand_facts.today)
    return hand_facts


def test_page_numbers_equal_independent_sql(maria: Client, frozen_today) -> None:
    facts = frozen_today
    response = maria.get("/scoreboard/")

    assert response.status_code == 200
    cells = _cells(response.content.decode())
    import datetime as dt

    now = facts.sql_counts(dt.date(2025, 4, 1), dt.date(2025, 5, 15))
    before = facts.sql_counts(dt.date(2025, 1, 1), dt.date(2025, 2, 14))
    assert len(cells) == 12
    for metric in now:
        assert cells[(metric, "current")][0] == now[metric] == facts.expected[metric][0]
        assert cells[(metric, "previous")][0] == before[metric] == facts.expected[metric][1]


def test_page_labels_periods_and_formats_numbers(maria: Client, frozen_today) -> None:
    html = maria.get("/scoreboard/").content.decode()
    cells = _cells(html)

    assert "April 1, 2025 – May 14, 2025" in html
    assert "Jan. 1, 2025 – Feb. 13, 2025" in html
    assert cells[("won_revenue", "current")][1] == "14,501"  # 14500.5, rounded half up
    assert cells[("won_revenue", "previous")][1] == "5,000"
    assert cells[("leads", "current")][1] == "3"
    assert "▲ 50.0%" in html  # leads: 3 against 2
    assert 'id="chart-volume"' in html
    assert 'id="chart-revenue"' in html
    assert re.search(r'<script src="/static/vendor/plotly/plotly\.min\.js"', html)
    assert "cdn" not in html.lower()


def test_page_in_spanish(maria: Client, frozen_today) -> None:
    maria.cookies["django_language"] = "es"
    html = maria.get("/scoreboard/").content.decode()
    cells = _cells(html)

    assert '<html lang="es">' in html
    assert "Marcador" in html
    assert "Ingresos ganados" in html
    assert "1 de abril de 2025 – 14 de mayo de 2025" in html
    assert cells[("won_revenue", "current")] == (14500.5, "14\xa0501")
    assert "▲ 50,0\xa0%" in html


def test_an_empty_warehouse_shows_zeros_not_an_error(maria: Client) -> None:
    response = maria.get("/scoreboard/")
    assert response.status_code == 200
    cells = _cells(response.content.decode())
    assert {value for value, _ in cells.values()} == {0.0}
