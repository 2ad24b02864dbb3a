"""Backtests agree with a direct count over the reference verdicts at every month end."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ibis.backends import BaseBackend
from tests.analytics.scoring import reference
from tests.analytics.scoring.builders import SETTINGS, day, definitions, load, scenes
from tests.analytics.scoring.reference import Change, Event, Lead

from alinea.analytics.run import fetch
from alinea.analytics.scoring.backtest import (
    OUTCOMES,
    backtest_months,
    backtest_recall,
    backtest_rep_load,
    backtest_report,
    span_months,
)
from alinea.analytics.scoring.spec import Definition, EngagementCriterion, FitCriterion

MONTHS = 4


@st.composite
def histories(draw: st.DrawFn) -> tuple[dt.datetime, list[Lead], list[Event], list[Change]]:
    now, leads, events = draw(scenes())
    changes = {
        Change(lead.lead_id, draw(st.sampled_from(("sql", "opportunity", "customer"))), when)
        for lead in leads
        for when in draw(
            st.lists(st.integers(min_value=-10, max_value=150), max_size=3).map(
                lambda days, now=now: [now - dt.timedelta(days=d) for d in days]
            )
        )
    }
    return now, leads, events, sorted(changes, key=str)


def _day(value: object) -> dt.date:
    """A fetched ``month`` as a date (engines hand dates back as dates or as timestamps)."""
    return pd.Timestamp(value).date()


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), dt.UTC)


def _expected(now, leads, events, changes, definition):
    flags = reference.first_flags(leads, events, definition, MONTHS, now)
    owners = {lead.lead_id: lead.owner_id or "unassigned" for lead in leads}
    months: dict[dt.date, Counter[str]] = {}
    for lead_id, month in flags.items():
        since = _midnight(month)
        counts = months.setdefault(month, Counter())
        counts["mqls"] += 1
        for name, stages in OUTCOMES.items():
            counts[name] += reference.reached(changes, lead_id, stages, since, now)
    spans = reference.month_ends(MONTHS, now)
    span_start = _midnight(spans[0][0])
    eventual = {
        lead.lead_id
        for lead in leads
        if lead.created_at <= spans[-1][1]
        and reference.reached(changes, lead.lead_id, ("customer",), span_start, now)
    }
    caught = sum(
        1
        for lead_id in eventual
        if lead_id in flags
        and reference.reached(changes, lead_id, ("customer",), _midnight(flags[lead_id]), now)
    )
    load = Counter((month, owners[lead_id]) for lead_id, month in flags.items())
    return months, (len(eventual), caught), load


@settings(SETTINGS, max_examples=12)
@given(history=histories(), definition=definitions())
def test_backtest_agrees_with_a_direct_count(
    warehouse: BaseBackend, history, definition: Definition
) -> None:
    now, leads, events, changes = history
    facts = load(warehouse, leads, events, changes)
    months, (eventual, caught), rep_load = _expected(now, leads, events, changes, definition)

    found = fetch(backtest_months(facts, [definition], months=MONTHS, now=now))
    got = {
        _day(row["month"]): {name: int(row[name]) for name in ("mqls", *OUTCOMES)}
        for row in found.to_dict("records")
    }
    assert got == {
        month: {n: counts[n] for n in ("mqls", *OUTCOMES)} for month, counts in months.items()
    }
    for row in found.to_dict("records"):
        assert row["customer_rate"] == pytest.approx(row["became_customer"] / row["mqls"])

    recall = fetch(backtest_recall(facts, [definition], months=MONTHS, now=now)).iloc[0]
    assert (int(recall.eventual_customers), int(recall.caught)) == (eventual, caught)
    assert int(recall.missed) == eventual - caught

    load_rows = fetch(backtest_rep_load(facts, [definition], months=MONTHS, now=now))
    assert {(_day(r.month), r.rep_id): int(r.mqls) for r in load_rows.itertuples()} == dict(
        rep_load
    )

    # the one-replay report gives the same three answers
    report = backtest_report(facts, [definition], months=MONTHS, now=now)
    assert {
        _day(row["month"]): {name: int(row[name]) for name in ("mqls", *OUTCOMES)}
        for row in report.months.to_dict("records")
    } == got
    pd.testing.assert_frame_equal(report.months, found, check_dtype=False)
    row = report.recall.iloc[0]
    assert (row.version, row.eventual_customers, row.caught, row.missed) == (
        "v1",
        eventual,
        caught,
        eventual - caught,
    )
    assert row.recall == pytest.approx(caught / eventual) if eventual else pd.isna(row.recall)
    assert {(_day(r.month), r.rep_id): int(r.mqls) for r in report.rep_load.itertuples()} == dict(
        rep_load
    )


def test_two_definitions_side_by_side(warehouse: BaseBackend) -> None:
    """Active v1 (any 1 touchpoint in 30 days) beside proposed v2 (the same, Spanish leads only).

    Span: January–April 2025 (now is 15 May). Lead i is Spanish when i is odd, owned by r(i mod
    2), touched on day 10·i + 5; leads 0 and 3 become customers on day 120, lead 1 becomes SQL on
    day 20. v1 flags leads 0–2 in January, 3–5 in February, 6–8 in March, 9–11 in April; v2 only
    the odd ones, so it misses customer 0 of the two eventual customers.
    """
    leads = [
        Lead(f"l{i}", day(10 * i), f"r{i % 2}", {"country": "ES" if i % 2 else "FR"})
        for i in range(12)
    ]
    events = [Event("touchpoints", f"t{i}", f"l{i}", day(10 * i + 5), "form") for i in range(12)]
    changes = [
        Change("l0", "customer", day(120)),
        Change("l3", "customer", day(120)),
        Change("l1", "sql", day(20)),
    ]
    facts = load(warehouse, leads, events, changes)
    active = Definition("mql", "v1", engagement=(EngagementCriterion("touchpoints", 1, 30),))
    proposed = Definition(
        "mql", "v2", fit=(FitCriterion("country", any_of=("ES",)),), engagement=active.engagement
    )
    now = dt.datetime(2025, 5, 15, tzinfo=dt.UTC)
    assert span_months(months=4, now=now)[0] == dt.date(2025, 1, 1)
    found = fetch(backtest_months(facts, [active, proposed], months=4, now=now))
    mqls = {(r.version, r.month.month): int(r.mqls) for r in found.itertuples()}
    assert mqls == {("v1", 1): 3, ("v1", 2): 3, ("v1", 3): 3, ("v1", 4): 3,
                    ("v2", 1): 1, ("v2", 2): 2, ("v2", 3): 1, ("v2", 4): 2}  # fmt: skip
    recall = fetch(backtest_recall(facts, [active, proposed], months=4, now=now)).set_index(
        "version"
    )
    assert recall.recall.to_dict() == {"v1": 1.0, "v2": 0.5}
    assert recall.missed.to_dict() == {"v1": 0, "v2": 1}
    report = backtest_report(facts, [active, proposed], months=4, now=now)
    assert report.recall.version.tolist() == ["v1", "v2"]
    assert report.recall.recall.tolist() == [1.0, 0.5]
    assert report.recall.missed.tolist() == [0, 1]
    assert {(r.version, r.month.month): r.mqls for r in report.months.itertuples()} == mqls
    assert report.rep_load.groupby("version").mqls.sum().to_dict() == {"v1": 12, "v2": 6}
