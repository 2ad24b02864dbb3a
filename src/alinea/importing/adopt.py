"""``adopt_unbatched``: facts written without a batch (the demo generator writes its facts with
plain ``ingest_many`` calls) become one import per fact table, so that the import history lists
them and each can be rolled back like an imported file.

Adopting only fills the batch tag of rows that have none; no fact is added, changed or removed.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import sqlglot as sg
from ibis.backends import BaseBackend

from alinea.importing.outcome import ImportRecord, TableResult
from alinea.warehouse.ingest import transaction
from alinea.warehouse.schema import BATCH_COLUMN, FACT_TABLES


def adopt_unbatched(
    con: BaseBackend, *, source: str, user: str, now: dt.datetime
) -> list[ImportRecord]:
    """Tag every fact table's facts without a batch with a new batch of their own, all in one
    transaction, and return the record of each (``mapping_name`` is ``source``; tables without
    such facts have none)."""
    unbatched = {name: _unbatched(con, name) for name in FACT_TABLES}
    batches = {
        name: f"{source}-{name}-{uuid.uuid4().hex[:8]}" for name, n in unbatched.items() if n
    }
    with transaction(con):
        for name, batch in batches.items():
            _execute(con, _tag_sql(con, name, batch))
    return [
        ImportRecord(
            batch_id=batch,
            status="imported",
            mapping_name=source,
            mapping={"adopted": name, "from": source},
            user=user,
            started_at=now,
            finished_at=now,
            files=(),
            tables={name: TableResult(name, unbatched[name], unbatched[name])},
        )
        for name, batch in batches.items()
    ]


def _unbatched(con: BaseBackend, name: str) -> int:
    table = con.table(name)
    return int(con.execute(table.filter(table[BATCH_COLUMN].isnull()).count()))


def _tag_sql(con: BaseBackend, name: str, batch: str) -> str:
    column = sg.column(BATCH_COLUMN, quoted=True)
    statement = sg.exp.update(
        sg.table(name, quoted=True),
        {BATCH_COLUMN: sg.exp.Literal.string(batch)},
        where=column.is_(sg.exp.Null()),
    )
    return statement.sql(dialect=con.dialect)


def _execute(con: Any, sql: str) -> None:
    """On the backend's own connection, inside the open ``transaction`` (as the warehouse does)."""
    con.con.execute(sql)
