from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from alinea.apps.accounts.models import ApiToken, Role, Team, User
from alinea.apps.accounts.services import api_token_create, standard_teams_setup
from alinea.apps.audit.models import AuditEntry
from alinea.apps.audit.services import audit_record, snapshot


def test_snapshot_is_json_safe_and_leaves_secrets_out(make_user) -> None:
    user = make_user("sales", Role.MEMBER)
    api_token_create(actor=None, user=user, name="ci")
    token = ApiToken.objects.get(user=user)

    token_state = snapshot(token)
    user_state = snapshot(user)

    assert "digest" not in token_state
    assert token_state["user"] == user.pk
    assert token_state["name"] == "ci"
    assert dt.datetime.fromisoformat(token_state["created_at"]) == token.created_at
    assert token_state["revoked_at"] is None
    assert "password" not in user_state
    assert user_state["username"] == user.username


@pytest.mark.django_db(transaction=True)
def test_audit_record_needs_the_services_transaction() -> None:
    team = standard_teams_setup()["sales"]
    count = AuditEntry.objects.count()
    with pytest.raises(RuntimeError, match=r"transaction\.atomic"):
        audit_record(actor=None, action="team_touch", instance=team, before=None)
    assert AuditEntry.objects.count() == count


def test_an_entry_rolls_back_with_the_change(make_user, teams: dict[str, Team]) -> None:
    admin = make_user("leadership", Role.ADMIN)
    team = teams["marketing"]
    count = AuditEntry.objects.count()

    def rename_then_fail() -> None:
        with transaction.atomic():
            before = snapshot(team)
            team.name = "Growth"
            team.save()
            audit_record(actor=admin, action="team_rename", instance=team, before=before)
            raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        rename_then_fail()

    assert AuditEntry.objects.count() == count
    assert Team.objects.get(slug="marketing").name == "Marketing"


def test_an_update_entry_says_who_when_and_what(make_user, teams: dict[str, Team]) -> None:
    admin = make_user("leadership", Role.ADMIN, username="ada")
    team = teams["marketing"]
    with transaction.atomic():
        before = snapshot(team)
        team.name = "Growth marketing"
        team.save()
        entry = audit_record(actor=admin, action="team_rename", instance=team, before=before)

    entry.refresh_from_db()
    assert entry.actor == admin
    assert entry.actor_name == "ada"
    assert entry.at.tzinfo is not None
    assert entry.object_type == "accounts.team"
    assert entry.object_id == str(team.pk)
    assert entry.object_repr == "Growth marketing"
    assert entry.changes() == [("name", "Marketing", "Growth marketing")]
    assert entry.summary == "name: 'Marketing' → 'Growth marketing'"


def test_the_actor_name_outlives_the_user(make_user, teams: dict[str, Team]) -> None:
    admin = make_user("leadership", Role.ADMIN, username="gone")
    with transaction.atomic():
        entry = audit_record(
            actor=admin, action="team_touch", instance=teams["sales"], before=None, summary="x"
        )
    User.objects.filter(pk=admin.pk).delete()
    entry.refresh_from_db()
    assert entry.actor is None
    assert entry.actor_name == "gone"
    assert entry.summary == "x"
