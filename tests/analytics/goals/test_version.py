"""The facts version changes when rows are ingested or a batch is rolled back, and only then."""

from __future__ import annotations

import datetime as dt

from ibis.backends import BaseBackend

from alinea.analytics.facts import Facts
from alinea.analytics.goals.version import data_version
from alinea.warehouse import ingest, rollback_batch


def _lead(number: int) -> dict[str, str]:
    created = dt.datetime(2025, 1, 1, tzinfo=dt.UTC) + dt.timedelta(hours=number)
    return {"lead_id": f"v{number}", "created_at": created.isoformat(), "channel": "email"}


def test_version_follows_ingests_and_rollbacks(warehouse: BaseBackend) -> None:
    empty = data_version(Facts.of(warehouse))
    assert data_version(Facts.of(warehouse)) == empty
    ingest(warehouse, "leads", [_lead(1), _lead(2)], batch_id="first")
    after_first = data_version(Facts.of(warehouse))
    assert after_first != empty
    assert "leads:2:1:first:first" in after_first
    ingest(warehouse, "leads", [_lead(3)], batch_id="second")
    after_second = data_version(Facts.of(warehouse))
    assert after_second not in (empty, after_first)
    # ingesting the same rows again adds nothing, so the version stays
    ingest(warehouse, "leads", [_lead(3)], batch_id="third")
    assert data_version(Facts.of(warehouse)) == after_second
    rollback_batch(warehouse, "second")
    assert data_version(Facts.of(warehouse)) == after_first
