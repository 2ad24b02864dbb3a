"""``get_<entity>_for``: what each user may open, tested once for every kind of user."""

from __future__ import annotations

import pytest

from alinea.apps.accounts.models import ApiToken, Role, Team
from alinea.apps.accounts.selectors import (
    api_tokens_of,
    get_api_token_for,
    get_team_for,
    memberships_of,
    user_for_person,
)
from alinea.apps.accounts.services import api_token_create, user_person_link

KINDS = [
    ("owner", True),
    ("same team lead", False),
    ("other team member", False),
    ("viewer", False),
    ("no team", False),
    ("admin", True),
    ("superuser", True),
]


@pytest.fixture
def token_and_users(make_user):
    owner = make_user("sales", Role.MEMBER)
    api_token_create(actor=owner, user=owner, name="mine")
    users = {
        "owner": owner,
        "same team lead": make_user("sales", Role.TEAM_LEAD),
        "other team member": make_user("marketing", Role.MEMBER),
        "viewer": make_user("leadership", Role.VIEWER),
        "no team": make_user(),
        "admin": make_user("marketing", Role.ADMIN),
        "superuser": make_user(superuser=True),
    }
    return ApiToken.objects.get(user=owner), users


@pytest.mark.parametrize(("kind", "allowed"), KINDS)
def test_get_api_token_for(token_and_users, kind: str, allowed: bool) -> None:
    token, users = token_and_users
    if allowed:
        assert get_api_token_for(users[kind], token.pk) == token
    else:
        with pytest.raises(ApiToken.DoesNotExist):
            get_api_token_for(users[kind], token.pk)


def test_get_api_token_for_unknown_id(token_and_users) -> None:
    _, users = token_and_users
    with pytest.raises(ApiToken.DoesNotExist):
        get_api_token_for(users["admin"], 999_999)


@pytest.mark.parametrize("kind", [kind for kind, _ in KINDS])
def test_get_team_for_every_user_sees_every_team(token_and_users, kind: str) -> None:
    _, users = token_and_users
    assert get_team_for(users[kind], "marketing").slug == "marketing"
    with pytest.raises(Team.DoesNotExist):
        get_team_for(users[kind], "finance")


def test_memberships_tokens_and_person_link(make_user, teams) -> None:
    user = make_user("marketing", Role.TEAM_LEAD)
    api_token_create(actor=user, user=user, name="a")
    api_token_create(actor=user, user=user, name="b")
    user_person_link(actor=None, user=user, person_id="mkt-lead")

    assert [(m.team.slug, m.role) for m in memberships_of(user)] == [("marketing", "team_lead")]
    assert [t.name for t in api_tokens_of(user)] == ["b", "a"]
    assert user_for_person("mkt-lead") == user
    assert user_for_person("nobody") is None
    assert user_for_person("") is None
