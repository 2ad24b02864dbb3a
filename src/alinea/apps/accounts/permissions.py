"""Who may see and change what: the one place the role rules are written down.

Roles are held per team (``Membership``):

- **viewer**: reads everything, changes nothing;
- **member**: reads everything; creates and edits the items its own team owns;
- **team lead**: what a member may do, and approves (signs off) items for its own team;
- **admin**: everything, for every team, including accounts and roles.

A Django superuser counts as an admin. A user with no membership reads everything, like a viewer:
transparency between the teams is the point of alinea (every agreement is visible to both teams).
A user with several memberships gets, per team, the role held in that team; an admin role in any
team makes the user an admin everywhere. Inactive or anonymous users may do nothing.

Objects private to one user (API tokens) are visible to that user and to admins only; the rule for
each such model is registered in ``_VIEW_RULES``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AnonymousUser

from alinea.apps.accounts.models import ApiToken, Membership, Role, Team, User

AnyUser = User | AnonymousUser

EDITING_ROLES = frozenset({Role.MEMBER, Role.TEAM_LEAD})
APPROVING_ROLES = frozenset({Role.TEAM_LEAD})


def _active(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active)


def _roles(user: User) -> dict[int, str]:
    """team id → role."""
    return dict(Membership.objects.filter(user=user).values_list("team_id", "role"))


def role_in(user: AnyUser, team: Team) -> Role | None:
    """The user's role in ``team``, or ``None`` when not a member of it."""
    if not isinstance(user, User) or not _active(user):
        return None
    role = _roles(user).get(team.pk)
    return Role(role) if role is not None else None


def is_admin(user: AnyUser) -> bool:
    if not isinstance(user, User) or not _active(user):
        return False
    return user.is_superuser or Role.ADMIN in _roles(user).values()


def can_edit_team_item(user: AnyUser, team: Team) -> bool:
    """Whether ``user`` may create or change an item owned by ``team``."""
    return is_admin(user) or role_in(user, team) in EDITING_ROLES


def can_approve_for_team(user: AnyUser, team: Team) -> bool:
    """Whether ``user`` may sign off an item on behalf of ``team``."""
    return is_admin(user) or role_in(user, team) in APPROVING_ROLES


def can_manage_accounts(user: AnyUser) -> bool:
    """Whether ``user`` may add people to teams, change roles and manage others' tokens."""
    return is_admin(user)


def _owner_or_admin(user: AnyUser, obj: Any) -> bool:
    return is_admin(user) or obj.user_id == user.pk


_VIEW_RULES: dict[type, Callable[[AnyUser, Any], bool]] = {
    ApiToken: _owner_or_admin,
}


def can_view(user: AnyUser, obj: Any) -> bool:
    """Whether ``user`` may see ``obj``: every active user sees every shared item."""
    if not _active(user):
        return False
    rule = _VIEW_RULES.get(type(obj))
    return True if rule is None else rule(user, obj)
