"""Importing large CSV files: alinea's import path beside DuckDB's own ``read_csv``.

    python benchmarks/imports.py [LEADS [STAGE_CHANGES]]
        (default 1,000,000 leads and 10,000,000 stage changes; e.g. 200000 for a quick run,
        in which case the stage-changes file gets ten times as many rows; 0 skips a file)

1. Two CSV files (``<table>-<rows>.csv``) are generated once per size and kept in the temp
   directory (``ALINEA_BENCH_DATA`` overrides the folder): a leads export (id, ISO creation time
   with zone, channel, source, segment, company, size, country) and a stage-changes export (lead,
   stage, ISO time with zone, who moved it). Values are drawn with a fixed seed from the schema's
   allowed channels, segments and lifecycle stages; keys are unique, so every row is one fact.
2. Each file is loaded, each way in its own child process, into a fresh DuckDB file:
   - alinea: ``alinea.importing.commit`` with an explicit mapping (rename, value map, zone) —
     hashing, reading, validating every value, staging and the atomic commit;
   - DuckDB: ``CREATE TABLE … AS SELECT * FROM read_csv(…)`` (its own sniffing and parsing).
   The clock covers the load only (imports and the empty warehouse are made before it starts);
   peak memory is the child's maximum resident set (``wait4``). Row counts are checked. Each runs
   ``BENCH_REPEAT`` times (default 1; the machine may be shared): best time, largest peak.
3. Prints wall time, rows/s and peak memory of each, and the ratios alinea ÷ DuckDB. Targets
   (issue 3): within 2× of DuckDB's time; peak memory under 2 GB for the stage-changes file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from alinea.importing import Mapping

SEED = 20250630
DEFAULT_LEADS = 1_000_000
DEFAULT_CHANGES = 10_000_000
TIME_TARGET = 2.0
MEMORY_TARGET_MB = 2048
_WRITE_ROWS = 1_000_000
_ZONES = ("+00:00", "+01:00", "-05:00", "+05:30", "Z")
_SOURCES = ("google", "linkedin", "newsletter", "partner", "webinar", "bing", "facebook")
_CHANNEL_LABELS = {  # how a CRM export spells them → the schema's channels
    "Organic Search": "organic_search",
    "Paid Search": "paid_search",
    "Paid Social": "paid_social",
    "Email": "email",
    "Referral": "referral",
    "Events": "events",
    "Direct": "direct",
    "Partners": "partners",
}


# ---------------------------------------------------------------- data


def data_folder() -> Path:
    root = os.environ.get("ALINEA_BENCH_DATA")
    folder = Path(root) if root else Path(tempfile.gettempdir()) / "alinea-bench-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _times(rng: np.random.Generator, n: int) -> np.ndarray:
    import numpy as np

    start = np.datetime64("2023-01-01T00:00:00")
    seconds = rng.integers(0, 2 * 365 * 86_400, n)
    stamps = np.datetime_as_string(start + seconds.astype("timedelta64[s]"), unit="s")
    return np.char.add(stamps.astype(object), np.array(_ZONES, object)[rng.integers(0, 5, n)])


Block = Callable[["np.random.Generator", int, int], "pd.DataFrame"]


def _write_csv(path: Path, total: int, block: Block) -> None:
    import numpy as np

    partial = path.with_suffix(".partial")
    rng = np.random.default_rng(SEED)
    with partial.open("w", encoding="utf-8", newline="") as out:
        for start in range(0, total, _WRITE_ROWS):
            frame = block(rng, start, min(total, start + _WRITE_ROWS))
            frame.to_csv(out, index=False, header=start == 0)
    partial.rename(path)


def _leads_block(rng: np.random.Generator, start: int, end: int) -> pd.DataFrame:
    import numpy as np
    import pandas as pd

    from alinea.warehouse.schema import SEGMENTS

    n = end - start
    ids = np.arange(start, end)
    labels = np.array(list(_CHANNEL_LABELS), object)
    return pd.DataFrame(
        {
            "Lead ID": np.char.add("L", ids.astype(str).astype(object)),
            "Created": _times(rng, n),
            "Channel": labels[rng.integers(0, len(labels), n)],
            "Source": np.array(_SOURCES, object)[rng.integers(0, len(_SOURCES), n)],
            "Segment": np.array(SEGMENTS, object)[rng.integers(0, len(SEGMENTS), n)],
            "Company": np.char.add("Company ", (ids // 3).astype(str).astype(object)),
            "Employees": rng.integers(1, 20_000, n),
            "Country": np.array(("ES", "US", "DE", "FR", "MX", "GB"), object)[
                rng.integers(0, 6, n)
            ],
        }
    )


def _changes_block(rng: np.random.Generator, start: int, end: int) -> pd.DataFrame:
    import numpy as np
    import pandas as pd

    from alinea.warehouse.schema import LIFECYCLE_STAGES

    n = end - start
    rows = np.arange(start, end)
    width = len(LIFECYCLE_STAGES)  # row k is stage k % 6 of lead k // 6: keys are unique
    return pd.DataFrame(
        {
            "Lead": np.char.add("L", (rows // width).astype(str).astype(object)),
            "Stage": np.array(LIFECYCLE_STAGES, object)[rows % width],
            "Changed At": _times(rng, n),
            "Changed By": np.char.add("rep-", rng.integers(1, 200, n).astype(str).astype(object)),
        }
    )


_BLOCKS: dict[str, Block] = {"leads": _leads_block, "stage_changes": _changes_block}


def make_files(leads: int, changes: int) -> dict[str, tuple[Path, int]]:
    """The two files, generated when missing — in a child process, so that this process stays
    small: a child's maximum resident set starts from its parent's on Linux."""
    folder = data_folder()
    files = {"leads": leads, "stage_changes": changes}
    paths = {name: folder / f"{name}-{rows}.csv" for name, rows in files.items() if rows}
    for name, path in paths.items():
        if not path.exists():
            print(f"generating {files[name]:,} rows of {name} in {path} …", flush=True)
            args = [sys.executable, __file__, "--generate", name, str(files[name]), str(path)]
            subprocess.run(args, check=True)
    return {name: (path, files[name]) for name, path in paths.items()}


# ---------------------------------------------------------------- the two loaders (children)


def mapping(table: str) -> Mapping:
    from alinea.importing import FileMapping, Mapping
    from alinea.importing.mapping import column, output

    if table == "leads":
        out = output(
            "leads",
            lead_id=column("Lead ID"),
            created_at=column("Created"),
            channel=column("Channel", values=dict(_CHANNEL_LABELS)),
            source=column("Source"),
            segment=column("Segment"),
            company=column("Company"),
            company_size=column("Employees"),
            country=column("Country"),
        )
    else:
        out = output(
            "stage_changes",
            lead_id=column("Lead"),
            stage=column("Stage"),
            changed_at=column("Changed At"),
            changed_by=column("Changed By"),
        )
    return Mapping(name=f"bench-{table}", timezone="UTC", files=(FileMapping("*", (out,)),))


def load_alinea(table: str, csv: Path, db: Path) -> int:
    from alinea.importing import commit
    from alinea.warehouse import connect

    con = connect(f"duckdb:///{db}")
    chosen = mapping(table)
    started = time.perf_counter()
    record = commit(con, [csv], chosen)
    elapsed = time.perf_counter() - started
    rows = int(con.table(table).count().execute())
    assert record.status == "imported", record.status
    con.disconnect()
    return _report(elapsed, rows)


def load_duckdb(table: str, csv: Path, db: Path) -> int:
    import duckdb

    con = duckdb.connect(str(db))
    started = time.perf_counter()
    con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_csv(?)", [str(csv)])
    elapsed = time.perf_counter() - started
    row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    con.close()
    return _report(elapsed, int(row[0]) if row else 0)


def _report(elapsed: float, rows: int) -> int:
    print(json.dumps({"seconds": elapsed, "rows": rows}))
    return 0


LOADERS = {"alinea": load_alinea, "duckdb": load_duckdb}


def run_child(way: str, table: str, csv: Path) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="alinea-bench-") as folder:
        db = Path(folder) / "warehouse.duckdb"
        args = [sys.executable, __file__, "--child", way, table, str(csv), str(db)]
        env = {**os.environ, "ALINEA_HOME": folder}
        child = subprocess.Popen(args, stdout=subprocess.PIPE, env=env)
        assert child.stdout is not None
        output = child.stdout.read()
        _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{way} failed on {table} (exit {os.waitstatus_to_exitcode(status)})")
    result = json.loads(output.decode().strip().splitlines()[-1])
    result["peak_mb"] = usage.ru_maxrss / 1024  # Linux reports KiB
    return result


def best_of(way: str, table: str, csv: Path) -> dict[str, float]:
    """``BENCH_REPEAT`` runs (default 1): the best time and the largest peak memory."""
    runs = [run_child(way, table, csv) for _ in range(int(os.environ.get("BENCH_REPEAT", "1")))]
    best = min(runs, key=lambda r: r["seconds"])
    return {**best, "peak_mb": max(r["peak_mb"] for r in runs)}


# ---------------------------------------------------------------- main


def _warm(path: Path) -> None:
    """Read the file once so that neither loader pays for a cold file cache."""
    with path.open("rb") as file:
        while file.read(1 << 24):
            pass


def main(argv: list[str]) -> None:
    if argv[:1] == ["--generate"]:
        name, rows, target = argv[1:4]
        _write_csv(Path(target), int(rows), _BLOCKS[name])
        return
    if argv[:1] == ["--child"]:
        way, table, source, db = argv[1:5]
        raise SystemExit(LOADERS[way](table, Path(source), Path(db)))
    leads = int(argv[0]) if argv else DEFAULT_LEADS
    changes = int(argv[1]) if len(argv) > 1 else (DEFAULT_CHANGES if not argv else leads * 10)
    files = make_files(leads, changes)
    print(f"{'file':<14} {'way':<7} {'rows':>11} {'seconds':>8} {'rows/s':>11} {'peak MB':>8}")
    failed = False
    for table, (csv, expected) in files.items():
        _warm(csv)
        results = {way: best_of(way, table, csv) for way in LOADERS}
        for way, r in results.items():
            rate = r["rows"] / r["seconds"]
            print(
                f"{table:<14} {way:<7} {r['rows']:>11,} {r['seconds']:>8.2f} "
                f"{rate:>11,.0f} {r['peak_mb']:>8.0f}"
            )
            if r["rows"] != expected:
                print(f"  !! {way} loaded {r['rows']:,} rows, expected {expected:,}")
                failed = True
        a, d = results["alinea"], results["duckdb"]
        ratio, memory = a["seconds"] / d["seconds"], a["peak_mb"] / d["peak_mb"]
        met = "met" if ratio <= TIME_TARGET else "NOT met"
        print(f"{table:<14} alinea ÷ DuckDB: time {ratio:.2f}× ({met}), peak memory {memory:.2f}×")
        if table == "stage_changes":
            ok = "met" if a["peak_mb"] < MEMORY_TARGET_MB else "NOT met"
            print(f"{'':<14} alinea peak {a['peak_mb']:.0f} MB (< {MEMORY_TARGET_MB} MB: {ok})")
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main(sys.argv[1:])
