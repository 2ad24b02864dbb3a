from __future__ import annotations

from django.contrib.auth import authenticate

from alinea.apps.accounts.models import Membership, Team, User
from alinea.apps.accounts.services import DEMO_PASSWORD, demo_accounts_setup
from alinea.apps.audit.models import AuditEntry

EXPECTED = {
    "maria": ("marketing", "team_lead", "mkt-lead"),
    "sam": ("sales", "team_lead", "sales-lead"),
    "rita": ("sales", "member", "rep-001"),
    "mark": ("marketing", "member", "mkt-001"),
    "lena": ("leadership", "viewer", ""),
    "admin": ("leadership", "admin", ""),
}


def test_demo_accounts_setup_creates_teams_and_logins(db: None) -> None:
    logins = demo_accounts_setup()

    assert {(x.username, x.team, x.role) for x in logins} == {
        (name, team, role) for name, (team, role, _) in EXPECTED.items()
    }
    assert {x.password for x in logins} == {"alinea-demo"} == {DEMO_PASSWORD}
    assert set(Team.objects.values_list("slug", flat=True)) == {"marketing", "sales", "leadership"}
    for name, (team, role, person_id) in EXPECTED.items():
        user = User.objects.get(username=name)
        assert user.person_id == person_id
        assert Membership.objects.get(user=user).team.slug == team
        assert Membership.objects.get(user=user).role == role
        assert authenticate(username=name, password="alinea-demo") == user
    admin = User.objects.get(username="admin")
    assert admin.is_superuser
    assert admin.is_staff
    assert not User.objects.get(username="maria").is_staff


def test_demo_accounts_setup_is_idempotent(db: None) -> None:
    first = demo_accounts_setup()
    counts = (User.objects.count(), Membership.objects.count(), AuditEntry.objects.count())
    second = demo_accounts_setup()
    assert second == first
    assert (User.objects.count(), Membership.objects.count(), AuditEntry.objects.count()) == counts
