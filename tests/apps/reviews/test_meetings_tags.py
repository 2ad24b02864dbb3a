"""The template helpers other pages use: the next review link and the m:ss clock."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template

from alinea.apps.reviews import services
from alinea.apps.reviews.templatetags.meetings import clock

from .conftest import NOW

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

LINK = Template("{% load meetings %}{% next_review_link %}")


def test_the_next_review_link(people) -> None:
    assert 'href="/reviews/"' in LINK.render(Context())
    review = services.review_create(
        actor=people["sam"], title="July review", scheduled_for=dt.date(2025, 7, 2),
        participants=[people["maria"], people["sam"]], now=NOW,
    )  # fmt: skip
    html = LINK.render(Context())
    assert f'href="/reviews/{review.pk}/"' in html
    assert "Next review: July review" in html


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(0, "0:00"), (59.9, "0:59"), (754.2, "12:34"), (-3, "0:00"), (None, "0:00")],
)
def test_clock(seconds, shown) -> None:
    assert clock(seconds) == shown
