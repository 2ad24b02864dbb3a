"""The stage changes a definition owes agree with a per-lead Python reading, on every engine."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ibis.backends import BaseBackend
from tests.analytics.scoring import reference
from tests.analytics.scoring.builders import SETTINGS, day, definitions, load, scenes
from tests.analytics.scoring.reference import Change, Event, Lead

from alinea.analytics.run import fetch
from alinea.analytics.scoring.applying import due_stage_changes
from alinea.analytics.scoring.spec import Definition, EngagementCriterion, FitCriterion

LIFECYCLE = ("subscriber", "lead", "mql", "sql", "opportunity", "customer")


def current_rank(lead_id: str, changes: list[Change], now: dt.datetime) -> int:
    """The reference's reading: the furthest stage among the latest changes up to ``now``."""
    mine = [c for c in changes if c.lead_id == lead_id and c.changed_at <= now]
    if not mine:
        return -1
    latest = max(c.changed_at for c in mine)
    return max(LIFECYCLE.index(c.stage) for c in mine if c.changed_at == latest)


def expected_due(
    leads: list[Lead],
    events: list[Event],
    changes: list[Change],
    definition: Definition,
    now: dt.datetime,
) -> tuple[set[str], set[str]]:
    """(due leads, leads on the score threshold's rounding edge, which may fall either side)."""
    target = LIFECYCLE.index(definition.stage)
    due, edge = set(), set()
    for lead in leads:
        if lead.created_at > now or current_rank(lead.lead_id, changes, now) >= target:
            continue
        verdicts, score, qualified = reference.evaluate(lead, events, definition, now)
        threshold = definition.threshold or 0.0
        if score is not None and score != threshold and math.isclose(score, threshold):
            if all(verdicts):
                edge.add(lead.lead_id)
            continue
        if qualified:
            due.add(lead.lead_id)
    return due, edge


# --- a hand-worked case --------------------------------------------------------------------------

NOW = day(100)
MQL = Definition(
    "mql",
    "v2",
    fit=(FitCriterion("country", any_of=("ES",)),),
    engagement=(EngagementCriterion("touchpoints", at_least=2, window_days=30),),
)
HAND_LEADS = [
    Lead("fresh", day(10), attributes={"country": "ES"}),  # qualifies, no stage yet → due
    Lead("at-lead", day(10), attributes={"country": "ES"}),  # qualifies, stage lead → due
    Lead("already", day(10), attributes={"country": "ES"}),  # qualifies, already mql → not due
    Lead("beyond", day(10), attributes={"country": "ES"}),  # qualifies, at sql → not due
    Lead("recycled", day(10), attributes={"country": "ES"}),  # mql, then back to lead → due
    Lead("foreign", day(10), attributes={"country": "FR"}),  # fails the fit → not due
    Lead("future", day(120), attributes={"country": "ES"}),  # created after now → not due
]
HAND_CHANGES = [
    Change("at-lead", "lead", day(20)),
    Change("already", "mql", day(50)),
    Change("beyond", "mql", day(50)),
    Change("beyond", "sql", day(60)),
    Change("recycled", "mql", day(40)),
    Change("recycled", "lead", day(70)),
    Change("fresh", "mql", day(150)),  # after now: does not count yet
]


def _touches() -> list[Event]:
    touches = []
    for lead in HAND_LEADS:
        for n, age in enumerate((1, 5)):
            at = NOW - dt.timedelta(days=age)
            touches.append(Event("touchpoints", f"{lead.lead_id}-{n}", lead.lead_id, at, "visit"))
    return touches


def test_hand_worked_case(warehouse: BaseBackend) -> None:
    facts = load(warehouse, HAND_LEADS, _touches(), HAND_CHANGES)
    due = fetch(due_stage_changes(facts, MQL, now=NOW))
    assert list(due.lead_id) == ["at-lead", "fresh", "recycled"]
    assert set(due.stage) == {"mql"}
    assert set(due.changed_by) == {"system"}
    assert set(due.definition_version) == {"mql-v2"}
    assert {pd_instant.to_pydatetime() for pd_instant in due.changed_at} == {NOW}


def test_an_sql_definition_moves_mqls_but_not_opportunities(warehouse: BaseBackend) -> None:
    sql = Definition("sql", "v1", fit=(FitCriterion("country", any_of=("ES",)),))
    facts = load(warehouse, HAND_LEADS, _touches(), HAND_CHANGES)
    due = set(fetch(due_stage_changes(facts, sql, now=NOW)).lead_id)
    assert due == {"fresh", "at-lead", "already", "recycled"}


def test_an_unknown_stage_is_refused(warehouse: BaseBackend) -> None:
    facts = load(warehouse, HAND_LEADS)
    odd = Definition("won", "v1", fit=(FitCriterion("country", any_of=("ES",)),))
    with pytest.raises(ValueError, match="lifecycle"):
        due_stage_changes(facts, odd, now=NOW)


# --- generated workspaces ------------------------------------------------------------------------


@st.composite
def changes_for(draw: st.DrawFn, leads: list[Lead], now: dt.datetime) -> list[Change]:
    changes = {}
    for lead in leads:
        for _ in range(draw(st.integers(min_value=0, max_value=3))):
            stage = draw(st.sampled_from(LIFECYCLE))
            # some changes share an instant, some come after now
            at = now - dt.timedelta(days=draw(st.sampled_from((-3, 0, 2, 2, 10, 40))))
            changes[(lead.lead_id, stage, at)] = Change(lead.lead_id, stage, at)
    return list(changes.values())


@SETTINGS
@given(data=st.data(), stage=st.sampled_from(("mql", "sql", "customer")))
def test_due_leads_agree_with_the_reference(warehouse: BaseBackend, data, stage: str) -> None:
    now, leads, events = data.draw(scenes())
    changes = data.draw(changes_for(leads, now))
    drawn = data.draw(definitions())
    definition = Definition(stage, "v1", drawn.fit, drawn.engagement, drawn.points, drawn.threshold)
    facts = load(warehouse, leads, events, changes)
    got = set(fetch(due_stage_changes(facts, definition, now=now)).lead_id)
    due, edge = expected_due(leads, events, changes, definition, now)
    assert got - edge == due
