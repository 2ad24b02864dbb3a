"""The monthly-cohort funnel on a demo workspace: alinea beside hand-written SQL, pandas and polars.

    python benchmarks/funnel.py [LEADS]      (default 4,000,000; e.g. 200000 for a quick run)

The question, asked four ways: for each month in which leads entered the funnel and each channel,
how many leads reached each step (lead → MQL → SQL → opportunity → customer, a skipped stage
counting as passed, within 90 days of step 1), the step-to-step conversion and the median days
from the previous step.

1. ``alinea demo --leads N --no-serve --as-of 2025-06-30`` builds the workspace in ``ALINEA_HOME``
   (default: a folder per N in the temp directory), or reuses it when it already holds this demo
   — a workspace holding another demo (other N or as-of day) is rebuilt, so point ``ALINEA_HOME``
   only at a folder made for benchmarks. The warehouse is the workspace's DuckDB file
   (``ALINEA_WAREHOUSE`` is ignored).
   The stage changes and leads are also exported once to Parquet for pandas and polars.
2. Each implementation runs in its own child process, ``REPEAT`` times (env ``BENCH_REPEAT``,
   default 2, the first warms the file cache); the best time is kept and the peak memory (maximum
   resident set of the child, from ``wait4``) is the largest seen. Each child first warms up
   (imports, and for alinea the same funnel on an empty in-memory warehouse), as a long-running
   server would be; the clock then covers the whole question: opening the data (the DuckDB file,
   or the Parquet files) and computing the answer. Both the wall time and the CPU time of the
   child (all its threads) are reported: on a shared machine the CPU time is the steadier one.
   alinea reads the ``lead_firsts`` table the warehouse keeps beside the stage changes at ingest
   (``alinea.warehouse.firsts``); what rebuilding it and ``lead_stays`` (refreshed with it) from
   scratch costs is printed too. A workspace built before ``lead_stays`` existed gets it the
   first time it is opened: open it once (``alinea serve``, or this benchmark's first run) before
   reading the timings.
3. The four answers must agree (counts exactly, conversions and medians to 1e-9 days).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

AS_OF = "2025-06-30"
NOW = dt.datetime(2025, 7, 1, tzinfo=dt.UTC)
STAGES = ("lead", "mql", "sql", "opportunity", "customer")
WINDOW_DAYS = 90
BASELINE = "hand SQL"
COLUMNS = ["period", "breakdown", "step", "leads", "step_conversion", "median_days"]


# ---------------------------------------------------------------- the four implementations


def run_alinea(home: Path) -> pd.DataFrame:
    return alinea_funnel(f"duckdb:///{home / 'warehouse.duckdb'}")


def alinea_funnel(url: str) -> pd.DataFrame:
    from alinea.analytics.facts import Facts
    from alinea.analytics.funnel import FunnelSpec, funnel
    from alinea.analytics.run import fetch
    from alinea.warehouse import connect

    spec = FunnelSpec(
        stages=STAGES,
        mode="any",
        basis="cohort",
        grain="month",
        window_days=WINDOW_DAYS,
        breakdown="channel",
        top_n=10,
    )
    con = connect(url)
    rows = fetch(funnel(Facts.of(con), spec, NOW))
    con.disconnect()
    return rows[COLUMNS]


def hand_sql() -> str:
    firsts = ",\n    ".join(
        f"MIN(changed_at) FILTER (WHERE stage = '{stage}') AS f{k}"
        for k, stage in enumerate(STAGES, start=1)
    )
    count = len(STAGES)
    least = ",\n    ".join(
        f"epoch_us(LEAST({', '.join(f'f{j}' for j in range(k, count + 1))})) AS s{k}"
        for k in range(1, count + 1)
    )
    window = WINDOW_DAYS * 86_400_000_000
    kept = ",\n    ".join(
        f"CASE WHEN s{k} <= s1 + {window} THEN s{k} END AS s{k}" for k in range(2, count + 1)
    )
    counts = ", ".join(f"COUNT(s{k}) AS leads_{k}" for k in range(1, count + 1))
    medians = ", ".join(
        f"MEDIAN((s{k} - s{k - 1}) / 86400000000.0) AS days_{k}" for k in range(2, count + 1)
    )
    stages = ", ".join(f"'{stage}'" for stage in STAGES)
    return f"""
