"""Each lead's first entry into every lifecycle stage, kept beside the facts as a derived table.

Every funnel number starts from "when did this lead first enter stage S": a GROUP BY over all stage
changes with one group per lead, the most expensive step of any funnel query. The warehouse keeps
the answer in ``lead_firsts`` (one row per lead with a stage change, one ``first_<stage>`` column
per lifecycle stage), refreshed inside the transaction of every write to ``stage_changes``
(``ingest_many``, staged file commits, ``rollback_batch``). ``lead_firsts_state`` records how many
stage changes it was built from; when facts were written behind alinea's back that count differs
and :func:`current_firsts` answers ``None``, so readers go back to the facts.

The table is exact for any cut-off ``now`` too: the first entry before ``now`` is the first entry
when that is before ``now``, and there is none otherwise.

Beside it, refreshed in the same transaction and guarded by the same state, ``lead_stays`` holds
every stage change with its neighbours in the lead's history — ``next_at`` (the lead's next change)
and ``previous_stage`` — ordered by time, simultaneous changes in lifecycle order. Stays, stalls and
backward moves then need no window over all stage changes. It is exact for any ``now`` as well:
before ``now`` the next change is ``next_at`` if that is before ``now`` (else none yet), and the
previous change, being earlier, is always there.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd
from ibis.backends import BaseBackend

from alinea.warehouse.schema import LIFECYCLE_STAGES

FIRSTS = "lead_firsts"
STAYS = "lead_stays"
STATE = "lead_firsts_state"
#: The derived tables, refreshed together.
DERIVED = (FIRSTS, STAYS)


def first_column(stage: str) -> str:
    """The column of ``lead_firsts`` holding the first entry into ``stage``."""
    return f"first_{stage}"


def firsts_schema() -> ibis.Schema:
    return ibis.schema(
        {
            "lead_id": "!string",
            **{first_column(s): "timestamp('UTC')" for s in LIFECYCLE_STAGES},
        }
    )


def stays_schema() -> ibis.Schema:
    return ibis.schema(
        {
            "lead_id": "!string",
            "stage": "!string",
            "changed_at": "!timestamp('UTC', 6)",
            "changed_by": "string",
            "next_at": "timestamp('UTC', 6)",
            "previous_stage": "string",
        }
    )


def _pivot(changes: ir.Table) -> ir.Table:
    return changes.group_by("lead_id").aggregate(
        **{
            first_column(stage): changes.changed_at.min(where=changes.stage == stage)
            for stage in LIFECYCLE_STAGES
        }
    )


def _neighbours(changes: ir.Table) -> ir.Table:
    """Each stage change with the lead's next change time and previous stage (see the docstring)."""
    position = changes.stage.substitute(
        {stage: index for index, stage in enumerate(LIFECYCLE_STAGES)}, else_=ibis.null("int64")
    )
    placed = changes.mutate(position=position)
    order = ibis.window(group_by="lead_id", order_by=["changed_at", "position"])
    return placed.select(
        "lead_id",
        "stage",
        "changed_at",
        "changed_by",
        next_at=placed.changed_at.lead().over(order),
        previous_stage=placed.stage.lag().over(order),
    )


def ensure_firsts(con: BaseBackend) -> None:
    """Create the derived tables and their state if any is missing, built from the stage changes."""
    existing = set(con.list_tables())
    if {*DERIVED, STATE} <= existing:
        return
    drop_firsts(con)
    con.create_table(FIRSTS, schema=firsts_schema())
    con.create_table(STAYS, schema=stays_schema())
    con.create_table(STATE, schema=ibis.schema({"built_from": "!int64"}))
    refresh_firsts(con)


def drop_firsts(con: BaseBackend) -> None:
    existing = set(con.list_tables())
    for name in (*DERIVED, STATE):
        if name in existing:
            con.drop_table(name)


def refresh_firsts(con: BaseBackend, lead_ids: Sequence[str] | None = None, added: int = 0) -> None:
    """Rebuild the rows of ``lead_ids`` (every lead when ``None``) of the derived tables from
    ``stage_changes``.

    Call it inside the transaction that wrote the stage changes, after writing ``added`` of them.
    When the table was not current before that write (stage changes written behind alinea's
    back), every lead is rebuilt.
    """
    if FIRSTS not in con.list_tables():
        return
    changes = con.table("stage_changes")
    total = int(con.execute(changes.count()))
    if lead_ids is not None and _built_from(con) != total - added:
        lead_ids = None
    if lead_ids is None:
        for name in DERIVED:
            _execute(con, f'DELETE FROM "{name}"')
        touched = changes
    else:
        ids = sorted(set(lead_ids))
        for name in DERIVED:
            _execute(con, _DELETE_LEADS[con.name].format(table=name), [ids])
        wanted = ibis.memtable({"lead_id": ids}, schema={"lead_id": "string"})
        touched = changes.semi_join(wanted, "lead_id")
    con.insert(FIRSTS, _pivot(touched))
    for part in _parts(con, touched, total if lead_ids is None else len(lead_ids)):
        con.insert(STAYS, _neighbours(part))
    _execute(con, f'DELETE FROM "{STATE}"')
    _execute(con, f'INSERT INTO "{STATE}" (built_from) VALUES ({total})')


#: Leads' stage changes ordered in one window per part of about this many changes: DuckDB's
#: window operator holds its partition in memory, and a staged import runs under a lowered memory
#: limit (a 10M-row import ran out of memory in one window).
STAYS_PART_ROWS = 1_000_000


def _parts(con: BaseBackend, changes: ir.Table, rows: int) -> list[ir.Table]:
    """``changes`` split by lead into parts of about ``STAYS_PART_ROWS`` rows (DuckDB only; one
    part elsewhere). Every lead's changes fall in exactly one part."""
    count = rows // STAYS_PART_ROWS + 1
    if con.name != "duckdb" or count == 1:
        return [changes]
    bucket = (changes.lead_id.hash() % count + count) % count
    return [changes.filter(bucket == part) for part in range(count)]


def _built_from(con: BaseBackend) -> int | None:
    built = con.execute(con.table(STATE).built_from.max())
    return None if built is None or pd.isna(built) else int(built)


#: Delete the rows of a list of leads, per engine (parameter styles differ).
_DELETE_LEADS = {
    "duckdb": 'DELETE FROM "{table}" WHERE lead_id IN (SELECT UNNEST(?::VARCHAR[]))',
    "postgres": 'DELETE FROM "{table}" WHERE lead_id = ANY(%s)',
}


def current_firsts(con: BaseBackend) -> ir.Table | None:
    """``lead_firsts`` when it matches the stored stage changes, else ``None``."""
    if not {*DERIVED, STATE} <= set(con.list_tables()):
        return None
    stored = int(con.execute(con.table("stage_changes").count()))
    if _built_from(con) != stored:
        return None
    return con.table(FIRSTS)


def stays_beside(firsts: ir.Table) -> ir.Table:
    """``lead_stays`` of the warehouse that holds ``firsts`` (a table from ``current_firsts``):
    refreshed with it, so current whenever ``firsts`` is."""
    return ibis.get_backend(firsts).table(STAYS)


def _execute(con: Any, sql: str, params: list[Any] | None = None) -> None:
    """One statement on the backend's own connection (inside the caller's transaction)."""
    con.con.execute(sql, params)
