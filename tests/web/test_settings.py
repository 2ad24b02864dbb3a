"""Settings come from the environment; production hardening passes Django's deploy check."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SHOW_SETTINGS = """
import json
from django.conf import settings
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "CSRF_TRUSTED_ORIGINS": settings.CSRF_TRUSTED_ORIGINS,
    "ENGINE": settings.DATABASES["default"]["ENGINE"],
    "NAME": str(settings.DATABASES["default"]["NAME"]),
    "STATIC_ROOT": str(settings.STATIC_ROOT),
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "SECRET_KEY": settings.SECRET_KEY,
}))
"""


def _run(args: list[str], home: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ALINEA_")}
    clean.pop("DATABASE_URL", None)
    clean.update({"ALINEA_HOME": str(home), "DJANGO_SETTINGS_MODULE": "alinea.web.settings", **env})
    return subprocess.run(args, env=clean, capture_output=True, text=True, timeout=120)


def _settings(home: Path, **env: str) -> dict[str, object]:
    result = _run(
        [sys.executable, "-c", "import django; django.setup()\n" + SHOW_SETTINGS], home, **env
    )
    assert result.returncode == 0, result.stderr
    shown: dict[str, object] = json.loads(result.stdout)
    return shown


def test_local_defaults(tmp_path: Path) -> None:
    shown = _settings(tmp_path)
    assert shown["DEBUG"] is False
    assert shown["ALLOWED_HOSTS"] == ["127.0.0.1", "localhost"]
    assert shown["ENGINE"] == "django.db.backends.sqlite3"
    assert shown["NAME"] == str(tmp_path / "app.sqlite3")
    assert shown["STATIC_ROOT"] == str(tmp_path / "static")
    assert shown["SESSION_COOKIE_SECURE"] is False  # the demo is plain http on 127.0.0.1
    assert shown["SECURE_SSL_REDIRECT"] is False
    assert shown["SECRET_KEY"] == (tmp_path / "secret_key").read_text().strip()


def test_environment_overrides(tmp_path: Path) -> None:
    shown = _settings(
        tmp_path,
        ALINEA_DEBUG="1",
        ALINEA_ALLOWED_HOSTS="alinea.example.com, intranet",
        ALINEA_CSRF_TRUSTED_ORIGINS="https://alinea.example.com",
        DATABASE_URL="postgresql://alinea:pw@db.example.com:5432/alinea",
        ALINEA_SECRET_KEY="k" * 60,
    )
    assert shown["DEBUG"] is True
    assert shown["ALLOWED_HOSTS"] == ["alinea.example.com", "intranet"]
    assert shown["CSRF_TRUSTED_ORIGINS"] == ["https://alinea.example.com"]
    assert shown["ENGINE"] == "django.db.backends.postgresql"
    assert shown["NAME"] == "alinea"
    assert shown["SECRET_KEY"] == "k" * 60


@pytest.mark.slow
def test_production_settings_pass_the_deploy_check(tmp_path: Path) -> None:
    args = [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"]
    production = _run(args, tmp_path, ALINEA_PRODUCTION="1")
    assert production.returncode == 0, production.stdout + production.stderr
    assert "no issues" in production.stdout

    local = _run(args, tmp_path)
    assert local.returncode != 0  # the local demo is not hardened: the flag is what does it
    assert "SECURE_SSL_REDIRECT" in local.stderr + local.stdout
