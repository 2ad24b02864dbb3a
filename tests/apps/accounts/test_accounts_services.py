from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from alinea.apps.accounts.models import ApiToken, Membership, Role, Team
from alinea.apps.accounts.services import (
    TOKEN_PREFIX,
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
    membership_role_change,
    team_member_add,
    team_member_remove,
    user_person_link,
)
from alinea.apps.audit.models import AuditEntry


def _entries(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action))


def test_team_member_add_is_audited(make_user, teams: dict[str, Team]) -> None:
    admin = make_user("leadership", Role.ADMIN)
    user = make_user()
    membership = team_member_add(actor=admin, team=teams["sales"], user=user, role=Role.MEMBER)

    [entry] = AuditEntry.objects.filter(action="team_member_add", actor=admin)
    assert entry.actor_name == admin.username
    assert entry.object_type == "accounts.membership"
    assert entry.object_id == str(membership.pk)
    assert entry.before is None
    assert entry.after is not None
    assert entry.after["role"] == "member"
    assert entry.after["team"] == teams["sales"].pk


def test_membership_role_change_records_before_and_after(make_user, teams) -> None:
    admin = make_user("leadership", Role.ADMIN)
    user = make_user("sales", Role.MEMBER)
    membership = Membership.objects.get(user=user)

    membership_role_change(actor=admin, membership=membership, role=Role.TEAM_LEAD)

    membership.refresh_from_db()
    assert membership.role == Role.TEAM_LEAD
    [entry] = _entries("membership_role_change")
    assert entry.changes() == [("role", "member", "team_lead")]
    assert entry.summary == "role: 'member' → 'team_lead'"


def test_team_member_remove_keeps_the_last_state(make_user) -> None:
    user = make_user("marketing", Role.MEMBER)
    membership = Membership.objects.get(user=user)
    membership_id = membership.pk

    team_member_remove(actor=None, membership=membership)

    assert not Membership.objects.filter(pk=membership_id).exists()
    [entry] = _entries("team_member_remove")
    assert entry.object_id == str(membership_id)
    assert entry.before is not None
    assert entry.before["role"] == "member"
    assert entry.after is None
    assert entry.actor is None
    assert entry.actor_name == ""


@pytest.mark.parametrize("role", [Role.VIEWER, Role.MEMBER, Role.TEAM_LEAD])
def test_only_admins_manage_accounts(make_user, teams, role: Role) -> None:
    actor = make_user("sales", role)
    user = make_user()
    entries = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        team_member_add(actor=actor, team=teams["sales"], user=user, role=Role.MEMBER)
    with pytest.raises(PermissionDenied):
        membership_role_change(
            actor=actor, membership=Membership.objects.get(user=actor), role=Role.ADMIN
        )
    assert not Membership.objects.filter(user=user).exists()
    assert Membership.objects.get(user=actor).role == role
    assert AuditEntry.objects.count() == entries


def test_one_membership_per_team(make_user, teams) -> None:
    user = make_user("sales", Role.MEMBER)
    with pytest.raises(ValidationError):
        team_member_add(actor=None, team=teams["sales"], user=user, role=Role.VIEWER)


def test_an_invalid_role_is_refused_and_nothing_is_audited(make_user, teams) -> None:
    user = make_user()
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError):
        team_member_add(actor=None, team=teams["sales"], user=user, role="boss")  # type: ignore[arg-type]
    assert AuditEntry.objects.count() == before


def test_person_id_is_unique_when_set(make_user) -> None:
    first, second, third = make_user(), make_user(), make_user()
    user_person_link(actor=None, user=first, person_id="rep-001")
    with pytest.raises(ValidationError):
        user_person_link(actor=None, user=second, person_id="rep-001")
    user_person_link(actor=None, user=second, person_id="")
    user_person_link(actor=None, user=third, person_id="")  # several unlinked users are fine
    first_link = AuditEntry.objects.filter(action="user_person_link").order_by("id").first()
    assert first_link is not None
    assert first_link.changes() == [("person_id", "", "rep-001")]


def test_api_token_is_stored_as_a_digest_and_shown_once(make_user) -> None:
    user = make_user("sales", Role.MEMBER)
    secret = api_token_create(actor=user, user=user, name="CRM import")

    token = ApiToken.objects.get(user=user)
    assert secret.startswith(TOKEN_PREFIX)
    assert secret not in (token.digest, token.prefix)
    assert secret.startswith(token.prefix)
    assert len(secret) > 40
    [entry] = _entries("api_token_create")
    assert "digest" not in (entry.after or {})
    assert secret not in str(entry.after)
    assert api_token_authenticate(secret=secret) == user
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_revoked_tokens_and_inactive_users_do_not_authenticate(make_user) -> None:
    user = make_user("sales", Role.MEMBER)
    revoked = api_token_create(actor=None, user=user, name="old")
    kept = api_token_create(actor=None, user=user, name="new")
    api_token_revoke(actor=user, token=ApiToken.objects.get(name="old"))
    api_token_revoke(actor=user, token=ApiToken.objects.get(name="old"))  # again: no change

    assert api_token_authenticate(secret=revoked) is None
    assert api_token_authenticate(secret=kept) == user
    assert api_token_authenticate(secret=kept + "x") is None
    assert api_token_authenticate(secret="not-a-token") is None
    assert len(_entries("api_token_revoke")) == 1
    user.is_active = False
    user.save()
    assert api_token_authenticate(secret=kept) is None


def test_tokens_are_created_and_revoked_by_their_owner_or_an_admin(make_user) -> None:
    owner = make_user("sales", Role.MEMBER)
    lead = make_user("sales", Role.TEAM_LEAD)
    admin = make_user("leadership", Role.ADMIN)
    with pytest.raises(PermissionDenied):
        api_token_create(actor=lead, user=owner, name="not mine")
    api_token_create(actor=admin, user=owner, name="by admin")
    token = ApiToken.objects.get(user=owner)
    with pytest.raises(PermissionDenied):
        api_token_revoke(actor=lead, token=token)
    api_token_revoke(actor=admin, token=token)
    assert not ApiToken.objects.get(pk=token.pk).is_active


def test_a_token_needs_a_name(make_user) -> None:
    user = make_user()
    with pytest.raises(ValidationError):
        api_token_create(actor=user, user=user, name="   ")
