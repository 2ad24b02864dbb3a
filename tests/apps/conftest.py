"""Fixtures for the Django apps: teams, users with a given role, an isolated warehouse."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from alinea.apps.accounts.models import Role, Team, User
from alinea.apps.accounts.services import standard_teams_setup, team_member_add, user_create

MakeUser = Callable[..., User]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    """Hashing passwords the production way takes most of a second per user."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def warehouse_url(tmp_path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test gets its own (empty until filled) DuckDB warehouse file."""
    url = f"duckdb:///{tmp_path / 'warehouse.duckdb'}"
    monkeypatch.setenv("ALINEA_WAREHOUSE", url)
    return url


@pytest.fixture
def teams(db: None) -> dict[str, Team]:
    return standard_teams_setup()


@pytest.fixture
def make_user(teams: dict[str, Team]) -> MakeUser:
    """``make_user("sales", Role.MEMBER)``: a user with that role in that team (or in none)."""
    counter = iter(range(1, 1_000_000))

    def make(
        team: str | None = None,
        role: Role | None = None,
        *,
        username: str | None = None,
        superuser: bool = False,
        password: str = "correct horse battery",
    ) -> User:
        user = user_create(
            actor=None,
            username=username or f"user{next(counter)}",
            password=password,
            is_superuser=superuser,
        )
        if team is not None and role is not None:
            team_member_add(actor=None, team=teams[team], user=user, role=role)
        return user

    return make
