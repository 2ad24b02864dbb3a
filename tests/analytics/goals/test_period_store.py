"""Kept period values: the same evaluation as measuring everything, and only open periods are
measured again; new facts (a new version) measure everything again."""

from __future__ import annotations

import datetime as dt

import pytest

from alinea.analytics.facts import Facts
from alinea.analytics.goals import evaluate_goal, period_store
from alinea.analytics.goals.period_store import DictStore
from alinea.analytics.goals.version import data_version
from alinea.analytics.periods import Period
from alinea.warehouse import ingest

from .test_evaluate import NOW, _facts, _goal


@pytest.fixture
def measured(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many periods each call of ``measure_periods`` was asked for."""
    sizes: list[int] = []
    real = period_store.measure_periods

    def counting(facts, metric, periods, **kwargs):
        sizes.append(len(periods))
        return real(facts, metric, periods, **kwargs)

    monkeypatch.setattr(period_store, "measure_periods", counting)
    return sizes


@pytest.mark.parametrize("metric", ["leads", "lead_to_mql_rate"])
def test_kept_values_give_the_same_evaluation(warehouse, measured, metric) -> None:
    facts = _facts(warehouse)
    spec = _goal(metric=metric, window_days=14)
    store = DictStore()
    version = data_version(facts)
    plain = evaluate_goal(facts, spec, now=NOW)
    first = evaluate_goal(facts, spec, now=NOW, keep=(store, version))
    later = NOW + dt.timedelta(days=1)
    second = evaluate_goal(facts, spec, now=later, keep=(store, version))
    assert first == plain
    assert second == evaluate_goal(facts, spec, now=later)
    everything, again = measured
    assert 0 < len(store.data) < everything
    # the second time only the periods not mature at NOW are measured
    assert again == everything - len(store.data)


def test_new_facts_measure_everything_again(warehouse, measured) -> None:
    facts = _facts(warehouse)
    store = DictStore()
    evaluate_goal(facts, _goal(), now=NOW, keep=(store, data_version(facts)))
    lead = {"lead_id": "new", "created_at": "2025-02-03T10:00:00+00:00", "channel": "paid_search"}
    ingest(warehouse, "leads", [lead])
    facts = Facts.of(warehouse)
    result = evaluate_goal(facts, _goal(), now=NOW, keep=(store, data_version(facts)))
    assert measured[1] == measured[0]
    assert result.baseline.value == 181.0


def test_a_goal_not_started_reuses_its_past_weeks_the_next_day(warehouse, measured) -> None:
    facts = _facts(warehouse)
    store = DictStore()
    version = data_version(facts)
    q3 = _goal(period=Period(dt.date(2025, 7, 1), dt.date(2025, 10, 1)))
    evaluate_goal(facts, q3, now=NOW, keep=(store, version))
    kept = len(store.data)
    evaluate_goal(facts, q3, now=NOW + dt.timedelta(days=1), keep=(store, version))
    # the past weeks line up with 1 July whatever the day: none is measured again
    assert measured[1] == measured[0] - kept
    assert len(store.data) == kept
