from __future__ import annotations

import threading

import pytest

from alinea.web.warehouse import get_warehouse


def test_one_connection_per_thread(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALINEA_WAREHOUSE", f"duckdb:///{tmp_path / 'a.duckdb'}")
    here = get_warehouse()
    assert get_warehouse() is here

    seen = []
    thread = threading.Thread(target=lambda: seen.append(get_warehouse()))
    thread.start()
    thread.join()
    assert seen[0] is not here
    assert "leads" in seen[0].list_tables()


def test_a_new_warehouse_url_opens_a_new_connection(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("ALINEA_WAREHOUSE", f"duckdb:///{tmp_path / 'a.duckdb'}")
    first = get_warehouse()
    monkeypatch.setenv("ALINEA_WAREHOUSE", f"duckdb:///{tmp_path / 'b.duckdb'}")
    assert get_warehouse() is not first
    assert (tmp_path / "b.duckdb").exists()
