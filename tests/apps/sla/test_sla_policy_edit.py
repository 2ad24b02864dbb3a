"""Every term of a draft is edited on the agreement page; mistakes come back beside their field."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from alinea.apps.sla.models import SlaPolicy
from alinea.apps.sla.services import sla_policy_create

from .conftest import terms

pytestmark = pytest.mark.django_db

NUMBERS = {
    "quality_floor": "0.6",
    "first_response_hours": "4",
    "attempts": "2",
    "attempts_within_days": "2",
    "disposition_within_days": "3",
    "clock_starts": "mql",
    "at_risk_share": "0.25",
    "unworked_after_days": "",
    "note": "",
}
CLOSED = dict.fromkeys(("saturday", "sunday"), "")
WEEK = dict.fromkeys(("monday", "tuesday", "wednesday", "thursday", "friday"), "09:00-17:00")


def _formset(prefix: str, rows: list[dict[str, str]]) -> dict[str, str]:
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        data |= {f"{prefix}-{index}-{name}": value for name, value in row.items()}
    return data


def _calendar(**fields: str) -> dict[str, str]:
    base = {"scope": "default", "key": "", "timezone": "UTC", "country": "", "subdivision": ""}
    return base | WEEK | CLOSED | fields


def _post(client, draft: SlaPolicy, **formsets: list[dict[str, str]]):
    data = dict(NUMBERS)
    for prefix, rows in formsets.items():
        data |= _formset(prefix, rows)
    return client.post(f"/sla/policy/{draft.pk}/edit/", data)


@pytest.fixture
def draft(leads) -> SlaPolicy:
    return sla_policy_create(actor=leads["marketer"], terms=terms())


def test_the_draft_page_shows_every_term_in_a_form(client, leads, draft):
    client.force_login(leads["marketer"])
    page = client.get(f"/sla/policy/{draft.pk}/").content.decode()
    for prefix in ("targets", "reasons", "calendars"):
        assert f'data-formset="{prefix}"' in page
        assert f'name="{prefix}-TOTAL_FORMS"' in page
    assert 'value="competitor"' in page
    assert 'name="calendars-0-monday" value="09:00-17:00"' in page


def test_targets_reasons_and_calendars_are_saved(client, leads, draft):
    client.force_login(leads["marketer"])
    response = _post(
        client,
        draft,
        targets=[
            {"mqls": "40", "every": "month", "segment": "enterprise", "region": ""},
            {"mqls": "5", "every": "week", "segment": "", "region": "EMEA"},
        ],
        reasons=[
            {"outcome": "rejected", "code": "no_budget", "label": "No budget"},
            {"outcome": "recycled", "code": "timing", "label": ""},
            {"outcome": "rejected", "code": "spam", "label": "", "DELETE": "on"},
        ],
        calendars=[
            _calendar(timezone="Europe/Madrid", country="es", subdivision="md"),
            _calendar(
                scope="region",
                key="LATAM",
                timezone="America/Mexico_City",
                country="MX",
                saturday="10:00-13:00",
                friday="09:00-13:00, 14:00-16:00",
            ),
        ],
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert [(t.mqls, t.every, t.segment, t.region) for t in draft.targets.all()] == [
        (40, "month", "enterprise", ""),
        (5, "week", "", "EMEA"),
    ]
    assert sorted((r.outcome, r.code, r.label) for r in draft.reasons.all()) == [
        ("recycled", "timing", ""),
        ("rejected", "no_budget", "No budget"),
    ]
    calendars = {c.scope: c for c in draft.calendars.all()}
    madrid, latam = calendars["default"], calendars["region"]
    assert (madrid.timezone, madrid.country, madrid.subdivision) == ("Europe/Madrid", "ES", "MD")
    assert (latam.key, latam.country) == ("LATAM", "MX")
    assert latam.hours["friday"] == ["09:00-13:00", "14:00-16:00"]
    assert latam.hours["saturday"] == ["10:00-13:00"]
    assert "sunday" not in latam.hours


@pytest.mark.parametrize(
    ("formsets", "field", "message"),
    [
        ({"calendars": [_calendar(timezone="Mars/Olympus")]}, "calendars-0-timezone", "time zone"),
        ({"calendars": [_calendar(monday="9-5")]}, "calendars-0-monday", "9-5"),
        ({"calendars": [_calendar(country="XX")]}, "calendars-0-country", "XX"),
        (
            {"calendars": [_calendar(country="ES", subdivision="ZZ")]},
            "calendars-0-subdivision",
            "ZZ",
        ),
        ({"calendars": [_calendar(scope="region")]}, "calendars-0-key", "region"),
        ({"calendars": [_calendar(scope="region", key="EMEA")]}, None, "default calendar"),
        ({"calendars": [_calendar(), _calendar()]}, None, "Two calendars"),
        ({"targets": [{"mqls": "0", "every": "week"}]}, "targets-0-mqls", "greater than"),
        (
            {
                "reasons": [
                    {"outcome": "rejected", "code": "x"},
                    {"outcome": "rejected", "code": "x"},
                ]
            },
            None,
            "listed twice",
        ),
    ],
)
def test_a_mistake_is_shown_and_nothing_is_saved(client, leads, draft, formsets, field, message):
    client.force_login(leads["marketer"])
    before = [(c.timezone, c.country) for c in draft.calendars.all()]
    response = _post(client, draft, **formsets)
    assert response.status_code == 400
    page = response.content.decode()
    assert "correct the fields marked below" in page
    assert message in page
    if field is not None:
        form = next(iter(formsets))
        errors = response.context[form].forms[0].errors
        assert field.rsplit("-", 1)[1] in errors
    draft.refresh_from_db()
    assert [(c.timezone, c.country) for c in draft.calendars.all()] == before
    assert draft.version == 1


def test_a_viewer_cannot_change_a_draft(client, leads, draft):
    client.force_login(leads["viewer"])
    response = _post(client, draft, targets=[{"mqls": "99", "every": "week"}])
    assert response.status_code == 400
    assert [t.mqls for t in draft.targets.all()] == [3]


class _FormValues(HTMLParser):
    """The values a browser would submit from the page's draft form (inputs and selects)."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._select: str | None = None
        self._first = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        name = named.get("name") or ""
        if tag == "input" and name and named.get("type") not in ("checkbox", "submit"):
            self.values[name] = named.get("value") or ""
        elif tag == "textarea" and name:
            self.values[name] = ""
        elif tag == "select":
            self._select = name
            self._first = True
        elif tag == "option" and self._select:
            # a browser sends the selected option, else the first one
            if "selected" in named or self._first:
                self.values[self._select] = named.get("value") or ""
            self._first = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def test_saving_the_page_unchanged_keeps_every_term(client, leads, draft):
    client.force_login(leads["marketer"])
    before = SlaPolicy.objects.get(pk=draft.pk)
    expected = (
        [(t.mqls, t.every, t.segment, t.region) for t in before.targets.all()],
        sorted((r.outcome, r.code) for r in before.reasons.all()),
        [(c.scope, c.timezone, c.hours) for c in before.calendars.all()],
    )
    page = client.get(f"/sla/policy/{draft.pk}/").content.decode()
    form = page[page.index('class="policy-edit"') :]
    parser = _FormValues()
    parser.feed(form[: form.index("</form>")])
    assert parser.values["calendars-INITIAL_FORMS"] == "1"
    assert parser.values["calendars-0-timezone"] == "UTC"
    assert parser.values["targets-1-every"] == ""  # the blank row for adding one stays blank
    assert client.post(f"/sla/policy/{draft.pk}/edit/", parser.values).status_code == 302
    draft.refresh_from_db()
    assert (
        [(t.mqls, t.every, t.segment, t.region) for t in draft.targets.all()],
        sorted((r.outcome, r.code) for r in draft.reasons.all()),
        [(c.scope, c.timezone, c.hours) for c in draft.calendars.all()],
    ) == expected
