"""Writes about users, teams, memberships and API tokens: atomic, validated, audited.

``actor`` is the user doing it, or ``None`` when the system does (the CLI, the demo setup): the
system is trusted, a user must be allowed by ``alinea.apps.accounts.permissions``.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from alinea.apps.accounts.models import ApiToken, Membership, Role, Team, User
from alinea.apps.accounts.permissions import can_manage_accounts, is_admin
from alinea.apps.audit.services import audit_record, snapshot

#: Every token starts with this, so leaked tokens are easy to recognise (and to scan for).
TOKEN_PREFIX = "alinea_"
_SHOWN_PREFIX_LENGTH = 12


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _require_account_manager(actor: User | None) -> None:
    _require(actor is None or can_manage_accounts(actor), "only an admin may manage accounts")


def team_create(*, actor: User | None, slug: str, name: str) -> Team:
    _require_account_manager(actor)
    with transaction.atomic():
        team = Team(slug=slug, name=name)
        team.full_clean()
        team.save()
        audit_record(actor=actor, action="team_create", instance=team, before=None)
    return team


def user_create(
    *,
    actor: User | None,
    username: str,
    password: str | None,
    email: str = "",
    person_id: str = "",
    is_superuser: bool = False,
) -> User:
    """A new login; ``password=None`` makes one that cannot log in until a password is set."""
    _require_account_manager(actor)
    with transaction.atomic():
        user = User(
            username=username,
            email=email,
            person_id=person_id,
            is_staff=is_superuser,
            is_superuser=is_superuser,
        )
        user.set_password(password)
        user.full_clean()
        user.save()
        audit_record(actor=actor, action="user_create", instance=user, before=None)
    return user


def user_person_link(*, actor: User | None, user: User, person_id: str) -> User:
    """Link a login to a person of the warehouse (``""`` unlinks)."""
    _require_account_manager(actor)
    with transaction.atomic():
        before = snapshot(user)
        user.person_id = person_id
        user.full_clean()
        user.save(update_fields=["person_id"])
        audit_record(actor=actor, action="user_person_link", instance=user, before=before)
    return user


def team_member_add(*, actor: User | None, team: Team, user: User, role: Role) -> Membership:
    _require_account_manager(actor)
    with transaction.atomic():
        membership = Membership(team=team, user=user, role=role)
        membership.full_clean()
        membership.save()
        audit_record(actor=actor, action="team_member_add", instance=membership, before=None)
    return membership


def membership_role_change(*, actor: User | None, membership: Membership, role: Role) -> Membership:
    _require_account_manager(actor)
    with transaction.atomic():
        before = snapshot(membership)
        membership.role = role
        membership.full_clean()
        membership.save(update_fields=["role"])
        audit_record(
            actor=actor, action="membership_role_change", instance=membership, before=before
        )
    return membership


def team_member_remove(*, actor: User | None, membership: Membership) -> None:
    _require_account_manager(actor)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="team_member_remove",
            instance=membership,
            before=snapshot(membership),
            deleted=True,
        )
        membership.delete()


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_token_create(*, actor: User | None, user: User, name: str) -> str:
    """Issue an API token for ``user`` and return its secret: the only time it can be read."""
    _require(
        actor is None or actor.pk == user.pk or is_admin(actor),
        "only the user or an admin may create a token for this user",
    )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken(
            user=user,
            name=name.strip(),
            prefix=secret[:_SHOWN_PREFIX_LENGTH],
            digest=_digest(secret),
        )
        token.full_clean()
        token.save()
        audit_record(actor=actor, action="api_token_create", instance=token, before=None)
    return secret


def api_token_revoke(*, actor: User | None, token: ApiToken) -> ApiToken:
    """Stop a token from working. Revoking an already revoked token changes nothing."""
    _require(
        actor is None or actor.pk == token.user_id or is_admin(actor),
        "only the token's owner or an admin may revoke it",
    )
    if token.revoked_at is not None:
        return token
    with transaction.atomic():
        before = snapshot(token)
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="api_token_revoke", instance=token, before=before)
    return token


def api_token_authenticate(*, secret: str) -> User | None:
    """The active user owning the active token ``secret``, or ``None``.

    Notes when the token was used (not audited: using a token changes no agreement).
    """
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


DEMO_PASSWORD = "alinea-demo"

#: slug → name of the teams every workspace starts with.
STANDARD_TEAMS: dict[str, str] = {
    "marketing": "Marketing",
    "sales": "Sales",
    "leadership": "Leadership",
}


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    team: str
    role: str


@dataclass(frozen=True)
class _DemoUser:
    username: str
    team: str
    role: Role
    person_id: str = ""
    is_superuser: bool = False


#: The people of the demo company that can log in; person ids match the demo warehouse's people.
DEMO_USERS: tuple[_DemoUser, ...] = (
    _DemoUser("maria", "marketing", Role.TEAM_LEAD, "mkt-lead"),
    _DemoUser("sam", "sales", Role.TEAM_LEAD, "sales-lead"),
    _DemoUser("rita", "sales", Role.MEMBER, "rep-001"),
    _DemoUser("mark", "marketing", Role.MEMBER, "mkt-001"),
    _DemoUser("lena", "leadership", Role.VIEWER),
    _DemoUser("admin", "leadership", Role.ADMIN, is_superuser=True),
)


def standard_teams_setup() -> dict[str, Team]:
    """Create the marketing, sales and leadership teams that do not exist yet."""
    existing = {team.slug: team for team in Team.objects.filter(slug__in=STANDARD_TEAMS)}
    for slug, name in STANDARD_TEAMS.items():
        if slug not in existing:
            existing[slug] = team_create(actor=None, slug=slug, name=name)
    return existing


def demo_accounts_setup() -> list[DemoLogin]:
    """Create the standard teams and the demo logins (password ``alinea-demo``) that are missing.

    Idempotent: existing users and memberships are left as they are, so running it again changes
    nothing and writes no audit entry.
    """
    with transaction.atomic():
        teams = standard_teams_setup()
        for demo in DEMO_USERS:
            user = User.objects.filter(username=demo.username).first()
            if user is None:
                user = user_create(
                    actor=None,
                    username=demo.username,
                    password=DEMO_PASSWORD,
                    person_id=demo.person_id,
                    is_superuser=demo.is_superuser,
                )
            team = teams[demo.team]
            if not Membership.objects.filter(user=user, team=team).exists():
                team_member_add(actor=None, team=team, user=user, role=demo.role)
    return [
        DemoLogin(username=d.username, password=DEMO_PASSWORD, team=d.team, role=d.role.value)
        for d in DEMO_USERS
    ]
