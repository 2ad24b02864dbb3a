"""The derived ``lead_firsts`` and ``lead_stays`` tables stay equal to a direct computation over
the stage changes through any sequence of ingests and rollbacks, and are set aside when facts change
behind their back."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ibis.backends import BaseBackend

from alinea.warehouse import firsts, ingest_many, reset_tables, rollback_batch
from alinea.warehouse.firsts import current_firsts, first_column, stays_beside
from alinea.warehouse.schema import LIFECYCLE_STAGES
from alinea.warehouse.staging import Staging

START = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
changes = st.tuples(
    st.sampled_from([f"l{i}" for i in range(6)]),
    st.sampled_from(LIFECYCLE_STAGES),
    st.integers(min_value=0, max_value=200).map(lambda h: START + dt.timedelta(hours=h)),
)
#: batches of changes; each batch may be rolled back after all were ingested
batches = st.lists(st.tuples(st.lists(changes, max_size=8, unique=True), st.booleans()), max_size=5)


def _sql(warehouse: BaseBackend, text: str) -> None:
    result = warehouse.raw_sql(text)
    if warehouse.name == "postgres":  # a cursor there; DuckDB hands back its connection
        result.close()


def _empty(warehouse: BaseBackend) -> None:
    reset_tables(warehouse)


def _expected(warehouse: BaseBackend) -> dict[str, dict[str, pd.Timestamp]]:
    """First entry per lead and stage, straight from the stored stage changes (pandas)."""
    stored = warehouse.table("stage_changes").execute()
    firsts = stored.groupby(["lead_id", "stage"]).changed_at.min()
    out: dict[str, dict[str, pd.Timestamp]] = {}
    for (lead, stage), at in firsts.items():
        out.setdefault(lead, {})[stage] = pd.Timestamp(at)
    return out


def _kept(warehouse: BaseBackend) -> dict[str, dict[str, pd.Timestamp]]:
    table = current_firsts(warehouse)
    assert table is not None, "the derived table should be current after alinea's own writes"
    out: dict[str, dict[str, pd.Timestamp]] = {}
    for row in table.execute().to_dict("records"):
        out[row["lead_id"]] = {
            stage: pd.Timestamp(row[first_column(stage)])
            for stage in LIFECYCLE_STAGES
            if not pd.isna(row[first_column(stage)])
        }
    return out


Stay = tuple[str, str, pd.Timestamp, pd.Timestamp | None, str | None]


def _stays_expected(warehouse: BaseBackend) -> list[Stay]:
    """Every change with the lead's next change time and previous stage, ordered in pandas by
    time and, at the same instant, by lifecycle position."""
    stored = warehouse.table("stage_changes").execute()
    stored["position"] = stored.stage.map(LIFECYCLE_STAGES.index)
    ordered = stored.sort_values(["lead_id", "changed_at", "position"])
    by_lead = ordered.groupby("lead_id")
    ordered["next_at"] = by_lead.changed_at.shift(-1)
    ordered["previous_stage"] = by_lead.stage.shift(1)
    return _stay_tuples(ordered)


def _stays_kept(warehouse: BaseBackend) -> list[Stay]:
    table = current_firsts(warehouse)
    assert table is not None
    return _stay_tuples(stays_beside(table).execute())


def _stay_tuples(frame: pd.DataFrame) -> list[Stay]:
    def value(cell: object) -> object:
        return None if cell is None or pd.isna(cell) else cell

    return sorted(
        (
            row["lead_id"],
            row["stage"],
            pd.Timestamp(row["changed_at"]),
            value(row["next_at"]),
            value(row["previous_stage"]),
        )
        for row in frame.to_dict("records")
    )


def _both_current(warehouse: BaseBackend) -> None:
    assert _kept(warehouse) == _expected(warehouse)
    assert _stays_kept(warehouse) == _stays_expected(warehouse)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(plan=batches)
def test_kept_equal_to_the_stage_changes_through_ingests_and_rollbacks(
    warehouse: BaseBackend, plan: list[tuple[list[tuple[str, str, dt.datetime]], bool]]
) -> None:
    _empty(warehouse)
    for number, (rows, _) in enumerate(plan):
        records = [
            {"lead_id": lead, "stage": s, "changed_at": at.isoformat()} for lead, s, at in rows
        ]
        if records:
            ingest_many(warehouse, {"stage_changes": records}, batch_id=f"b{number}")
        _both_current(warehouse)
    for number, (_, undo) in enumerate(plan):
        if undo:
            rollback_batch(warehouse, f"b{number}")
            _both_current(warehouse)


def test_a_write_behind_alineas_back_sets_the_table_aside_until_the_next_ingest(
    warehouse: BaseBackend,
) -> None:
    _empty(warehouse)
    row = {"lead_id": "a", "stage": "lead", "changed_at": START.isoformat()}
    ingest_many(warehouse, {"stage_changes": [row]})
    assert current_firsts(warehouse) is not None
    _sql(
        warehouse,
        "INSERT INTO stage_changes (lead_id, stage, changed_at) "
        "VALUES ('b', 'mql', TIMESTAMP '2025-01-02 00:00:00')",
    )
    assert current_firsts(warehouse) is None  # readers go back to the stage changes
    later = {
        "lead_id": "a",
        "stage": "mql",
        "changed_at": (START + dt.timedelta(days=3)).isoformat(),
    }
    ingest_many(warehouse, {"stage_changes": [later]})
    _both_current(warehouse)  # rebuilt whole, lead b included
    assert set(_kept(warehouse)) == {"a", "b"}


def test_a_staged_file_commit_keeps_the_table_current(warehouse: BaseBackend) -> None:
    _empty(warehouse)
    ingest_many(
        warehouse,
        {"stage_changes": [{"lead_id": "a", "stage": "mql", "changed_at": "2025-01-05T00:00:00Z"}]},
    )
    with Staging(warehouse, "file-1") as staging:
        staging.add(
            "stage_changes",
            pa.table(
                {
                    "lead_id": ["a", "a", "c"],
                    "stage": ["lead", "mql", "lead"],
                    "changed_at": [
                        "2025-01-01T00:00:00Z",
                        "2025-01-02T00:00:00Z",
                        "2025-01-03T00:00:00Z",
                    ],
                }
            ),
        )
        staging.commit()
    _both_current(warehouse)
    assert _kept(warehouse)["a"]["mql"] == pd.Timestamp("2025-01-02", tz="UTC")


def test_a_rebuild_in_parts_keeps_every_leads_stays_whole(
    warehouse: BaseBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Large rebuilds order each part of the leads in its own window (bounded memory): with parts
    of two changes, nine leads' changes still give the stays of a single window."""
    _empty(warehouse)
    monkeypatch.setattr(firsts, "STAYS_PART_ROWS", 2)
    stages = ["lead", "mql", "lead", "sql"]
    rows = [
        {
            "lead_id": f"lead-{n}",
            "stage": stage,
            "changed_at": (START + dt.timedelta(days=n, hours=step)).isoformat(),
        }
        for n in range(9)
        for step, stage in enumerate(stages[: 1 + n % 4])
    ]
    ingest_many(warehouse, {"stage_changes": rows})
    firsts.refresh_firsts(warehouse)  # whole rebuild: 25 changes in 13 parts on DuckDB
    _both_current(warehouse)
    assert len(_stays_kept(warehouse)) == len(rows)
