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
STATE = "lead_firsts_state"


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


def _pivot(changes: ir.Table) -> ir.Table:
    return changes.group_by("lead_id").aggregate(
        **{
            first_column(stage): changes.changed_at.min(where=changes.stage == stage)
            for stage in LIFECYCLE_STAGES
        }
    )


def ensure_firsts(con: BaseBackend) -> None:
    """Create ``lead_firsts`` and its state if missing, built from the stored stage changes."""
    existing = set(con.list_tables())
    if FIRSTS in existing and STATE in existing:
        return
    for name in (FIRSTS, STATE):
        if name in existing:
            con.drop_table(name)
    con.create_table(FIRSTS, schema=firsts_schema())
    con.create_table(STATE, schema=ibis.schema({"built_from": "!int64"}))
    refresh_firsts(con)


def drop_firsts(con: BaseBackend) -> None:
    existing = set(con.list_tables())
    for name in (FIRSTS, STATE):
        if name in existing:
            con.drop_table(name)


def refresh_firsts(con: BaseBackend, lead_ids: Sequence[str] | None = None, added: int = 0) -> None:
    """Rebuild the rows of ``lead_ids`` (every lead when ``None``) from ``stage_changes``.

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
        _execute(con, f'DELETE FROM "{FIRSTS}"')
        con.insert(FIRSTS, _pivot(changes))
    else:
        ids = sorted(set(lead_ids))
        _execute(con, _DELETE_LEADS[con.name], [ids])
        wanted = ibis.memtable({"lead_id": ids}, schema={"lead_id": "string"})
        con.insert(FIRSTS, _pivot(changes.semi_join(wanted, "lead_id")))
    _execute(con, f'DELETE FROM "{STATE}"')
    _execute(con, f'INSERT INTO "{STATE}" (built_from) VALUES ({total})')


def _built_from(con: BaseBackend) -> int | None:
    built = con.execute(con.table(STATE).built_from.max())
    return None if built is None or pd.isna(built) else int(built)


#: Delete the rows of a list of leads, per engine (parameter styles differ).
_DELETE_LEADS = {
    "duckdb": f'DELETE FROM "{FIRSTS}" WHERE lead_id IN (SELECT UNNEST(?::VARCHAR[]))',
    "postgres": f'DELETE FROM "{FIRSTS}" WHERE lead_id = ANY(%s)',
}


def current_firsts(con: BaseBackend) -> ir.Table | None:
    """``lead_firsts`` when it matches the stored stage changes, else ``None``."""
    if not {FIRSTS, STATE} <= set(con.list_tables()):
        return None
    stored = int(con.execute(con.table("stage_changes").count()))
    if _built_from(con) != stored:
        return None
    return con.table(FIRSTS)


def _execute(con: Any, sql: str, params: list[Any] | None = None) -> None:
    """One statement on the backend's own connection (inside the caller's transaction)."""
    con.con.execute(sql, params)
