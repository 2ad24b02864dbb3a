"""Template helpers of the meeting pages: ``clock`` (seconds as m:ss) and ``next_review_link``,
a link to the next planned review that other pages (the scoreboard, the goals list) can show with
``{% load meetings %}{% next_review_link %}``."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from alinea.apps.reviews.selectors import next_review

register = template.Library()


@register.filter
def clock(seconds: float | None) -> str:
    """``754.2`` → ``12:34``; a negative time shows as ``0:00``."""
    whole = max(int(seconds or 0), 0)
    return f"{whole // 60}:{whole % 60:02d}"


@register.inclusion_tag("reviews/_next_review_link.html")
def next_review_link() -> dict[str, Any]:
    return {"review": next_review(timezone.now().date())}
