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
3. Five questions, each in its own child process, ``BENCH_REPEAT`` times (default 2, the first
   warms the file cache); the best time, the CPU seconds of that run (every thread of the child)
   and the largest peak memory (maximum resident set of the child, from ``wait4``) are kept. The
   clock covers opening the warehouse and the answer in pandas:
   - **alinea score**: ``points_scores`` for every lead at ``NOW``, as an Arrow table;
   - **hand SQL score**: one hand-written DuckDB query computing the same scores, as an Arrow
     table (the baseline of the score);
   - **alinea score→pandas**: the same scores through ``alinea.analytics.run.fetch``, the pandas
     frame the app reads (Ibis converts each column: the price of the frame, not of scoring);
   - **alinea backtest**: ``backtest_report`` of the MQL definition over the 12 months before
     ``NOW`` (what the definitions page shows: MQLs and outcomes per month, recall, load per rep);
   - **hand SQL backtest**: the same three answers from hand-written DuckDB SQL (the baseline of
     the backtest): the would-be MQLs into a temporary table, then three small queries.
4. The three score answers must agree lead by lead (to 1e-9), and the two backtests must give the
   same months, recall and load per rep.

The load average of the machine is printed at the start and at the end: on a shared machine the
seconds move with it, the CPU seconds much less.
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
from typing import Any

import pandas as pd
import pyarrow as pa

NOW = dt.datetime(2025, 7, 1, tzinfo=dt.UTC)
MONTHS = 12
SPAN_DAYS = 456  # leads are created over the 15 months before NOW
OWNERS = 40
BASELINE = "hand SQL score"
BACKTEST_BASELINE = "hand SQL backtest"
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


Answer = dict[str, pd.DataFrame]


def alinea_backtest(url: str) -> Answer:
    from alinea.analytics.facts import Facts
    from alinea.analytics.scoring.backtest import backtest_report
    from alinea.warehouse import connect

    con = connect(url)
    report = backtest_report(Facts.of(con), [mql_definition()], months=MONTHS, now=NOW)
    con.disconnect()
    return {"months": report.months, "recall": report.recall, "rep_load": report.rep_load}


def _month_table() -> str:
    """SQL: the span's months, ``m`` (0 = oldest), ``month``, ``month_start``, ``month_end``."""
    from alinea.analytics.scoring.backtest import month_ends, span_months

    starts = span_months(months=MONTHS, now=NOW)
    rows = ", ".join(
        f"({i}, DATE '{s}', TIMESTAMPTZ '{s} 00:00:00+00', TIMESTAMPTZ '{e.isoformat()}')"
        for i, (s, e) in enumerate(zip(starts, month_ends(starts), strict=True))
    )
    return f"SELECT * FROM (VALUES {rows}) AS e(m, month, month_start, month_end)"


def _bucket_case(column: str) -> str:
    """SQL: the first month end (its ``m``) at or after ``column``, NULL after the last."""
    from alinea.analytics.scoring.backtest import month_ends, span_months

    ends = month_ends(span_months(months=MONTHS, now=NOW))
    whens = " ".join(
        f"WHEN {column} <= TIMESTAMPTZ '{e.isoformat()}' THEN {i}" for i, e in enumerate(ends)
    )
    return f"CASE {whens} END"