WITH firsts AS (
  SELECT lead_id,
    {firsts}
  FROM stage_changes
  WHERE stage IN ({stages}) AND changed_at < TIMESTAMPTZ '{NOW.isoformat()}'
  GROUP BY lead_id
), steps AS (
  SELECT lead_id,
    {least}
  FROM firsts
), windowed AS (
  SELECT lead_id, s1,
    {kept}
  FROM steps
)
SELECT CAST(date_trunc('month', make_timestamp(w.s1)) AS DATE) AS period,
  COALESCE(l.channel, '(none)') AS breakdown,
  {counts}, {medians}
FROM windowed AS w LEFT JOIN leads AS l USING (lead_id)
GROUP BY ALL
"""


def run_hand_sql(home: Path) -> pd.DataFrame:
    import duckdb

    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    con.execute("SET TimeZone = 'UTC'")
    wide = con.execute(hand_sql()).df()
    con.close()
    return to_long(wide)


def run_pandas(home: Path) -> pd.DataFrame:
    changes = pd.read_parquet(home / "bench" / "stage_changes.parquet")
    leads = pd.read_parquet(home / "bench" / "leads.parquet")
    changes = changes[changes.stage.isin(STAGES) & (changes.changed_at < pd.Timestamp(NOW))]
    firsts = changes.groupby(["lead_id", "stage"]).changed_at.min().unstack()
    firsts = firsts.reindex(columns=list(STAGES))
    steps, later = {}, None
    for k in range(len(STAGES), 0, -1):  # step k: the earliest first entry into stage k or later
        first = firsts[STAGES[k - 1]]
        earlier = later.isna() | (first.notna() & (first <= later)) if later is not None else None
        later = first if later is None else first.where(earlier, later)
        steps[k] = later
    limit = steps[1] + pd.Timedelta(days=WINDOW_DAYS)
    frame = pd.DataFrame(
        {f"s{k}": steps[k].where(steps[k] <= limit) if k > 1 else steps[k] for k in steps}
    )
    frame = frame[frame.s1.notna()]
    for k in range(2, len(STAGES) + 1):
        frame[f"d{k}"] = (frame[f"s{k}"] - frame[f"s{k - 1}"]).dt.total_seconds() / 86400
    frame["period"] = frame.s1.dt.tz_localize(None).dt.to_period("M").dt.start_time
    channel = leads.set_index("lead_id").channel
    frame["breakdown"] = frame.index.map(channel).fillna("(none)")
    grouped = frame.groupby(["period", "breakdown"])
    wide = pd.DataFrame(
        {
            **{f"leads_{k}": grouped[f"s{k}"].count() for k in range(1, len(STAGES) + 1)},
            **{f"days_{k}": grouped[f"d{k}"].median() for k in range(2, len(STAGES) + 1)},
        }
    ).reset_index()
    return to_long(wide)


def run_polars(home: Path) -> pd.DataFrame:
    import polars as pl

    count = len(STAGES)
    changes = pl.scan_parquet(home / "bench" / "stage_changes.parquet").filter(
        pl.col("stage").is_in(STAGES) & (pl.col("changed_at") < NOW)
    )
    firsts = changes.group_by("lead_id").agg(
        pl.col("changed_at").filter(pl.col("stage") == stage).min().alias(f"f{k}")
        for k, stage in enumerate(STAGES, start=1)
    )
    steps = firsts.select(
        "lead_id",
        *(
            pl.min_horizontal(*(f"f{j}" for j in range(k, count + 1))).alias(f"s{k}")
            for k in range(1, count + 1)
        ),
    )
    limit = pl.col("s1") + pl.duration(days=WINDOW_DAYS)
    windowed = steps.with_columns(
        pl.when(pl.col(f"s{k}") <= limit).then(pl.col(f"s{k}")).alias(f"s{k}")
        for k in range(2, count + 1)
    )
    timed = windowed.with_columns(
        ((pl.col(f"s{k}") - pl.col(f"s{k - 1}")).dt.total_microseconds() / 86_400_000_000).alias(
            f"d{k}"
        )
        for k in range(2, count + 1)
    )
    leads = pl.scan_parquet(home / "bench" / "leads.parquet")
    labelled = timed.join(leads, on="lead_id", how="left").with_columns(
        period=pl.col("s1").dt.truncate("1mo").dt.replace_time_zone(None),
        breakdown=pl.col("channel").fill_null("(none)"),
    )
    wide = labelled.group_by("period", "breakdown").agg(
        *(pl.col(f"s{k}").count().alias(f"leads_{k}") for k in range(1, count + 1)),
        *(pl.col(f"d{k}").median().alias(f"days_{k}") for k in range(2, count + 1)),
    )
    return to_long(wide.collect().to_pandas())


def warm_duckdb() -> None:
    import duckdb

    duckdb.connect().execute("SELECT 1").fetchall()


def warm_polars() -> None:
    import polars as pl

    pl.LazyFrame({"a": [1]}).collect()


#: name → (warm-up, run). The warm-up runs before the clock starts: imports and first-use
#: initialisation are paid once by a long-running process (the web server), not per question.
IMPLEMENTATIONS: dict[str, tuple[Callable[[], object], Callable[[Path], pd.DataFrame]]] = {
    "alinea": (lambda: alinea_funnel("duckdb://"), run_alinea),
    "hand SQL": (warm_duckdb, run_hand_sql),
    "pandas": (lambda: pd.DataFrame({"a": [1]}).to_parquet(os.devnull), run_pandas),
    "polars lazy": (warm_polars, run_polars),
}


def to_long(wide: pd.DataFrame) -> pd.DataFrame:
    """One row per (period, breakdown, step) from one per (period, breakdown): a few hundred."""
    parts = []
    for k in range(1, len(STAGES) + 1):
        leads = wide[f"leads_{k}"].astype("int64")
        previous = wide[f"leads_{k - 1}"].astype("float64") if k > 1 else None
        parts.append(
            pd.DataFrame(
                {
                    "period": wide.period,
                    "breakdown": wide.breakdown,
                    "step": k,
                    "leads": leads,
                    "step_conversion": (leads / previous).where(previous > 0)
                    if k > 1
                    else float("nan"),
                    "median_days": wide[f"days_{k}"].astype("float64") if k > 1 else float("nan"),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def child(name: str, home: Path, out: Path) -> None:
    """Run one implementation, write its answer and print the seconds it took."""
    warm, run = IMPLEMENTATIONS[name]
    warm()
    started, cpu_started = time.perf_counter(), _cpu_seconds()
    answer = run(home)
    seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu_started
    answer = answer.assign(
        period=pd.to_datetime(answer.period).astype("datetime64[ns]"),
        step=answer.step.astype("int64"),
        leads=answer.leads.astype("int64"),
        step_conversion=answer.step_conversion.astype("float64"),
        median_days=answer.median_days.astype("float64"),
    )
    answer.to_parquet(out)
    print(json.dumps({"seconds": seconds, "cpu": cpu}))


def _cpu_seconds() -> float:
    """CPU time of this process, every thread: steadier than the wall clock on a shared machine."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def firsts_rebuild_seconds(home: Path) -> float:
    """How long rebuilding the derived ``lead_firsts`` table from every stage change takes (what
    an import of the whole history pays once; later imports refresh only the leads they touch)."""
    from alinea.warehouse import connect
    from alinea.warehouse.firsts import refresh_firsts
    from alinea.warehouse.ingest import transaction

    con = connect(f"duckdb:///{home / 'warehouse.duckdb'}")
    started = time.perf_counter()
    with transaction(con):
        refresh_firsts(con)
    seconds = time.perf_counter() - started
    con.disconnect()
    return seconds


