"""Every catalog metric equals the pandas reference, with filters, a breakdown and a comparison."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pytest
from ibis.backends import BaseBackend
from tests.analytics.metrics import reference
from tests.analytics.metrics.sample import NOW, as_frames, load_sample, sample_rows

from alinea.analytics.metrics import METRICS, OUTPUT_COLUMNS, MetricQuery, metric, metric_value
from alinea.analytics.periods import Period
from alinea.analytics.run import fetch

APRIL = Period(dt.date(2025, 4, 1), dt.date(2025, 5, 1))
Q1 = Period(dt.date(2025, 1, 1), dt.date(2025, 4, 1))

QUERIES: dict[str, dict[str, Any]] = {
    "whole period": {},
    "by segment, email and events only": {
        "filters": {"channel": ["email", "events"]},
        "group_by": "segment",
    },
    "by owner region, smb or unknown segment, 30-day window": {
        "filters": {"segment": ["smb", "(none)"]},
        "group_by": "owner_region",
        "window_days": 30,
    },
}

DEAL_QUERIES: dict[str, dict[str, Any]] = {
    "by rep region, basic product": {"filters": {"product": ["basic"]}, "group_by": "rep_region"},
    "by lead channel": {"group_by": "channel"},
    "by rep, one manager": {"filters": {"rep_manager_id": ["m1"]}, "group_by": "rep_id"},
}


def _close(got: float | None, expected: float | None) -> bool:
    missing = [v is None or (isinstance(v, float) and math.isnan(v)) for v in (got, expected)]
    if any(missing):
        return all(missing)
    return math.isclose(float(got), float(expected), rel_tol=1e-9, abs_tol=1e-9)  # type: ignore[arg-type]


def _expected(frames, name: str, period: Period, options: dict[str, Any]):
    return reference.value(
        frames,
        name,
        (period.start, period.end),
        NOW,
        filters=options.get("filters"),
        group_by=options.get("group_by"),
        window=options.get("window_days", 90),
    )


def _mismatches(facts, frames, name: str, options: dict[str, Any]) -> list[str]:
    query = MetricQuery(period=APRIL, comparison=Q1, now=NOW, **options)
    got = fetch(metric_value(facts, name, query))
    assert tuple(got.columns) == OUTPUT_COLUMNS
    now_side, before_side = (_expected(frames, name, p, options) for p in (APRIL, Q1))
    empty = (0.0 if metric(name).additive else None, 0)
    problems = []
    rows = {row["breakdown"]: row for row in got.to_dict("records")}
    if set(rows) != set(now_side) | set(before_side):
        problems.append(f"{name}: breakdowns {sorted(rows)} ≠ {sorted({*now_side, *before_side})}")
    for label, row in rows.items():
        value, count = now_side.get(label, empty)
        old_value, old_count = before_side.get(label, empty)
        pairs = [(row["value"], value), (row["comparison_value"], old_value)]
        if not all(_close(g, e) for g, e in pairs) or (row["count"], row["comparison_count"]) != (
            count,
            old_count,
        ):
            problems.append(
                f"{name}[{label}]: got {row['value']}/{row['count']} vs "
                f"{row['comparison_value']}/{row['comparison_count']}, expected {value}/{count} "
                f"vs {old_value}/{old_count}"
            )
    return problems


@pytest.fixture
def sample(warehouse: BaseBackend):
    rows = sample_rows()
    return load_sample(warehouse, rows), as_frames(rows)


@pytest.mark.parametrize("options", QUERIES.values(), ids=QUERIES.keys())
def test_every_lead_metric_agrees_with_pandas(sample, options: dict[str, Any]) -> None:
    facts, frames = sample
    names = [name for name, m in METRICS.items() if m.subject == "lead"]
    assert len(names) == 10
    problems = [p for name in names for p in _mismatches(facts, frames, name, options)]
    assert problems == []


@pytest.mark.parametrize("options", [*QUERIES.values(), *DEAL_QUERIES.values()])
def test_every_deal_metric_agrees_with_pandas(sample, options: dict[str, Any]) -> None:
    facts, frames = sample
    options = {k: v for k, v in options.items() if k != "window_days"}
    names = [name for name, m in METRICS.items() if m.subject == "deal"]
    assert len(names) == 6
    problems = [p for name in names for p in _mismatches(facts, frames, name, options)]
    assert problems == []


def test_the_sample_exercises_the_metrics() -> None:
    """Guard against a vacuous comparison: the April numbers are not all empty."""
    frames = as_frames(sample_rows())
    for name in METRICS:
        counts = [c for _, c in _expected(frames, name, APRIL, {}).values()]
        assert sum(counts) >= 3, name


def test_maturity_waits_for_the_window_on_rates_only(sample) -> None:
    facts, _ = sample
    query = MetricQuery(period=APRIL, comparison=Q1, now=NOW)
    # April ended before NOW (Jun 15); its 90-day window ends Jul 30, Q1's on Jun 30
    for name, expected in [("mqls", (True, True)), ("mql_to_sql_rate", (False, False))]:
        row = fetch(metric_value(facts, name, query)).iloc[0]
        assert (bool(row["mature"]), bool(row["comparison_mature"])) == expected
    short = MetricQuery(period=APRIL, comparison=Q1, now=NOW, window_days=30)
    row = fetch(metric_value(facts, "mql_to_sql_rate", short)).iloc[0]
    assert (bool(row["mature"]), bool(row["comparison_mature"])) == (True, True)


def test_without_a_comparison_its_columns_are_null(sample) -> None:
    facts, _ = sample
    row = fetch(metric_value(facts, "win_rate", MetricQuery(period=APRIL, now=NOW))).iloc[0]
    assert row["breakdown"] == "(all)"
    assert all(row[c] is None or math.isnan(row[c]) for c in ("comparison_value",))


def test_unknown_names_and_dimensions_are_refused_with_the_known_ones(sample) -> None:
    facts, _ = sample
    with pytest.raises(KeyError, match="win_rate"):
        metric("win_ratio")
    with pytest.raises(ValueError, match="rep_region"):
        metric_value(facts, "leads", MetricQuery(period=APRIL, now=NOW, group_by="rep_region"))


#: Which of the reference's deal rows each deal metric counts, from the formulas in docs/metrics.
COUNTED_DEALS = {
    "pipeline_created": lambda rows: rows.created,
    "revenue_won": lambda rows: rows.won,
    "win_rate": lambda rows: rows.won | rows.lost,
    "average_deal_size": lambda rows: rows.won & rows.amount.notna(),
    "sales_cycle": lambda rows: rows.won,
    "pipeline_velocity": lambda rows: rows.created,
}


def _counted(facts, name: str, query: MetricQuery, period: Period) -> dict[str, list[str]]:
    chosen = metric(name)
    key = "lead_id" if chosen.subject == "lead" else "deal_id"
    rows = fetch(chosen.counted_rows(facts, query, period))
    return {str(label): sorted(part[key]) for label, part in rows.groupby("breakdown")}


@pytest.mark.parametrize("options", [*QUERIES.values(), *DEAL_QUERIES.values()])
def test_the_rows_behind_a_metric_are_exactly_the_ones_its_count_counts(
    sample, options: dict[str, Any]
) -> None:
    facts, _ = sample
    problems = []
    for name, chosen in METRICS.items():
        if chosen.subject == "lead" and options in DEAL_QUERIES.values():
            continue
        kept = (
            options
            if chosen.subject == "lead"
            else {k: v for k, v in options.items() if k != "window_days"}
        )
        query = MetricQuery(period=APRIL, comparison=Q1, now=NOW, **kept)
        answer = fetch(metric_value(facts, name, query))
        for period, column in ((APRIL, "count"), (Q1, "comparison_count")):
            counted = _counted(facts, name, query, period)
            expected = {r["breakdown"]: r[column] for r in answer.to_dict("records") if r[column]}
            got = {label: len(ids) for label, ids in counted.items()}
            if got != expected:
                problems.append(f"{name} {period}: {got} rows, counts {expected}")
    assert problems == []


def test_deal_rows_are_the_deals_the_formula_names(sample) -> None:
    facts, frames = sample
    query = MetricQuery(period=APRIL, now=NOW)
    read = reference.deal_rows(frames, (APRIL.start, APRIL.end), NOW, 90)
    for name, counts in COUNTED_DEALS.items():
        expected = sorted(read.deal_id[counts(read)])
        assert _counted(facts, name, query, APRIL).get("(all)", []) == expected, name
    closed = COUNTED_DEALS["win_rate"](read)
    assert 0 < closed.sum() < len(read)  # the sample opens deals that did not close in April
