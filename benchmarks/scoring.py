"""Points scoring and a 12-month backtest at scale: alinea beside a hand-written DuckDB query.

    python benchmarks/scoring.py [LEADS] [TOUCHPOINTS]   (default 1,000,000 and 10,000,000)

1. The workspace is synthesised straight into a DuckDB warehouse with SQL (``generate_series`` and
   seeded ``hash``es, so the same sizes give the same facts): LEADS leads created over the 15
   months before ``NOW`` (segment, country, one of 40 owners), TOUCHPOINTS touchpoints spread over
   those leads (each between its lead's creation and ``NOW``, eight types, whole seconds), and
   stage changes (a share of the leads reach sql, opportunity and customer) for the backtest's
   outcomes. It is kept in ``ALINEA_BENCH_HOME`` (default: a folder per size in the temp
   directory) and reused when it is there.
2. The points model is the demo company's MQL model (``alinea.apps.definitions.demo``): fit points
   for enterprise and mid-market, two engagement rules over the touchpoints of the last 90 days
   with a 30-day half-life and caps, the total held within [0, 100].
3. Three questions, each in its own child process, ``BENCH_REPEAT`` times (default 2, the first
   warms the file cache); the best time and the largest peak memory (maximum resident set of the
   child, from ``wait4``) are kept. The clock covers opening the warehouse and the answer in
   pandas:
   - **alinea score**: ``points_scores`` for every lead at ``NOW``, as an Arrow table;
   - **hand SQL score**: one hand-written DuckDB query computing the same scores, as an Arrow
     table (the baseline);
   - **alinea score→pandas**: the same scores through ``alinea.analytics.run.fetch``, the pandas
     frame the app reads (Ibis converts each column: the price of the frame, not of scoring);
   - **alinea backtest**: ``backtest_months``, ``backtest_recall`` and ``backtest_rep_load`` of
     the MQL definition over the 12 months before ``NOW``.
4. The three score answers must agree lead by lead (to 1e-9).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa

NOW = dt.datetime(2025, 7, 1, tzinfo=dt.UTC)
MONTHS = 12
SPAN_DAYS = 456  # leads are created over the 15 months before NOW
OWNERS = 40
BASELINE = "hand SQL score"
TYPES = ("visit", "ad_click", "email_open", "email_click", "form", "event", "content_download",
         "referral")  # fmt: skip


# ---------------------------------------------------------------- the workspace


def _mod(key: str, n: int | str) -> str:
    """SQL: a number in ``[0, n)`` drawn from a hash of ``key`` (the same key, the same number)."""
    return f"(hash({key}) % ({n}))::BIGINT"


def _pick(values: tuple[str, ...], key: str) -> str:
    """SQL choosing one of ``values`` from a hash of ``key``."""
    listed = ", ".join(f"'{v}'" for v in values)
    return f"([{listed}])[1 + {_mod(key, len(values))}]"


def synthesise(path: Path, leads: int, touchpoints: int) -> None:
    """Fill a fresh warehouse file with the facts described in the module docstring."""
    import duckdb

    from alinea.warehouse import connect

    connect(f"duckdb:///{path}").disconnect()  # the fact tables, as alinea declares them
    con = duckdb.connect(str(path))
    con.execute("SET TimeZone = 'UTC'")
    now = f"TIMESTAMPTZ '{NOW.isoformat()}'"
    span = f"greatest(1, epoch({now}) - epoch(l.created_at))::BIGINT"
    con.execute(f"""
        INSERT INTO leads (lead_id, created_at, segment, country, owner_id)
        SELECT 'L' || i,
               {now} - to_seconds({_mod("i, 'created'", SPAN_DAYS * 86400)}),
               {_pick(("smb", "smb", "mid_market", "enterprise"), "i, 'segment'")},
               {_pick(("ES", "PT", "FR", "DE", "US"), "i, 'country'")},
               'rep-' || {_mod("i, 'owner'", OWNERS)}
        FROM generate_series(1, {leads}) AS g(i)
    """)
    con.execute(f"""
        INSERT INTO touchpoints (touchpoint_id, lead_id, occurred_at, type, channel)
        SELECT 'T' || t.j, l.lead_id,
               l.created_at + to_seconds({_mod("t.j, 'at'", span)}),
               {_pick(TYPES, "t.j, 'type'")}, 'email'
        FROM generate_series(1, {touchpoints}) AS t(j)
        JOIN leads AS l ON l.lead_id = 'L' || (1 + {_mod("t.j, 'lead'", leads)})
    """)
    for stage, share, lag in (("sql", 30, 20), ("opportunity", 12, 40), ("customer", 5, 70)):
        con.execute(f"""
            INSERT INTO stage_changes (lead_id, stage, changed_at)
            SELECT lead_id, '{stage}', created_at + INTERVAL {lag} DAY
            FROM leads
            WHERE {_mod("lead_id, 'fate'", 100)} < {share}
              AND created_at + INTERVAL {lag} DAY < {now}
        """)
    con.close()


def workspace(leads: int, touchpoints: int) -> Path:
    home = Path(
        os.environ.get("ALINEA_BENCH_HOME")
        or Path(tempfile.gettempdir()) / f"alinea-bench-scoring-{leads}-{touchpoints}"
    )
    home.mkdir(parents=True, exist_ok=True)
    path = home / "warehouse.duckdb"
    done = home / "synthesised"
    if not done.exists():
        path.unlink(missing_ok=True)
        synthesise(path, leads, touchpoints)
        done.touch()
    return path


# ---------------------------------------------------------------- the three questions


def mql_definition():  # type: ignore[no-untyped-def]
    from alinea.analytics.scoring.document import definition_from_dict
    from alinea.apps.definitions.demo import DEMO_MQL

    return definition_from_dict(DEMO_MQL)


def _scores_expression(url: str):  # type: ignore[no-untyped-def]
    from alinea.analytics.facts import Facts
    from alinea.analytics.scoring.points import points_scores
    from alinea.warehouse import connect

    con = connect(url)
    model = mql_definition().points
    return con, points_scores(Facts.of(con), model, now=NOW).select("lead_id", "score")


def alinea_scores(url: str) -> pa.Table:
    """The scores as an Arrow table, like the hand-written query's: the same engine work."""
    con, scores = _scores_expression(url)
    answer = scores.to_pyarrow()
    con.disconnect()
    return answer