# ---------------------------------------------------------------- the parent: run, compare, report


def workspace(leads: int) -> Path:
    home = os.environ.get("ALINEA_HOME") or str(
        Path(tempfile.gettempdir()) / f"alinea-bench-{leads}"
    )
    env = {**os.environ, "ALINEA_HOME": home}
    env.pop("ALINEA_WAREHOUSE", None)  # the implementations read the workspace's DuckDB file
    alinea = Path(sys.executable).with_name("alinea")
    command = [str(alinea), "demo", "--leads", str(leads), "--no-serve", "--as-of", AS_OF]
    subprocess.run(command, env=env, check=True)
    return Path(home)


def export_parquet(home: Path) -> None:
    """Stage changes and leads as Parquet, once per workspace (pandas and polars read them)."""
    import duckdb

    marker = home / "bench" / "exported"
    if marker.exists() and marker.stat().st_mtime > (home / "warehouse.duckdb").stat().st_mtime:
        return
    marker.parent.mkdir(exist_ok=True)
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    con.execute("SET TimeZone = 'UTC'")
    for table, columns in [
        ("stage_changes", "lead_id, stage, changed_at"),
        ("leads", "lead_id, channel"),
    ]:
        target = home / "bench" / f"{table}.parquet"
        con.execute(f"COPY (SELECT {columns} FROM {table}) TO '{target}' (FORMAT parquet)")
    con.close()
    marker.touch()


