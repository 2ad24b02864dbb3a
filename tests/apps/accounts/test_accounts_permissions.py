"""Every role × own team × target team, once, against the rules written in permissions.py."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from alinea.apps.accounts.models import Role, Team
from alinea.apps.accounts.permissions import (
    can_approve_for_team,
    can_edit_team_item,
    can_manage_accounts,
    can_view,
    is_admin,
    role_in,
)
from alinea.apps.accounts.services import team_member_add

TEAMS = ("marketing", "sales", "leadership")
ROLES = (Role.VIEWER, Role.MEMBER, Role.TEAM_LEAD, Role.ADMIN)

#: role → (edits own team, edits other teams, approves own team, approves other teams, admin)
EXPECTED = {
    Role.VIEWER: (False, False, False, False, False),
    Role.MEMBER: (True, False, False, False, False),
    Role.TEAM_LEAD: (True, False, True, False, False),
    Role.ADMIN: (True, True, True, True, True),
}


@pytest.mark.parametrize("target", TEAMS)
@pytest.mark.parametrize("own", TEAMS)
@pytest.mark.parametrize("role", ROLES)
def test_role_rules(make_user, teams: dict[str, Team], role: Role, own: str, target: str) -> None:
    user = make_user(own, role)
    edits_own, edits_other, approves_own, approves_other, admin = EXPECTED[role]
    same = own == target

    assert can_edit_team_item(user, teams[target]) is (edits_own if same else edits_other)
    assert can_approve_for_team(user, teams[target]) is (approves_own if same else approves_other)
    assert can_view(user, teams[target]) is True
    assert is_admin(user) is admin
    assert can_manage_accounts(user) is admin
    assert role_in(user, teams[target]) == (role if same else None)


@pytest.mark.parametrize("target", TEAMS)
def test_user_without_team_only_reads(make_user, teams: dict[str, Team], target: str) -> None:
    user = make_user()
    assert can_view(user, teams[target])
    assert not can_edit_team_item(user, teams[target])
    assert not can_approve_for_team(user, teams[target])


@pytest.mark.parametrize("target", TEAMS)
def test_superuser_is_admin_everywhere(make_user, teams: dict[str, Team], target: str) -> None:
    user = make_user(superuser=True)
    assert can_edit_team_item(user, teams[target])
    assert can_approve_for_team(user, teams[target])
    assert can_manage_accounts(user)


def test_anonymous_and_inactive_users_may_do_nothing(make_user, teams: dict[str, Team]) -> None:
    inactive = make_user("sales", Role.ADMIN)
    inactive.is_active = False
    for user in (AnonymousUser(), inactive):
        assert not can_view(user, teams["sales"])
        assert not can_edit_team_item(user, teams["sales"])
        assert not can_approve_for_team(user, teams["sales"])
        assert not is_admin(user)


def test_roles_are_per_team(make_user, teams: dict[str, Team]) -> None:
    user = make_user("marketing", Role.TEAM_LEAD)
    team_member_add(actor=None, team=teams["sales"], user=user, role=Role.VIEWER)
    assert can_approve_for_team(user, teams["marketing"])
    assert not can_edit_team_item(user, teams["sales"])