def alinea_scores_pandas(url: str) -> pd.DataFrame:
    """The scores as the app reads them (``alinea.analytics.run.fetch``: a pandas frame)."""
    from alinea.analytics.run import fetch

    con, scores = _scores_expression(url)
    answer = fetch(scores)
    con.disconnect()
    return answer


def hand_sql() -> str:
    """The demo MQL points model, written by hand from its rules."""
    now = f"TIMESTAMPTZ '{NOW.isoformat()}'"
    decay = "exp(-age * ln(2) / 30)"
    return f"""
WITH seen AS (
  SELECT lead_id, type, (epoch({now}) - epoch(occurred_at)) / 86400.0 AS age
  FROM touchpoints
  WHERE occurred_at <= {now} AND occurred_at > {now} - INTERVAL 90 DAY
), engagement AS (
  SELECT lead_id,
    least(coalesce(sum(10 * {decay}) FILTER (WHERE type IN ('event', 'referral')), 0), 40) AS e0,
    least(coalesce(sum(5 * {decay}), 0), 40) AS e1
  FROM seen
  WHERE age >= 0 AND age < 90
  GROUP BY lead_id
)
SELECT l.lead_id,
  least(greatest(
    CASE WHEN l.segment = 'enterprise' THEN 20 ELSE 0 END
    + CASE WHEN l.segment = 'mid_market' THEN 10 ELSE 0 END
    + coalesce(e.e0, 0) + coalesce(e.e1, 0), 0), 100)::DOUBLE AS score
FROM leads AS l LEFT JOIN engagement AS e USING (lead_id)
WHERE l.created_at <= {now}
"""


def hand_scores(url: str) -> pa.Table:
    import duckdb

    con = duckdb.connect(url.removeprefix("duckdb:///"), read_only=True)
    con.execute("SET TimeZone = 'UTC'")
    scores = con.execute(hand_sql()).fetch_arrow_table()
    con.close()
    return scores