def run_child(name: str, home: Path, out: Path) -> tuple[float, float, float]:
    """Wall and CPU seconds (measured in the child) and peak memory in MB of one implementation."""
    command = [sys.executable, __file__, "--child", name, str(home), str(out)]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{name} failed with exit code {child.returncode}")
    times = json.loads(output.strip().splitlines()[-1])
    return times["seconds"], times["cpu"], usage.ru_maxrss / 1024


def compare(answers: dict[str, pd.DataFrame]) -> None:
    keys = ["period", "breakdown", "step"]
    base = answers[BASELINE].sort_values(keys).reset_index(drop=True)
    for name, frame in answers.items():
        frame = frame.sort_values(keys).reset_index(drop=True)
        counted = [*keys, "leads"]
        assert frame[counted].equals(base[counted]), f"{name}: counts differ"
        for column in ("step_conversion", "median_days"):
            pd.testing.assert_series_equal(
                frame[column], base[column], check_exact=False, atol=1e-9, rtol=1e-9, obj=name
            )


def main(leads: int) -> None:
    repeat = int(os.environ.get("BENCH_REPEAT", "2"))
    started = time.perf_counter()
    home = workspace(leads)
    export_parquet(home)
    print(f"workspace {home} ready in {time.perf_counter() - started:.1f} s")
    results: dict[str, tuple[float, float, float]] = {}
    answers: dict[str, pd.DataFrame] = {}
    with tempfile.TemporaryDirectory(prefix="alinea-funnel-") as tmp:
        for name in IMPLEMENTATIONS:
            out = Path(tmp) / f"{name.replace(' ', '_')}.parquet"
            runs = [run_child(name, home, out) for _ in range(repeat)]
            results[name] = (
                min(r[0] for r in runs),
                min(r[1] for r in runs),
                max(r[2] for r in runs),
            )
            answers[name] = pd.read_parquet(out)
    compare(answers)
    report(leads, answers[BASELINE], results)
    print(
        "alinea reads the lead_firsts table the warehouse keeps at ingest; rebuilding it and "
        f"lead_stays from every stage change took {firsts_rebuild_seconds(home):.2f} s here"
    )
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


def report(
    leads: int, answer: pd.DataFrame, results: dict[str, tuple[float, float, float]]
) -> None:
    base, base_cpu = results[BASELINE][:2]
    alinea, alinea_cpu = results["alinea"][:2]
    print(
        f"monthly-cohort funnel, {leads:,} leads: {len(answer):,} rows (month × channel × step), "
        "all four agree"
    )
    print(
        f"  {'implementation':<16}{'wall s':>8}{'÷ hand SQL':>12}{'÷ alinea':>10}"
        f"{'CPU s':>8}{'÷ hand SQL':>12}{'÷ alinea':>10}{'peak MB':>9}"
    )
    for name, (seconds, cpu, peak) in results.items():
        print(
            f"  {name:<16}{seconds:8.2f}{seconds / base:11.2f}×{seconds / alinea:9.2f}×"
            f"{cpu:8.2f}{cpu / base_cpu:11.2f}×{cpu / alinea_cpu:9.2f}×{peak:9.0f}"
        )
    print("targets: alinea ≤ 1.3× hand SQL, pandas ≥ 5× alinea, polars ≥ 1× alinea, peak ≤ 3 GB")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 4_000_000)
