"""How fast the demo company is built, and what alinea's validated ingestion costs.

    python benchmarks/demo_generation.py [LEADS]      (default 200,000)

1. ``build_demo`` into a fresh DuckDB file: wall time, leads/s, rows, peak memory (RSS).
2. The same facts generated again without writing them: the generator's own share of the time.
3. The same frames written by DuckDB itself (``INSERT … SELECT`` from the pandas frames, one
   transaction per chunk) into another fresh file: a raw load with no validation, no staging, no
   idempotency check. The ratio ``alinea ingest / raw load`` is what validation and the
   append-only guarantees cost.

Peak memory is read right after step 1 (``resource.getrusage``, the process's maximum so far).
"""

from __future__ import annotations

import datetime as dt
import resource
import sys
import tempfile
import time
import warnings
from pathlib import Path

import duckdb

from alinea.demo import build_demo
from alinea.demo.build import fact_batches
from alinea.warehouse import FACT_TABLES, connect

AS_OF = dt.date(2025, 6, 30)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def timed_build(leads: int, folder: Path) -> tuple[float, int]:
    con = connect(f"duckdb:///{folder / 'alinea.duckdb'}")
    started = time.perf_counter()
    summary = build_demo(con, leads=leads, as_of=AS_OF)
    seconds = time.perf_counter() - started
    con.disconnect()
    return seconds, summary.total_rows


def timed_generation(leads: int) -> float:
    started = time.perf_counter()
    _, batches = fact_batches(leads=leads, seed=7, as_of=AS_OF)
    for _ in batches:
        pass
    return time.perf_counter() - started


def timed_raw_load(leads: int, folder: Path) -> tuple[float, int]:
    """DuckDB loading the same frames by itself; only the writing is timed."""
    path = folder / "raw.duckdb"
    connect(f"duckdb:///{path}").disconnect()  # the same empty tables
    con = duckdb.connect(str(path))
    _, batches = fact_batches(leads=leads, seed=7, as_of=AS_OF)
    seconds, rows = 0.0, 0
    for _, frames in batches:
        started = time.perf_counter()
        con.begin()
        for name, frame in frames.items():
            columns = ", ".join(f'"{c}"' for c in FACT_TABLES[name].column_names)
            with warnings.catch_warnings():  # DuckDB's pandas scan touches a deprecated attribute
                warnings.simplefilter("ignore", FutureWarning)
                con.register("batch", frame)
                con.execute(f'INSERT INTO "{name}" ({columns}) SELECT {columns} FROM batch')
            con.unregister("batch")
            rows += len(frame)
        con.commit()
        seconds += time.perf_counter() - started
    con.close()
    return seconds, rows


def main(leads: int) -> None:
    with tempfile.TemporaryDirectory(prefix="alinea-bench-") as tmp:
        folder = Path(tmp)
        build_seconds, rows = timed_build(leads, folder)
        peak = peak_rss_mb()
        generation = timed_generation(leads)
        raw_seconds, raw_rows = timed_raw_load(leads, folder)
    assert raw_rows == rows, (raw_rows, rows)
    ingest = build_seconds - generation
    print(f"demo company: {leads:,} leads, {rows:,} fact rows (DuckDB file)")
    print(f"  build_demo         {build_seconds:8.1f} s   {leads / build_seconds:10,.0f} leads/s")
    print(f"  peak memory        {peak:8.0f} MB (RSS, after build_demo)")
    print(f"  generation only    {generation:8.1f} s")
    print(
        f"  alinea ingest      {ingest:8.1f} s   {rows / ingest:10,.0f} rows/s (build − generation)"
    )
    print(f"  raw DuckDB load    {raw_seconds:8.1f} s   {rows / raw_seconds:10,.0f} rows/s")
    print(f"  ratio ingest/raw   {ingest / raw_seconds:8.1f} ×")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000)
