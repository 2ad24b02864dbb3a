"""Reads about users, teams and tokens. Object access goes through ``get_<entity>_for``."""

from __future__ import annotations

from django.db.models import QuerySet

from alinea.apps.accounts.models import ApiToken, Membership, Team, User
from alinea.apps.accounts.permissions import AnyUser, can_view


def memberships_of(user: User) -> list[Membership]:
    """The user's teams and roles, by team."""
    return list(Membership.objects.filter(user=user).select_related("team"))


def teams() -> QuerySet[Team]:
    return Team.objects.all()


def team_members(team: Team) -> QuerySet[Membership]:
    return Membership.objects.filter(team=team).select_related("user")


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    """The user's API tokens, newest first, revoked ones included."""
    return ApiToken.objects.filter(user=user)


def get_team_for(user: AnyUser, slug: str) -> Team:
    """The team ``slug`` if ``user`` may see it; ``Team.DoesNotExist`` otherwise."""
    team = Team.objects.get(slug=slug)
    if not can_view(user, team):
        raise Team.DoesNotExist(slug)
    return team


def get_api_token_for(user: AnyUser, token_id: int) -> ApiToken:
    """The token if ``user`` may see it (owner or admin); ``ApiToken.DoesNotExist`` otherwise.

    A token the user may not see is reported exactly like one that does not exist.
    """
    token = ApiToken.objects.select_related("user").get(pk=token_id)
    if not can_view(user, token):
        raise ApiToken.DoesNotExist(token_id)
    return token


def user_for_person(person_id: str) -> User | None:
    """The login linked to a warehouse person, if any."""
    if not person_id:
        return None
    return User.objects.filter(person_id=person_id).first()
