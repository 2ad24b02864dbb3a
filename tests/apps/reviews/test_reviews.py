"""Reviews: planning, opening and closing freeze the agenda's numbers; decisions; the next review;
the demo company's past review."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from alinea.apps.accounts.services import demo_accounts_setup
from alinea.apps.audit.models import AuditEntry
from alinea.apps.reviews import services
from alinea.apps.reviews.demo import DECISIONS, review_moment, setup
from alinea.apps.reviews.meetings import decision_record
from alinea.apps.reviews.models import Review
from alinea.apps.reviews.selectors import next_review, review_numbers
from alinea.warehouse import ingest

from .conftest import NOW

pytestmark = pytest.mark.django_db


def _plan(people, **changes) -> Review:
    values = {
        "actor": people["sam"], "title": "Weekly review", "scheduled_for": NOW.date(),
        "participants": [people["maria"], people["sam"]], "now": NOW, **changes,
    }  # fmt: skip
    return services.review_create(**values)


def _mql_stalls(snapshot: dict) -> int:
    return next(row["stalled"] for row in snapshot["stalls"] if row["stage"] == "mql")


def test_planning_needs_both_teams_and_a_runner(people) -> None:
    with pytest.raises(ValidationError, match="none from marketing"):
        _plan(people, participants=[people["sam"], people["rita"]])
    with pytest.raises(PermissionDenied):
        _plan(people, actor=people["lena"])
    assert _plan(people).status == "planned"


def test_the_snapshot_is_frozen_when_later_facts_arrive(con, people, goal) -> None:
    review = _plan(people)
    assert review_numbers(con, review, now=NOW)["taken_at"] == NOW.isoformat()  # live
    services.review_open(actor=people["sam"], con=con, review=review, now=NOW)
    frozen = Review.objects.get(pk=review.pk).opening_snapshot
    assert _mql_stalls(frozen) == 3
    assert frozen["goals"][0]["current"] == 2
    # later: a new paid-search lead in June (N1), and a lead that sits in MQL since May (N2)
    ingest(con, "leads", [
        {"lead_id": "N1", "created_at": "2025-06-10T09:00:00Z", "channel": "paid_search"},
        {"lead_id": "N2", "created_at": "2025-05-25T09:00:00Z", "channel": "paid_search"},
    ])  # fmt: skip
    ingest(con, "stage_changes", [
        {"lead_id": "N2", "stage": "mql", "changed_at": "2025-05-25T09:00:00Z"}
    ])  # fmt: skip
    later = NOW + dt.timedelta(hours=1)
    review.refresh_from_db()
    assert review_numbers(con, review, now=later) == frozen  # the minutes keep what was seen
    services.review_close(actor=people["maria"], con=con, review=review, now=later)
    review.refresh_from_db()
    assert review.opening_snapshot == frozen
    assert _mql_stalls(review.closing_snapshot) == 4
    assert review.closing_snapshot["goals"][0]["current"] == 3
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"review_create", "review_open", "review_close"} <= actions


def test_decisions_are_taken_while_the_review_is_open(con, people) -> None:
    review = _plan(people)
    with pytest.raises(ValidationError, match="while the review is open"):
        decision_record(actor=people["sam"], review=review, text="too early", now=NOW)
    services.review_open(actor=people["sam"], con=con, review=review, now=NOW)
    decision_record(actor=people["rita"], review=review, text="Call MQLs within 4 h", now=NOW)
    with pytest.raises(PermissionDenied):
        decision_record(actor=people["lena"], review=review, text="viewer", now=NOW)
    with pytest.raises(ValidationError, match="already been opened"):
        services.review_open(actor=people["sam"], con=con, review=review, now=NOW)
    services.review_close(actor=people["sam"], con=con, review=review, now=NOW)
    with pytest.raises(ValidationError):
        decision_record(actor=people["sam"], review=review, text="too late", now=NOW)
    assert [d.text for d in review.decisions.all()] == ["Call MQLs within 4 h"]


def test_the_next_review_is_the_earliest_not_closed_from_today(con, people) -> None:
    today = NOW.date()
    assert next_review(today) is None
    _plan(people, title="Last week", scheduled_for=today - dt.timedelta(days=7))
    later = _plan(people, title="In two weeks", scheduled_for=today + dt.timedelta(days=14))
    soon = _plan(people, title="Tomorrow", scheduled_for=today + dt.timedelta(days=1))
    assert next_review(today) == soon
    services.review_open(actor=people["sam"], con=con, review=soon, now=NOW)
    services.review_close(actor=people["sam"], con=con, review=soon, now=NOW)
    assert next_review(today) == later


def test_the_demo_review_is_a_closed_past_review_with_its_snapshot(con) -> None:
    demo_accounts_setup()
    (review,) = setup(con, now=NOW)
    assert setup(con, now=NOW) == []  # idempotent
    held = review_moment(NOW)
    assert held == NOW - dt.timedelta(days=7)
    assert (review.status, review.opened_at, review.scheduled_for) == ("closed", held, held.date())
    assert review.opening_snapshot["taken_at"] == held.isoformat()
    assert _mql_stalls(review.opening_snapshot) >= 1
    assert [d.text for d in review.decisions.all()] == list(DECISIONS)
    assert {u.username for u in review.participants.all()} == {"maria", "sam"}


def test_the_review_moment_stays_inside_the_quarter_and_the_past() -> None:
    start_of_quarter = dt.datetime(2025, 7, 2, 12, tzinfo=dt.UTC)
    assert review_moment(start_of_quarter) == dt.datetime(2025, 7, 2, 10, tzinfo=dt.UTC)
    first_hour = dt.datetime(2025, 7, 1, 0, 30, tzinfo=dt.UTC)
    assert review_moment(first_hour) == first_hour - dt.timedelta(hours=1)
