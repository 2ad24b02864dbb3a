"""Facts: the schema of each fact table, ``connect(url)`` and ``ingest`` (validate → append).

This package never imports Django or the web layer (checked by import-linter).
"""

from alinea.warehouse.connect import connect, ensure_tables, reset_tables
from alinea.warehouse.errors import IngestError, Problem, WarehouseError, WarehouseURLError
from alinea.warehouse.ingest import (
    IngestResult,
    ingest,
    ingest_many,
    rollback_batch,
    transaction,
)
from alinea.warehouse.schema import FACT_TABLES, FactTable, fact_table

__all__ = [
    "FACT_TABLES",
    "FactTable",
    "IngestError",
    "IngestResult",
    "Problem",
    "WarehouseError",
    "WarehouseURLError",
    "connect",
    "ensure_tables",
    "fact_table",
    "ingest",
    "ingest_many",
    "reset_tables",
    "rollback_batch",
    "transaction",
]
