"""Where a workspace keeps its state: one data directory, ``ALINEA_HOME`` (default ``./.alinea``).

Everything alinea writes by default lives there: the DuckDB warehouse, the SQLite app database and
the generated secret key. Both databases can be moved elsewhere with ``ALINEA_WAREHOUSE`` and
``DATABASE_URL``. This module is read by the warehouse, the web layer and the CLI alike, so it
imports nothing of theirs.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def home() -> Path:
    """The data directory, created on first use."""
    path = Path(os.environ.get("ALINEA_HOME", ".alinea")).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def warehouse_url() -> str:
    """``ALINEA_WAREHOUSE``, or a DuckDB file in the data directory."""
    return os.environ.get("ALINEA_WAREHOUSE") or f"duckdb:///{home() / 'warehouse.duckdb'}"


def app_database_url() -> str:
    """``DATABASE_URL``, or a SQLite file in the data directory."""
    return os.environ.get("DATABASE_URL") or f"sqlite:///{home() / 'app.sqlite3'}"


def secret_key() -> str:
    """``ALINEA_SECRET_KEY``, or a random key generated once and kept in the data directory."""
    if key := os.environ.get("ALINEA_SECRET_KEY"):
        return key
    path = home() / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()
