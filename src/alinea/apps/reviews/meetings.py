"""What sessions and reviews share: who may run them, who must attend, and their decisions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

from alinea.apps.accounts.models import Membership, Team, User
from alinea.apps.accounts.permissions import can_edit_team_item
from alinea.apps.audit.services import audit_record
from alinea.apps.reviews.models import (
    Decision,
    GoalSession,
    Review,
    ReviewStatus,
    SessionStatus,
)

#: The two teams every meeting brings together.
MEETING_TEAMS = ("marketing", "sales")


def may_run_meetings(actor: User | None) -> bool:
    """Members and team leads of marketing or sales, and admins (``None``: the system)."""
    if actor is None:
        return True
    return any(
        can_edit_team_item(actor, team) for team in Team.objects.filter(slug__in=MEETING_TEAMS)
    )


def require_runner(actor: User | None) -> None:
    if not may_run_meetings(actor):
        raise PermissionDenied("only marketing and sales members run meetings")


def save(instance: models.Model) -> None:
    instance.full_clean()
    instance.save()


def teams_of(users: Sequence[User]) -> dict[int, list[str]]:
    """user id → the slugs of the meeting teams the user belongs to."""
    found: dict[int, list[str]] = {user.pk: [] for user in users}
    rows = Membership.objects.filter(
        user__in=[user.pk for user in users], team__slug__in=MEETING_TEAMS
    ).values_list("user_id", "team__slug")
    for user_id, slug in rows.order_by("team__slug"):
        found[user_id].append(slug)
    return found


def check_both_teams(participants: Sequence[User]) -> None:
    """``ValidationError`` unless someone from marketing and someone from sales attend."""
    present = {slug for slugs in teams_of(participants).values() for slug in slugs}
    missing = [team for team in MEETING_TEAMS if team not in present]
    if missing:
        raise ValidationError(
            {"participants": f"participants from both teams are needed; none from {missing[0]}"}
        )


def decision_record(
    *,
    actor: User | None,
    text: str,
    now: dt.datetime,
    session: GoalSession | None = None,
    review: Review | None = None,
) -> Decision:
    """A decision of a session or a review that is under way."""
    require_runner(actor)
    if (session is None) == (review is None):
        raise ValueError("a decision belongs to one session or one review")
    if session is not None and session.status != SessionStatus.OPEN:
        raise ValidationError("this session is closed")
    if review is not None and review.status != ReviewStatus.OPEN:
        raise ValidationError("decisions are recorded while the review is open")
    decision = Decision(
        session=session, review=review, text=text.strip(), recorded_by=actor, recorded_at=now
    )
    with transaction.atomic():
        save(decision)
        audit_record(actor=actor, action="decision_record", instance=decision, before=None)
    return decision