def alinea_backtest(url: str) -> pd.DataFrame:
    from alinea.analytics.facts import Facts
    from alinea.analytics.run import fetch
    from alinea.analytics.scoring.backtest import (
        backtest_months,
        backtest_recall,
        backtest_rep_load,
    )
    from alinea.warehouse import connect

    definitions = [mql_definition()]
    con = connect(url)
    facts = Facts.of(con)
    months = fetch(backtest_months(facts, definitions, months=MONTHS, now=NOW))
    fetch(backtest_recall(facts, definitions, months=MONTHS, now=NOW))
    fetch(backtest_rep_load(facts, definitions, months=MONTHS, now=NOW))
    con.disconnect()
    return months


QUESTIONS: dict[str, Callable[[str], pd.DataFrame | pa.Table]] = {
    "alinea score": alinea_scores,
    BASELINE: hand_scores,
    "alinea score→pandas": alinea_scores_pandas,
    "alinea backtest": alinea_backtest,
}


def warm_up() -> None:
    """Imports and first-use initialisation, paid once by a long-running process."""
    alinea_scores("duckdb://")


def child(name: str, url: str, out: Path) -> None:
    warm_up()
    started = time.perf_counter()
    answer = QUESTIONS[name](url)
    seconds = time.perf_counter() - started
    if isinstance(answer, pa.Table):
        answer = answer.to_pandas()
    answer.to_parquet(out)
    print(json.dumps({"seconds": seconds}))


# ---------------------------------------------------------------- the parent: run, compare, report


def run_child(name: str, url: str, out: Path) -> tuple[float, float]:
    """Seconds (measured in the child) and peak memory in MB of one question."""
    command = [sys.executable, __file__, "--child", name, url, str(out)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{name} failed")
    return json.loads(output.strip().splitlines()[-1])["seconds"], usage.ru_maxrss / 1024


def compare(alinea: pd.DataFrame, hand: pd.DataFrame) -> None:
    a = alinea.sort_values("lead_id").reset_index(drop=True)
    b = hand.sort_values("lead_id").reset_index(drop=True)
    assert a.lead_id.equals(b.lead_id), "the two answers score different leads"
    pd.testing.assert_series_equal(
        a.score.astype("float64"), b.score.astype("float64"), check_exact=False,
        rtol=1e-9, atol=1e-9, obj="scores",
    )  # fmt: skip


def main(leads: int, touchpoints: int) -> None:
    repeat = int(os.environ.get("BENCH_REPEAT", "2"))
    started = time.perf_counter()
    path = workspace(leads, touchpoints)
    print(f"workspace {path} ready in {time.perf_counter() - started:.1f} s")
    url = f"duckdb:///{path}"
    results: dict[str, tuple[float, float]] = {}
    answers: dict[str, pd.DataFrame] = {}
    with tempfile.TemporaryDirectory(prefix="alinea-scoring-") as tmp:
        for name in QUESTIONS:
            out = Path(tmp) / f"{name.replace(' ', '_')}.parquet"
            runs = [run_child(name, url, out) for _ in range(repeat)]
            results[name] = (min(s for s, _ in runs), max(m for _, m in runs))
            answers[name] = pd.read_parquet(out)
    compare(answers["alinea score"], answers[BASELINE])
    compare(answers["alinea score→pandas"], answers[BASELINE])
    report(leads, touchpoints, answers, results)


def report(
    leads: int,
    touchpoints: int,
    answers: dict[str, pd.DataFrame],
    results: dict[str, tuple[float, float]],
) -> None:
    mqls = int(answers["alinea backtest"].mqls.sum())
    print(
        f"points scores of {len(answers[BASELINE]):,} leads from {touchpoints:,} touchpoints "
        f"(alinea and hand SQL agree lead by lead); {MONTHS}-month backtest: {mqls:,} MQLs"
    )
    base = results[BASELINE][0]
    print(f"  {'question':<22}{'seconds':>9}{'÷ hand SQL score':>18}{'peak MB':>10}")
    for name, (seconds, peak) in results.items():
        print(f"  {name:<22}{seconds:9.2f}{seconds / base:17.2f}×{peak:10.0f}")
    print(
        "target: alinea score ≤ 1.5× hand SQL score (both answer an Arrow table; "
        "'→pandas' adds the frame the app fetches)"
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], sys.argv[3], Path(sys.argv[4]))
    else:
        arguments = [int(a) for a in sys.argv[1:3]]
        main(*(arguments + [1_000_000, 10_000_000][len(arguments) :]))
