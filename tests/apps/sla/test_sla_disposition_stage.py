"""A decision in the inbox moves the lead as the lifecycle says, and records who moved it."""

from __future__ import annotations

import datetime as dt

import pytest

from alinea.apps.sla.inbox import mql_disposition_record
from alinea.apps.sla.selectors import active_spec, inbox_for
from alinea.warehouse import ingest

from .conftest import NOW

pytestmark = pytest.mark.django_db
LATER = NOW + dt.timedelta(minutes=5)


def _stage_changes(con, lead: str) -> list[tuple]:
    return con.con.execute(
        "SELECT stage, changed_at, changed_by, batch_id FROM stage_changes "
        f"WHERE lead_id = '{lead}' ORDER BY changed_at"
    ).fetchall()


def _decide(con, actor, lead: str, outcome: str, reason: str = "") -> None:
    mql_disposition_record(
        actor=actor,
        con=con,
        policy=active_spec(),
        lead_id=lead,
        outcome=outcome,
        reason=reason,
        now=LATER,
    )


def test_recycling_moves_the_lead_back_to_nurture_in_the_same_batch(
    hand_warehouse, signed_policy, rep_user
):
    _decide(hand_warehouse, rep_user, "A2", "recycled", "not_ready")
    changes = _stage_changes(hand_warehouse, "A2")
    assert [(stage, at, by) for stage, at, by, _ in changes] == [
        ("mql", dt.datetime(2025, 6, 9, 9, tzinfo=dt.UTC), None),
        ("lead", LATER, "rep-a"),
    ]
    (batch,) = hand_warehouse.con.execute(
        "SELECT batch_id FROM dispositions WHERE lead_id = 'A2'"
    ).fetchone()
    assert changes[1][3] == batch


@pytest.mark.parametrize(("outcome", "reason"), [("accepted", ""), ("rejected", "competitor")])
def test_accepting_or_rejecting_leaves_the_stage_alone(
    hand_warehouse, signed_policy, rep_user, outcome, reason
):
    _decide(hand_warehouse, rep_user, "A3", outcome, reason)
    assert [c[0] for c in _stage_changes(hand_warehouse, "A3")] == ["mql"]


def test_an_admin_acting_for_the_owner_is_recorded_as_the_mover(
    hand_warehouse, signed_policy, make_user
):
    admin = make_user(username="boss", superuser=True)
    _decide(hand_warehouse, admin, "A4", "recycled", "not_ready")
    assert _stage_changes(hand_warehouse, "A4")[-1][:3] == ("lead", LATER, "user:boss")
    assert hand_warehouse.con.execute(
        "SELECT rep_id FROM dispositions WHERE lead_id = 'A4'"
    ).fetchall() == [("rep-a",)]


def test_a_recycled_lead_that_qualifies_again_gets_a_fresh_clock(
    hand_warehouse, signed_policy, rep_user
):
    _decide(hand_warehouse, rep_user, "A2", "recycled", "not_ready")
    again = LATER + dt.timedelta(hours=1)
    ingest(
        hand_warehouse, "stage_changes", [{"lead_id": "A2", "stage": "mql", "changed_at": again}]
    )
    items = inbox_for(hand_warehouse, active_spec(), person_id="rep-a", now=again)
    a2 = next(i for i in items if i.lead_id == "A2")
    assert (a2.clock, a2.status) == ("response", "pending")