def hand_backtest_flags_sql() -> str:
    """The demo MQL definition replayed at each month end, written by hand: one row per
    would-be MQL with its month, rep and outcomes.

    Each touchpoint is paired with the month ends whose 90-day window holds it through its
    *bucket* (the first month end at or after it) and an equality join; a range join on the two
    bounds costs DuckDB several times as much. Only leads with touchpoints in the window can
    qualify (the definition asks for two), so the events drive the query."""
    from alinea.analytics.scoring.backtest import month_ends, span_months

    ends = month_ends(span_months(months=MONTHS, now=NOW))
    now = f"TIMESTAMPTZ '{NOW.isoformat()}'"
    decay = "exp(-age * ln(2) / 30)"
    return f"""
CREATE TEMP TABLE months AS {_month_table()};
CREATE TEMP TABLE reach AS  -- bucket b reaches the month ends m ≥ b whose window starts before it
  SELECT b.m AS bucket, e.m, epoch(e.month_end) AS end_seconds FROM months AS b JOIN months AS e
    ON e.m >= b.m AND e.month_end - INTERVAL 90 DAY - INTERVAL 1 SECOND <= b.month_end;
CREATE TEMP TABLE flags AS
WITH bucketed AS (
  SELECT t.lead_id, t.type, t.occurred_at,
    {_bucket_case("t.occurred_at")} AS bucket
  FROM touchpoints AS t
  WHERE t.occurred_at <= TIMESTAMPTZ '{ends[-1].isoformat()}'
    AND t.occurred_at >= TIMESTAMPTZ '{ends[0].isoformat()}' - INTERVAL 91 DAY
), seen AS (
  SELECT t.lead_id, t.type, r.m, (r.end_seconds - epoch(t.occurred_at)) / 86400.0 AS age
  FROM bucketed AS t JOIN reach AS r USING (bucket)
), engaged AS (
  SELECT lead_id, m, count(*) AS touches,
    least(coalesce(sum(10 * {decay}) FILTER (WHERE type IN ('event', 'referral')), 0), 40) AS e0,
    least(sum(5 * {decay}), 40) AS e1
  FROM seen
  WHERE age >= 0 AND age < 90
  GROUP BY lead_id, m
), first_month AS (
  SELECT l.lead_id, coalesce(l.owner_id, 'unassigned') AS rep_id, min(g.m) AS m
  FROM engaged AS g JOIN leads AS l USING (lead_id) JOIN months AS e USING (m)
  WHERE l.created_at <= e.month_end
    AND l.segment IN ('smb', 'mid_market', 'enterprise')
    AND g.touches >= 2
    AND least(greatest(
          CASE WHEN l.segment = 'enterprise' THEN 20 ELSE 0 END
          + CASE WHEN l.segment = 'mid_market' THEN 10 ELSE 0 END + g.e0 + g.e1, 0), 100) >= 17
  GROUP BY l.lead_id, rep_id
), reached AS (
  SELECT lead_id,
    max(changed_at) FILTER (WHERE stage IN ('sql', 'opportunity', 'customer')) AS sql_at,
    max(changed_at) FILTER (WHERE stage IN ('opportunity', 'customer')) AS opportunity_at,
    max(changed_at) FILTER (WHERE stage = 'customer') AS customer_at
  FROM stage_changes
  WHERE changed_at <= {now}
  GROUP BY lead_id
)
SELECT f.lead_id, f.rep_id, e.month,
  coalesce(r.sql_at >= e.month_start, false) AS became_sql,
  coalesce(r.opportunity_at >= e.month_start, false) AS became_opportunity,
  coalesce(r.customer_at >= e.month_start, false) AS became_customer
FROM first_month AS f JOIN months AS e USING (m) LEFT JOIN reached AS r USING (lead_id);
"""


def hand_backtest_answers_sql() -> dict[str, str]:
    """The three answers from the temporary ``flags`` and ``months`` tables."""
    now = f"TIMESTAMPTZ '{NOW.isoformat()}'"
    return {
        "months": """
SELECT month, count(*) AS mqls,
  count(*) FILTER (WHERE became_sql) AS became_sql,
  count(*) FILTER (WHERE became_opportunity) AS became_opportunity,
  count(*) FILTER (WHERE became_customer) AS became_customer
FROM flags GROUP BY month ORDER BY month""",
        "recall": f"""
SELECT e.eventual_customers, c.caught
FROM (
  SELECT count(DISTINCT s.lead_id) AS eventual_customers
  FROM stage_changes AS s JOIN leads AS l USING (lead_id)
  WHERE s.stage = 'customer'
    AND s.changed_at >= (SELECT min(month_start) FROM months) AND s.changed_at <= {now}
    AND l.created_at <= (SELECT max(month_end) FROM months)
) AS e, (SELECT count(*) FILTER (WHERE became_customer) AS caught FROM flags) AS c""",
        "rep_load": """
SELECT month, rep_id, count(*) AS mqls FROM flags GROUP BY month, rep_id ORDER BY month, rep_id""",
    }


def hand_backtest(url: str) -> Answer:
    import duckdb

    con = duckdb.connect(url.removeprefix("duckdb:///"), read_only=True)
    con.execute("SET TimeZone = 'UTC'")
    con.execute(hand_backtest_flags_sql())
    answers = {name: con.execute(sql).df() for name, sql in hand_backtest_answers_sql().items()}
    con.close()
    return answers


QUESTIONS: dict[str, Callable[[str], pd.DataFrame | pa.Table | Answer]] = {
    "alinea score": alinea_scores,
    BASELINE: hand_scores,
    "alinea score→pandas": alinea_scores_pandas,
    "alinea backtest": alinea_backtest,
    BACKTEST_BASELINE: hand_backtest,
}


def warm_up() -> None:
    """Imports and first-use initialisation, paid once by a long-running process."""
    alinea_scores("duckdb://")


def child(name: str, url: str, out: Path) -> None:
    warm_up()
    started, cpu = time.perf_counter(), time.process_time()
    answer = QUESTIONS[name](url)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    if isinstance(answer, pa.Table):
        answer = answer.to_pandas()
    pd.to_pickle(answer, out)
    print(json.dumps({"seconds": seconds, "cpu": cpu}))


