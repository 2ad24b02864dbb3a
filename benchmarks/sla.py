"""SLA clocks and compliance: alinea (Ibis gather + vectorised business time) against a
straightforward per-row Python implementation, on the demo company.

    python benchmarks/sla.py [LEADS] [SAMPLE]      (default 3,600,000 leads ≈ 1,000,000 MQLs;
                                                    per-row sample 5,000 MQLs)
    SLA_BENCH_WAREHOUSE=/some/demo.duckdb python benchmarks/sla.py   (reuse a demo warehouse;
                                                    built there on the first run)

1. The demo company is built into a DuckDB file by a separate process (so the peak memory
   measured here is the SLA's, not the generator's), in a temporary folder or, with
   ``SLA_BENCH_WAREHOUSE``, at that path, kept for the next run (building 3.6M leads takes
   minutes).
2. alinea: what ``lead_clocks`` does (gather on DuckDB fetched as Arrow, business time in numpy)
   and ``compliance`` by rep per week for the three clocks, over every MQL event of the history:
   wall time, split in its three parts, CPU time of all threads, and peak RSS. The machine's
   load average is printed before and after: on a shared machine wall times move with it, so
   the CPU-time ratio is printed too.
3. Per-row Python: the gathered facts, then for a sample of MQL events each one's calendar,
   due times and business time elapsed computed by walking its days one by one (zoneinfo +
   holidays), as one would with a business-hours helper applied row by row. The time per row is
   extrapolated to every event; the ratio is per-row / alinea. The sample's statuses are checked
   against alinea's.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
from ibis.backends import BaseBackend

from alinea.analytics import sla
from alinea.analytics.facts import Facts
from alinea.analytics.periods import Period
from alinea.analytics.run import fetch_arrow
from alinea.analytics.sla.gather import sla_facts
from alinea.warehouse import connect

AS_OF = dt.date(2025, 6, 30)
NOW = dt.datetime(2025, 7, 1, tzinfo=dt.UTC)
HISTORY = Period(dt.date(2024, 1, 1), dt.date(2025, 7, 1))
_REGIONS = {
    "North America": ("America/New_York", "US"),
    "EMEA": ("Europe/Madrid", "ES"),
    "LATAM": ("America/Mexico_City", "MX"),
    "APAC": ("Asia/Singapore", "SG"),
}


def demo_policy() -> sla.SlaPolicy:
    """The demo SLA (see ``alinea.apps.sla.demo_policy``), built without Django."""

    def calendar(zone: str, country: str) -> sla.BusinessCalendar:
        return sla.BusinessCalendar.weekdays(zone, "09:00-18:00", country=country)

    return sla.SlaPolicy(
        marketing=sla.MarketingCommitment(targets=(), quality_floor=0.5),
        sales=sla.SalesCommitment(
            first_response_hours=4, attempts=3, attempts_within_days=5, disposition_within_days=5
        ),
        calendars=sla.CalendarRules(
            default=calendar("Europe/Madrid", "ES"),
            by_region={r: calendar(z, c) for r, (z, c) in _REGIONS.items()},
        ),
    )


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(leads: int, path: Path) -> None:
    code = (
        "import sys, datetime as dt; from alinea.demo import build_demo; "
        "from alinea.warehouse import connect; con = connect(sys.argv[1]); "
        f"build_demo(con, leads={leads}, as_of=dt.date.fromisoformat('{AS_OF}')); con.disconnect()"
    )
    subprocess.run([sys.executable, "-c", code, f"duckdb:///{path}"], check=True)


# --- the per-row baseline: one MQL at a time, one day at a time --------------------------------


def _pieces(calendar: sla.BusinessCalendar, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    zone = ZoneInfo(calendar.timezone)
    return [
        (
            dt.datetime.combine(day, h.start, zone),
            dt.datetime.combine(day, h.end, zone)
            if h.end_seconds < 86_400
            else dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), zone),
        )
        for h in calendar.hours_on(day)
    ]


def _walk(calendar: sla.BusinessCalendar, start: dt.datetime):  # type: ignore[no-untyped-def]
    """Each working day from ``start``: (its pieces clipped to start, the day's full length)."""
    day = start.astimezone(ZoneInfo(calendar.timezone)).date()
    while True:
        pieces = _pieces(calendar, day)
        length = sum((b - a).total_seconds() for a, b in pieces)
        clipped = [(max(a, start), b) for a, b in pieces if b > start]
        if length:
            yield clipped, length
        day += dt.timedelta(days=1)


def row_add_hours(calendar, start: dt.datetime, hours: float) -> dt.datetime:  # type: ignore[no-untyped-def]
    left = hours * 3600
    for pieces, _ in _walk(calendar, start):
        for a, b in pieces:
            if (b - a).total_seconds() >= left:
                return a + dt.timedelta(seconds=left)
            left -= (b - a).total_seconds()
    raise AssertionError


def row_add_days(calendar, start: dt.datetime, days: float) -> dt.datetime:  # type: ignore[no-untyped-def]
    left = days
    for pieces, length in _walk(calendar, start):
        for a, b in pieces:
            share = (b - a).total_seconds() / length
            if share >= left:
                return a + dt.timedelta(seconds=left * length)
            left -= share
    raise AssertionError


def row_status(done: dt.datetime | None, due: dt.datetime, now: dt.datetime) -> str:
    if done is not None:
        return "met" if done <= due else "breached"
    return "breached" if now > due else "open"


def per_row(frame: pd.DataFrame, policy: sla.SlaPolicy) -> list[tuple[str, str, str]]:
    out = []
    for row in frame.itertuples(index=False):
        calendar = policy.calendars.calendar_for(
            manager_id=row.manager_id, region=row.rep_region, timezone=row.rep_timezone
        )
        start = row.mql_at.to_pydatetime()
        sales = policy.sales

        def done(value):  # type: ignore[no-untyped-def]
            return None if pd.isna(value) else value.to_pydatetime()

        out.append(
            (
                row_status(
                    done(row.responded_at),
                    row_add_hours(calendar, start, sales.first_response_hours),
                    NOW,
                ),
                row_status(
                    done(row.kth_attempt_at),
                    row_add_days(calendar, start, sales.attempts_within_days),
                    NOW,
                ),
                row_status(
                    done(row.decided_at),
                    row_add_days(calendar, start, sales.disposition_within_days),
                    NOW,
                ),
            )
        )
    return out


@dataclass(frozen=True)
class Measured:
    clocks: pd.DataFrame
    gathered: pd.DataFrame
    compliance_rows: int
    seconds: float
    cpu_seconds: float
    parts: tuple[float, float, float]
    peak_mb: float


def timed_alinea(con: BaseBackend, policy: sla.SlaPolicy) -> Measured:
    """alinea's SLA clocks and compliance, timed in parts: query + fetch (Arrow), business time
    and statuses, compliance tables; and the peak RSS while doing it."""
    facts = Facts.of(con)
    cpu = time.process_time()
    started = time.perf_counter()
    gathered = fetch_arrow(sla_facts(facts, policy.sales, period=HISTORY, now=NOW))
    frame = gathered.to_pandas(split_blocks=True, self_destruct=True)
    del gathered
    fetched = time.perf_counter()
    clocks = sla.clocks_of(frame, policy, now=NOW)
    computed = time.perf_counter()
    tables = [sla.compliance(clocks, clock=c, by=["rep"], every="week") for c in sla.CLOCKS]
    done = time.perf_counter()
    return Measured(
        clocks=clocks,
        gathered=frame,
        compliance_rows=sum(len(t) for t in tables),
        seconds=done - started,
        cpu_seconds=time.process_time() - cpu,
        parts=(fetched - started, computed - fetched, done - computed),
        peak_mb=peak_rss_mb(),
    )


def check_sample(statuses: list[tuple[str, str, str]], rows: pd.DataFrame, clocks: pd.DataFrame):  # type: ignore[no-untyped-def]
    """The per-row statuses agree with alinea's (open = pending or at risk)."""
    expected = clocks.set_index(["lead_id", "mql_at"]).loc[
        list(zip(rows.lead_id, rows.mql_at, strict=True))
    ]
    for (response, attempts, disposition), (_, mine) in zip(
        statuses, expected.iterrows(), strict=True
    ):
        for got, column in (
            (response, "response_status"),
            (attempts, "attempts_status"),
            (disposition, "disposition_status"),
        ):
            assert got == mine[column] or (got == "open" and mine[column] in ("pending", "at_risk"))


def warehouse_file(leads: int, folder: Path) -> Path:
    """The demo warehouse to measure: ``$SLA_BENCH_WAREHOUSE`` (a DuckDB file built by an earlier
    run with the same as-of day; kept between runs) or a fresh one in ``folder``."""
    given = os.environ.get("SLA_BENCH_WAREHOUSE")
    path = Path(given) if given else folder / "demo.duckdb"
    if not path.exists():
        started = time.perf_counter()
        build(leads, path)
        print(f"demo company: {leads:,} leads built in {time.perf_counter() - started:.0f} s")
    return path


def main(leads: int, sample: int) -> None:
    policy = demo_policy()
    print("load average before (1, 5, 15 min): " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    with tempfile.TemporaryDirectory(prefix="alinea-bench-sla-") as tmp:
        con = connect(f"duckdb:///{warehouse_file(leads, Path(tmp))}")
        baseline_rss = peak_rss_mb()
        mine = timed_alinea(con, policy)
        con.disconnect()
    clocks, frame = mine.clocks, mine.gathered
    chosen = sorted(random.Random(7).sample(range(len(frame)), min(sample, len(frame))))
    rows = frame.iloc[chosen]
    started, cpu = time.perf_counter(), time.process_time()
    statuses = per_row(rows, policy)
    row_seconds = time.perf_counter() - started
    row_cpu = (time.process_time() - cpu) / len(rows) * len(clocks)
    check_sample(statuses, rows, clocks)
    seconds = mine.seconds
    extrapolated = row_seconds / len(rows) * len(clocks)
    query, business, compliance = mine.parts
    print(f"MQL events: {len(clocks):,}; compliance tables: {mine.compliance_rows:,} rows")
    print(f"  alinea (gather + clocks + compliance)  {seconds:8.2f} s")
    print(f"    query and Arrow fetch                 {query:8.2f} s")
    print(f"    business time and statuses (numpy)    {business:8.2f} s")
    print(f"    compliance by rep and week            {compliance:8.2f} s")
    print(
        f"  peak memory                            {mine.peak_mb:8.0f} MB RSS "
        f"({baseline_rss:.0f} MB before)"
    )
    print(f"  per-row Python, {len(rows):,} sampled        {row_seconds:8.2f} s")
    print(f"  per-row Python, extrapolated            {extrapolated:8.1f} s")
    print(f"  ratio per-row / alinea                  {extrapolated / seconds:8.0f} ×")
    print(
        f"  CPU time (all threads): alinea {mine.cpu_seconds:.1f} s, per-row extrapolated "
        f"{row_cpu:.0f} s, ratio {row_cpu / mine.cpu_seconds:.0f} ×"
    )
    print("load average after (1, 5, 15 min):  " + " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    arguments = [int(a) for a in sys.argv[1:]]
    main(*(arguments + [3_600_000, 5_000][len(arguments) :]))
