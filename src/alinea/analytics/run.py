"""The one module that executes expressions: everything else builds them.

Keeping execution in one place lets us add caching, timing and limits for every metric at once.
"""

from __future__ import annotations

from typing import Any

import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa


def fetch(expr: ir.Table) -> pd.DataFrame:
    """Run a table expression on its backend and return the rows."""
    return expr.to_pandas()


def fetch_arrow(expr: ir.Table) -> pa.Table:
    """Run a table expression and return its Arrow columns, for the fetches of millions of rows
    (the SLA clocks): Ibis' own pandas conversion costs more than the query there. The caller
    reads the Arrow types (timestamps stay in microseconds)."""
    return expr.to_pyarrow()


def fetch_scalar(expr: ir.Scalar) -> Any:
    """Run a scalar expression and return the Python value (``None`` for SQL NULL)."""
    value = expr.to_pandas()
    return None if pd.isna(value) else value
