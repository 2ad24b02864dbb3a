"""The funnel selectors on DuckDB and on PostgreSQL give the pandas numbers, and the cache only
answers again while the facts are unchanged."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from ibis.backends import BaseBackend
from tests.apps.funnel.conftest import NOW, QUESTION, facts_rows
from tests.apps.funnel.reference import STAGES, Reference

from alinea.apps.funnel import selectors
from alinea.apps.funnel.lead_lists import lead_page, list_selection
from alinea.apps.funnel.params import funnel_params
from alinea.apps.funnel.source import FactSource
from alinea.apps.funnel.timeline import lead_timeline
from alinea.warehouse import ingest_many


@pytest.fixture
def filled(warehouse: BaseBackend) -> tuple[FactSource, Reference]:
    rows = facts_rows()
    ingest_many(warehouse, rows)
    reference = Reference(
        rows, now=NOW, start=dt.date(2025, 1, 1), end=dt.date(2025, 3, 31), window_days=30
    )
    # a fresh address per test: the cache must never mix two tests' warehouses
    return FactSource(warehouse, f"test-{uuid.uuid4()}"), reference


def test_selectors_on_each_engine(filled: tuple[FactSource, Reference]) -> None:
    source, reference = filled
    params = funnel_params({**QUESTION, "breakdown": "channel", "top_n": "2"}, now=NOW)
    rows = selectors.conversion(source, params)
    got: dict[str, list[int]] = {}
    for row in rows:
        got.setdefault(row["breakdown"], []).append(row["leads"])
    assert got == reference.counts(reference.channel_labels(2))
    cohorts = selectors.cohorts(source, params)
    monthly = reference.monthly()
    assert {(r["period"], r["stage"]): r["leads"] for r in cohorts} == {
        (month, stage): counts[k]
        for month, counts in monthly.items()
        for k, stage in enumerate(STAGES)
    }
    timing = selectors.timing(source, params, breakdown=False)
    assert timing.percentiles[0]["median_days"] == pytest.approx(
        reference.days_between("mql", "sql").median()
    )
    stalled = {r["stage"]: r["stalled"] for r in selectors.stall_summary(source, params)}
    assert sum(stalled.values()) == len(reference.stalled(10))


def test_lead_lists_and_timeline_on_each_engine(filled: tuple[FactSource, Reference]) -> None:
    source, reference = filled
    params = funnel_params(QUESTION, now=NOW)
    selection = list_selection({"kind": "reached", "stage": "mql"}, params)
    first = lead_page(source, params, selection, page=1, size=4)
    second = lead_page(source, params, selection, page=2, size=4)
    steps = reference.steps()
    listed = [row["lead_id"] for row in first.rows + second.rows]
    assert sorted(listed) == sorted(steps.index[steps["mql"].notna()])
    assert first.count == len(listed)
    story = lead_timeline(source, "A1")
    assert story is not None
    assert len(story.events) == 12
    assert lead_timeline(source, "NOPE") is None


def test_the_cache_answers_until_the_facts_change(filled: tuple[FactSource, Reference]) -> None:
    source, _ = filled
    params = funnel_params(QUESTION, now=NOW)
    before = selectors.conversion(source, params, breakdown=False)[0]["leads"]
    ingest_many(
        source.con,
        {
            "leads": [{"lead_id": "Z1", "created_at": "2025-01-02T00:00:00Z"}],
            "stage_changes": [
                {"lead_id": "Z1", "stage": "lead", "changed_at": "2025-01-02T00:00:00Z"}
            ],
        },
    )
    assert selectors.conversion(source, params, breakdown=False)[0]["leads"] == before
    fresh = FactSource(source.con, source.address)  # the next request reads the new counts
    assert selectors.conversion(fresh, params, breakdown=False)[0]["leads"] == before + 1
