"""The demo company's last joint review: held a week ago (or early this quarter), with the numbers
of that moment frozen in it and the decisions taken."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from ibis.backends import BaseBackend

from alinea.analytics.periods import quarter_start
from alinea.apps.accounts.models import User
from alinea.apps.reviews import services
from alinea.apps.reviews.meetings import decision_record
from alinea.apps.reviews.models import Review

DECISIONS = (
    "Sales reviews every rejected paid-search MQL with marketing on Fridays.",
    "Marketing moves budget from display to paid search until the MQL goal is back on track.",
)


def _leads() -> list[User]:
    return list(
        User.objects.filter(
            memberships__team__slug__in=["marketing", "sales"], memberships__role="team_lead"
        ).order_by("pk")
    )


def review_moment(now: dt.datetime) -> dt.datetime:
    """A week before ``now``, but not before the quarter's second day at 10:00 UTC (the goals are
    set on its first day), and at least an hour before ``now``."""
    start = quarter_start(now.date())
    kickoff = dt.datetime.combine(start + dt.timedelta(days=1), dt.time(10), dt.UTC)
    return min(max(now - dt.timedelta(days=7), kickoff), now - dt.timedelta(hours=1))


def setup(con: BaseBackend, *, now: dt.datetime | None = None) -> list[Review]:
    """One past review, opened and closed an hour apart, unless a review exists (idempotent)."""
    if Review.objects.exists():
        return []
    now = now or timezone.now()
    held = review_moment(now)
    leads = _leads()
    if len(leads) < 2:  # the demo logins are not set up
        return []
    chair = leads[0]
    with transaction.atomic():
        review = services.review_create(
            actor=None, title="Weekly joint review", scheduled_for=held.date(),
            participants=leads, now=held - dt.timedelta(days=3),
        )  # fmt: skip
        services.review_open(actor=chair, con=con, review=review, now=held)
        for number, text in enumerate(DECISIONS):
            moment = held + dt.timedelta(minutes=20 * (number + 1))
            decision_record(actor=chair, review=review, text=text, now=moment)
        services.review_close(actor=chair, con=con, review=review, now=held + dt.timedelta(hours=1))
    return [review]
