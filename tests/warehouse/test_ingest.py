from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alinea.warehouse import FACT_TABLES, IngestError, connect, ingest, ingest_many, rollback_batch

UTC = dt.UTC


def lead(lead_id: str, **extra: object) -> dict[str, object]:
    return {"lead_id": lead_id, "created_at": "2025-03-01T09:30:00+01:00", **extra}


def rows(con, table: str, order: str) -> list[dict[str, object]]:
    return con.table(table).order_by(order).to_pandas().to_dict("records")


def test_valid_rows_are_stored_in_their_declared_types(warehouse) -> None:
    result = ingest(warehouse, "leads", [lead("l1", company_size=250, segment="mid_market")])
    assert (result.received, result.inserted, result.already_present) == (1, 1, 0)
    [stored] = rows(warehouse, "leads", "lead_id")
    assert stored["created_at"] == pd.Timestamp("2025-03-01T08:30:00", tz="UTC")
    assert stored["company_size"] == 250
    assert stored["segment"] == "mid_market"


def test_reingesting_the_same_rows_adds_nothing(warehouse) -> None:
    batch = [lead("l1"), lead("l2", channel="email")]
    ingest(warehouse, "leads", batch)
    again = ingest(warehouse, "leads", [*batch, lead("l3")])
    assert (again.received, again.inserted, again.already_present) == (3, 1, 2)
    assert [r["lead_id"] for r in rows(warehouse, "leads", "lead_id")] == ["l1", "l2", "l3"]


def test_batches_staged_in_duckdb_memory_are_released_after_ingest() -> None:
    con = connect("duckdb://")
    staged = "select count(*) from duckdb_views() where view_name like 'ibis_%memtable_%'"
    for i in range(3):
        ingest(con, "leads", [lead(f"l{i}")])
        with pytest.raises(IngestError):
            ingest(con, "leads", [lead(f"l{i}", channel="fax")])
    assert con.con.execute(staged).fetchone() == (0,)


def test_a_stored_key_with_other_values_is_a_conflict_and_nothing_is_written(warehouse) -> None:
    ingest(warehouse, "leads", [lead("l1", channel="email")])
    with pytest.raises(IngestError) as error:
        ingest(warehouse, "leads", [lead("l2"), lead("l1", channel="paid_search")])
    [problem] = error.value.problems
    assert (problem.row, problem.column, problem.value) == (2, "lead_id", ("l1",))
    assert "already stored with different values" in problem.reason
    assert [r["lead_id"] for r in rows(warehouse, "leads", "lead_id")] == ["l1"]


def test_every_problem_in_a_batch_is_named_and_nothing_is_written(warehouse) -> None:
    batch = [
        {"lead_id": "l1", "created_at": "2025-03-01T09:30:00"},  # no time zone
        {"lead_id": "l2", "created_at": "yesterday"},
        {"lead_id": "l3", "created_at": "2025-03-01T09:30:00Z", "company_size": "many"},
        {"lead_id": "l4", "created_at": "2025-03-01T09:30:00Z", "segment": "huge"},
        {"lead_id": "l4", "created_at": "2025-03-02T09:30:00Z"},
        {"lead_id": None, "created_at": "2025-03-01T09:30:00Z", "colour": "red"},
    ]
    with pytest.raises(IngestError) as error:
        ingest(warehouse, "leads", batch)
    found = {(p.row, p.column) for p in error.value.problems}
    assert found == {
        (None, "colour"),
        (1, "created_at"),
        (2, "created_at"),
        (3, "company_size"),
        (4, "segment"),
        (5, "lead_id"),
        (6, "lead_id"),
    }
    message = str(error.value)
    assert "nothing was written; 7 problems" in message
    assert "row 1, column 'created_at': expected a timestamp with a time zone" in message
    assert "row 5, column 'lead_id': the same key as row 4 in this batch" in message
    assert warehouse.table("leads").count().execute() == 0


def test_naive_datetimes_are_refused_whatever_their_form(warehouse) -> None:
    naive = dt.datetime(2025, 3, 1, 9, 30)  # noqa: DTZ001 - the point of the test
    frame = pd.DataFrame({"lead_id": ["a", "b"], "created_at": [naive, naive]})
    with pytest.raises(IngestError, match="expected a timestamp with a time zone"):
        ingest(warehouse, "leads", frame)
    with pytest.raises(IngestError, match="row 1, column 'created_at'"):
        ingest(warehouse, "leads", [{"lead_id": "a", "created_at": naive}])
    aware = [{"lead_id": "a", "created_at": dt.datetime(2025, 3, 1, 9, 30, tzinfo=UTC)}]
    assert ingest(warehouse, "leads", aware).inserted == 1


def test_missing_required_columns_and_conditional_reasons(warehouse) -> None:
    with pytest.raises(IngestError) as error:
        ingest(
            warehouse,
            "dispositions",
            [
                {"lead_id": "l1", "decided_at": "2025-03-01T10:00:00Z", "outcome": "rejected"},
                {"lead_id": "l2", "decided_at": "2025-03-01T10:00:00Z", "outcome": "accepted"},
            ],
        )
    found = {(p.row, p.column, p.reason) for p in error.value.problems}
    assert (None, "rep_id", "required column is missing") in found
    assert (1, "reason", "a value is required when outcome is 'rejected'") in found
    assert not any(p.row == 2 and p.column == "reason" for p in error.value.problems)


def test_an_unknown_fact_table_names_the_known_ones(warehouse) -> None:
    with pytest.raises(
        KeyError, match="unknown fact table 'contacts'; the fact tables are: people"
    ):
        ingest(warehouse, "contacts", [])


