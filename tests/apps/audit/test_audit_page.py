from __future__ import annotations

from django.test import Client

from alinea.apps.accounts.models import Membership, Role
from alinea.apps.accounts.services import membership_role_change


def _login(client: Client, make_user, role: Role = Role.VIEWER) -> Client:
    make_user("leadership", role, username="reader")
    client.login(username="reader", password="correct horse battery")
    return client


def test_every_user_reads_the_log_with_before_and_after(client: Client, make_user) -> None:
    admin = make_user("leadership", Role.ADMIN, username="boss")
    member = make_user("sales", Role.MEMBER, username="sally")
    membership = Membership.objects.get(user=member)
    membership_role_change(actor=admin, membership=membership, role=Role.TEAM_LEAD)

    html = _login(client, make_user).get("/audit/").content.decode()

    assert "membership_role_change" in html
    assert "boss" in html
    assert "<del>member</del> → <ins>team_lead</ins>" in html
    assert "sally · Sales · Team lead" in html


def test_filter_by_object(client: Client, make_user) -> None:
    first = make_user("sales", Role.MEMBER, username="first")
    make_user("marketing", Role.MEMBER, username="second")
    membership = Membership.objects.get(user=first)

    reader = _login(client, make_user)
    html = reader.get(
        "/audit/", {"object_type": "accounts.membership", "object_id": membership.pk}
    ).content.decode()
    assert "first · Sales" in html
    assert "second" not in html

    users_only = reader.get("/audit/", {"object_type": "accounts.user"}).content.decode()
    assert "user_create" in users_only
    assert "team_member_add" not in users_only


def test_log_is_paginated(client: Client, make_user) -> None:
    for _ in range(30):
        make_user("sales", Role.MEMBER)  # two entries each
    reader = _login(client, make_user)
    first = reader.get("/audit/").content.decode()
    assert "Page 1 of 2" in first
    assert "Older" in first
    second = reader.get("/audit/", {"page": 2}).content.decode()
    assert "Page 2 of 2" in second
    assert "Newer" in second