# ---------------------------------------------------------------- the parent: run, compare, report

Result = tuple[float, float, float]  # seconds, CPU seconds, peak MB


def run_child(name: str, url: str, out: Path) -> Result:
    """Seconds and CPU seconds (measured in the child) and peak memory in MB of one question."""
    command = [sys.executable, __file__, "--child", name, url, str(out)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{name} failed")
    measured = json.loads(output.strip().splitlines()[-1])
    return measured["seconds"], measured["cpu"], usage.ru_maxrss / 1024


def compare(alinea: pd.DataFrame, hand: pd.DataFrame) -> None:
    a = alinea.sort_values("lead_id").reset_index(drop=True)
    b = hand.sort_values("lead_id").reset_index(drop=True)
    assert a.lead_id.equals(b.lead_id), "the two answers score different leads"
    pd.testing.assert_series_equal(
        a.score.astype("float64"), b.score.astype("float64"), check_exact=False,
        rtol=1e-9, atol=1e-9, obj="scores",
    )  # fmt: skip


def _counts(frame: pd.DataFrame, keys: list[str]) -> dict[tuple[object, ...], tuple[int, ...]]:
    """Each row's counts (``mqls``, ``became_*``) under its keys, months read as dates."""
    frame = frame.assign(month=[pd.Timestamp(m).date() for m in frame.month])
    values = [c for c in frame if c.startswith(("mqls", "became_"))]
    return {
        tuple(row[: len(keys)]): tuple(int(x) for x in row[len(keys) :])
        for row in frame[keys + values].itertuples(index=False)
    }


def compare_backtests(alinea: Answer, hand: Answer) -> None:
    months = ["month"]
    assert _counts(alinea["months"], months) == _counts(hand["months"], months), "months differ"
    load = ["month", "rep_id"]
    assert _counts(alinea["rep_load"], load) == _counts(hand["rep_load"], load), "loads differ"
    recall, expected = alinea["recall"].iloc[0], hand["recall"].iloc[0]
    assert (int(recall.eventual_customers), int(recall.caught)) == (
        int(expected.eventual_customers),
        int(expected.caught),
    ), "recall differs"


def _load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def main(leads: int, touchpoints: int) -> None:
    repeat = int(os.environ.get("BENCH_REPEAT", "2"))
    started = time.perf_counter()
    path = workspace(leads, touchpoints)
    print(f"workspace {path} ready in {time.perf_counter() - started:.1f} s")
    print(f"load average at the start: {_load()} ({os.cpu_count()} cores)")
    url = f"duckdb:///{path}"
    results: dict[str, Result] = {}
    answers: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="alinea-scoring-") as tmp:
        for name in QUESTIONS:
            out = Path(tmp) / f"{name.replace(' ', '_')}.pickle"
            runs = [run_child(name, url, out) for _ in range(repeat)]
            best = min(runs)
            results[name] = (best[0], best[1], max(m for _, _, m in runs))
            answers[name] = pd.read_pickle(out)
    compare(answers["alinea score"], answers[BASELINE])
    compare(answers["alinea score→pandas"], answers[BASELINE])
    compare_backtests(answers["alinea backtest"], answers[BACKTEST_BASELINE])
    report(leads, touchpoints, answers, results)


def report(
    leads: int,
    touchpoints: int,
    answers: dict[str, Any],
    results: dict[str, Result],
) -> None:
    mqls = int(answers["alinea backtest"]["months"].mqls.sum())
    print(
        f"points scores of {len(answers[BASELINE]):,} leads from {touchpoints:,} touchpoints "
        f"(alinea and hand SQL agree lead by lead); {MONTHS}-month backtest: {mqls:,} MQLs "
        "(alinea and hand SQL agree month by month, rep by rep, on recall)"
    )
    print(
        f"  {'question':<22}{'seconds':>9}{'CPU s':>8}{'÷ hand SQL':>12}{'CPU ÷':>8}{'peak MB':>9}"
    )
    for name, (seconds, cpu, peak) in results.items():
        base = results[BACKTEST_BASELINE if "backtest" in name else BASELINE]
        print(
            f"  {name:<22}{seconds:9.2f}{cpu:8.2f}{seconds / base[0]:11.2f}×"
            f"{cpu / base[1]:7.2f}×{peak:9.0f}"
        )
    print(
        "ratios: scores ÷ hand SQL score, backtests ÷ hand SQL backtest; target ≤ 1.5× "
        "('→pandas' adds the frame the app fetches)"
    )
    print(f"load average at the end: {_load()}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], sys.argv[3], Path(sys.argv[4]))
    else:
        arguments = [int(a) for a in sys.argv[1:3]]
        main(*(arguments + [1_000_000, 10_000_000][len(arguments) :]))