def test_several_tables_are_written_together_or_not_at_all(warehouse) -> None:
    good_leads = [lead("l1"), lead("l2")]
    bad_changes = [
        {"lead_id": "l1", "stage": "lead", "changed_at": "2025-03-01T09:30:00Z"},
        {"lead_id": "l1", "stage": "hot", "changed_at": "2025-03-02T09:30:00Z"},
    ]
    with pytest.raises(IngestError, match="stage_changes, row 2, column 'stage': not one of"):
        ingest_many(warehouse, {"leads": good_leads, "stage_changes": bad_changes})
    assert warehouse.table("leads").count().execute() == 0

    good_changes = bad_changes[:1]
    results = ingest_many(warehouse, {"leads": good_leads, "stage_changes": good_changes})
    assert {k: r.inserted for k, r in results.items()} == {"leads": 2, "stage_changes": 1}


def test_a_failure_while_writing_rolls_back_every_table(warehouse, monkeypatch) -> None:
    calls = []
    real_insert = type(warehouse).insert

    def insert_then_fail(self, name, obj, **kwargs):
        calls.append(name)
        real_insert(self, name, obj, **kwargs)
        if len(calls) == 2:
            raise RuntimeError("disk full")

    monkeypatch.setattr(type(warehouse), "insert", insert_then_fail)
    with pytest.raises(RuntimeError, match="disk full"):
        ingest_many(
            warehouse,
            {
                "leads": [lead("l1")],
                "stage_changes": [
                    {"lead_id": "l1", "stage": "lead", "changed_at": "2025-03-01T09:30:00Z"}
                ],
            },
        )
    monkeypatch.undo()
    assert calls == ["leads", "stage_changes"]
    assert warehouse.table("leads").count().execute() == 0
    assert warehouse.table("stage_changes").count().execute() == 0


def test_dates_money_and_flags_of_spend(warehouse) -> None:
    ingest(
        warehouse,
        "spend",
        [
            {
                "day": "2025-03-01",
                "channel": "paid_search",
                "campaign": "",
                "amount": 12.5,
                "currency": "EUR",
            }
        ],
    )
    with pytest.raises(IngestError) as error:
        ingest(
            warehouse,
            "spend",
            [
                {
                    "day": "01/03/2025",
                    "channel": "email",
                    "campaign": "x",
                    "amount": "lots",
                    "currency": "EUR",
                }
            ],
        )
    assert {(p.column, p.value) for p in error.value.problems} == {
        ("day", "01/03/2025"),
        ("amount", "lots"),
    }
    [stored] = rows(warehouse, "spend", "day")
    assert pd.Timestamp(stored["day"]).date() == dt.date(2025, 3, 1)
    assert stored["amount"] == 12.5


# Property: the warehouse depends only on the set of valid facts ingested, never on how often or in
# which order the batches arrived.
stage_rows = st.fixed_dictionaries(
    {
        "lead_id": st.sampled_from(["a", "b", "c"]),
        "stage": st.sampled_from(["lead", "mql", "sql"]),
        "changed_at": st.integers(0, 50).map(
            lambda h: (dt.datetime(2025, 1, 1, tzinfo=UTC) + dt.timedelta(hours=h)).isoformat()
        ),
        "changed_by": st.sampled_from(["system", "rep-1"]),
    }
)


def _key(row: dict[str, object]) -> tuple[object, ...]:
    return (row["lead_id"], row["stage"], row["changed_at"])


def _unique(batch: list[dict[str, object]]) -> list[dict[str, object]]:
    return list({_key(r): r for r in batch}.values())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches=st.lists(st.lists(stage_rows, max_size=6), max_size=4), data=st.data())
def test_any_order_and_repetition_of_batches_gives_the_same_warehouse(batches, data) -> None:
    # one meaning per key across batches, so that no batch conflicts with another
    meaning: dict[tuple[object, ...], dict[str, object]] = {}
    batches = [[meaning.setdefault(_key(r), r) for r in _unique(b)] for b in batches]
    replay = data.draw(st.permutations(batches + batches))

    once, twice = connect("duckdb://"), connect("duckdb://")
    for batch in batches:
        ingest(once, "stage_changes", batch)
    for batch in replay:
        ingest(twice, "stage_changes", batch)
    order = ["lead_id", "stage", "changed_at"]
    expected = once.table("stage_changes").order_by(order).to_pandas()
    assert len(expected) == len(meaning)
    pd.testing.assert_frame_equal(
        expected, twice.table("stage_changes").order_by(order).to_pandas()
    )


def test_a_batch_can_be_rolled_back_as_a_whole(warehouse) -> None:
    change = {"lead_id": "l1", "stage": "lead", "changed_at": "2025-03-01T09:30:00Z"}
    ingest_many(warehouse, {"leads": [lead("l1")], "stage_changes": [change]}, batch_id="imp-1")
    ingest(warehouse, "leads", [lead("l1"), lead("l2")], batch_id="imp-2")  # l1 stays imp-1's
    ingest(warehouse, "leads", [lead("l3")])

    assert rollback_batch(warehouse, "imp-1") == {
        **dict.fromkeys(FACT_TABLES, 0),
        "leads": 1,
        "stage_changes": 1,
    }
    assert [r["lead_id"] for r in rows(warehouse, "leads", "lead_id")] == ["l2", "l3"]
    assert rows(warehouse, "leads", "lead_id")[0]["batch_id"] == "imp-2"
    assert warehouse.table("stage_changes").count().execute() == 0
    assert rollback_batch(warehouse, "imp-1")["leads"] == 0
