"""`alinea demo` and `alinea serve` as a new user runs them: real processes, a fresh home."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

ALINEA = str(Path(sys.executable).with_name("alinea"))
AS_OF = "2025-06-30"


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("ALINEA_WAREHOUSE", "DATABASE_URL")}
    return {**env, "ALINEA_HOME": str(home), "COLUMNS": "120"}


def _run(home: Path, *args: str) -> str:
    done = subprocess.run(
        [ALINEA, *args], env=_env(home), capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("alinea-home")
    _run(home, "demo", "--no-serve", "--leads", "1500", "--seed", "3", "--as-of", AS_OF)
    return home


def test_demo_builds_a_workspace_in_the_data_directory(home: Path) -> None:
    assert (home / "warehouse.duckdb").is_file()
    assert (home / "app.sqlite3").is_file()
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        leads = con.sql("select count(*), max(created_at) from leads").fetchone()
        assert leads is not None
        assert leads[0] == 1500
        assert str(leads[1])[:10] <= AS_OF
        (stages,) = con.sql("select count(distinct stage) from stage_changes").fetchone() or (0,)
        assert stages >= 5


def test_demo_prints_the_logins_and_reuses_a_built_workspace(home: Path) -> None:
    out = _run(home, "demo", "--no-serve", "--leads", "1500", "--seed", "3", "--as-of", AS_OF)
    assert "already built" in out
    assert "alinea-demo" in out
    for username in ("maria", "sam"):
        assert username in out


def test_a_bad_as_of_date_is_refused_with_the_reason(tmp_path: Path) -> None:
    done = subprocess.run(
        [ALINEA, "demo", "--no-serve", "--as-of", "30/06/2025"],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert "'30/06/2025' is not a date (YYYY-MM-DD)" in done.stderr + done.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(home: Path) -> Iterator[str]:
    port = _free_port()
    server = subprocess.Popen(
        [ALINEA, "serve", "--port", str(port)],
        env=_env(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{url}/accounts/login/", timeout=1)
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(
                        f"alinea serve exited: {server.stdout.read() if server.stdout else ''}"
                    )
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.communicate(timeout=10)


def test_serve_answers_with_the_login_page_and_keeps_pages_private(served: str) -> None:
    with urllib.request.urlopen(f"{served}/accounts/login/") as response:
        assert response.status == 200
        assert "alinea" in response.read().decode()
    with urllib.request.urlopen(f"{served}/") as response:  # redirected to the login page
        assert "/accounts/login/" in response.url


@pytest.mark.postgres
def test_demo_can_fill_a_postgres_warehouse(tmp_path: Path, postgres_warehouse_url: str) -> None:
    import psycopg

    env = {**_env(tmp_path), "ALINEA_WAREHOUSE": postgres_warehouse_url}
    args = ["demo", "--no-serve", "--leads", "300", "--seed", "5", "--as-of", AS_OF]
    done = subprocess.run([ALINEA, *args], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    with psycopg.connect(postgres_warehouse_url) as con:
        row = con.execute("select count(*), count(distinct lead_id) from leads").fetchone()
        assert row == (300, 300)
        (changes,) = con.execute("select count(*) from stage_changes").fetchone() or (0,)
        assert changes >= 300
