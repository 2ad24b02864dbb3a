"""A fingerprint of the facts, so that numbers computed from them can be kept until they change.

Every fact row carries the ingest batch that wrote it (``batch_id``). Ingesting adds rows of a new
batch and rolling a batch back removes them, so the row count, the number of distinct batches and
the first and last batch id of every table change whenever the facts do.

>>> from alinea.warehouse import connect
>>> version = data_version(Facts.of(connect("duckdb://")))
>>> version.startswith("people:0:0")
True
"""

from __future__ import annotations

import ibis

from alinea.analytics.facts import Facts
from alinea.analytics.run import fetch

BATCH_COLUMN = "batch_id"


def data_version(facts: Facts) -> str:
    """One short text that changes whenever rows are added to or removed from any fact table."""
    parts = []
    for name, table in facts.tables().items():
        batch = table[BATCH_COLUMN]
        parts.append(
            table.aggregate(
                rows=table.count(),
                batches=batch.nunique(),
                first=batch.min(),
                last=batch.max(),
            ).mutate(name=ibis.literal(name))
        )
    rows = fetch(ibis.union(*parts)).to_dict("records")
    by_name = {row["name"]: row for row in rows}
    return ";".join(
        f"{name}:{by_name[name]['rows']}:{by_name[name]['batches']}:"
        f"{by_name[name]['first']}:{by_name[name]['last']}"
        for name in facts.tables()
    )
