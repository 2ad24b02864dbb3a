"""Fixtures for the web shell: the demo logins and an isolated, empty warehouse."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from alinea.apps.accounts.services import DEMO_PASSWORD, DemoLogin, demo_accounts_setup


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def warehouse_url(tmp_path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"duckdb:///{tmp_path / 'warehouse.duckdb'}"
    monkeypatch.setenv("ALINEA_WAREHOUSE", url)
    return url


@pytest.fixture
def demo_logins(db: None) -> list[DemoLogin]:
    return demo_accounts_setup()


@pytest.fixture
def login_as(client: Client, demo_logins: list[DemoLogin]) -> Callable[[str], Client]:
    """``login_as("maria")``: the test client, logged in as that demo user."""

    def login(username: str) -> Client:
        assert client.login(username=username, password=DEMO_PASSWORD)
        return client

    return login
