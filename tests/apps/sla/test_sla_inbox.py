"""The rep's inbox: order by urgency, and each action writes exactly the right fact."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from alinea.apps.sla.inbox import contact_attempt_record, mql_disposition_record
from alinea.apps.sla.selectors import active_spec, inbox_for
from alinea.warehouse import ingest_many

from .conftest import INBOX_A, NOW

pytestmark = pytest.mark.django_db
LATER = NOW + dt.timedelta(minutes=5)


def _rows(con, sql: str) -> list[tuple]:
    return con.con.execute(sql).fetchall()


def test_the_inbox_lists_the_reps_open_mqls_most_urgent_first(hand_warehouse, signed_policy):
    items = inbox_for(hand_warehouse, active_spec(), person_id="rep-a", now=NOW)
    assert [i.lead_id for i in items] == INBOX_A
    assert [(i.clock, i.status) for i in items] == [
        ("attempts", "breached"),
        ("response", "at_risk"),
        ("response", "pending"),
    ]
    assert items[0].company == "Company A2"
    assert items[0].attempts == 1
    assert inbox_for(hand_warehouse, active_spec(), person_id="rep-c", now=NOW) == []


def test_rejecting_writes_one_disposition_fact(hand_warehouse, signed_policy, rep_user):
    row = mql_disposition_record(
        actor=rep_user,
        con=hand_warehouse,
        policy=active_spec(),
        lead_id="A2",
        outcome="rejected",
        reason="competitor",
        now=LATER,
    )
    stored = _rows(
        hand_warehouse,
        "SELECT lead_id, rep_id, decided_at, outcome, reason, batch_id FROM dispositions "
        "WHERE lead_id = 'A2'",
    )
    assert len(stored) == 1
    lead, rep, decided, outcome, reason, batch = stored[0]
    assert (lead, rep, outcome, reason) == ("A2", "rep-a", "rejected", "competitor")
    assert decided == LATER
    assert batch.startswith("sla-inbox-ann-")
    assert row["decided_at"] == LATER
    later = inbox_for(hand_warehouse, active_spec(), person_id="rep-a", now=LATER)
    assert [i.lead_id for i in later] == ["A4", "A3"]


def test_accepting_stores_no_reason(hand_warehouse, signed_policy, rep_user):
    mql_disposition_record(
        actor=rep_user,
        con=hand_warehouse,
        policy=active_spec(),
        lead_id="A3",
        outcome="accepted",
        reason="ignored",
        now=LATER,
    )
    assert _rows(
        hand_warehouse, "SELECT outcome, reason FROM dispositions WHERE lead_id = 'A3'"
    ) == [("accepted", None)]


@pytest.mark.parametrize(
    ("outcome", "reason"),
    [("rejected", ""), ("rejected", "not_ready"), ("recycled", "spam"), ("won", "")],
)
def test_a_reason_must_be_one_both_teams_agreed_on(
    hand_warehouse, signed_policy, rep_user, outcome, reason
):
    with pytest.raises(ValidationError):
        mql_disposition_record(
            actor=rep_user,
            con=hand_warehouse,
            policy=active_spec(),
            lead_id="A2",
            outcome=outcome,
            reason=reason,
            now=LATER,
        )
    assert _rows(hand_warehouse, "SELECT count(*) FROM dispositions WHERE lead_id = 'A2'") == [(0,)]


def test_a_rep_acts_only_on_their_own_leads(hand_warehouse, signed_policy, rep_user):
    with pytest.raises(PermissionDenied):
        mql_disposition_record(
            actor=rep_user,
            con=hand_warehouse,
            policy=active_spec(),
            lead_id="C1",
            outcome="accepted",
            now=LATER,
        )
    with pytest.raises(PermissionDenied):
        contact_attempt_record(
            actor=rep_user, con=hand_warehouse, lead_id="B1", kind="call", now=LATER
        )


def test_a_decided_mql_cannot_be_decided_again(hand_warehouse, signed_policy, rep_user):
    with pytest.raises(ValidationError, match="no MQL waiting"):
        mql_disposition_record(
            actor=rep_user,
            con=hand_warehouse,
            policy=active_spec(),
            lead_id="A1",
            outcome="accepted",
            now=LATER,
        )


def test_logging_an_attempt_writes_an_activity_and_moves_the_clock(
    hand_warehouse, signed_policy, rep_user
):
    contact_attempt_record(
        actor=rep_user, con=hand_warehouse, lead_id="A4", kind="email", outcome="sent", now=LATER
    )
    stored = _rows(
        hand_warehouse,
        "SELECT lead_id, rep_id, occurred_at, type, outcome FROM activities WHERE lead_id = 'A4'",
    )
    assert stored == [("A4", "rep-a", LATER, "email", "sent")]
    items = inbox_for(hand_warehouse, active_spec(), person_id="rep-a", now=LATER)
    a4 = next(i for i in items if i.lead_id == "A4")
    assert (a4.attempts, a4.clock) == (1, "attempts")


def test_the_inbox_page_decides_in_one_action(client, hand_warehouse, signed_policy, rep_user):
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=30)
    stamp = now.isoformat()
    ingest_many(
        hand_warehouse,
        {
            "leads": [{"lead_id": "N1", "created_at": stamp, "company": "Nowco"}],
            "stage_changes": [{"lead_id": "N1", "stage": "mql", "changed_at": stamp}],
            "assignments": [{"lead_id": "N1", "rep_id": "rep-a", "assigned_at": stamp}],
        },
    )
    client.force_login(rep_user)
    page = client.get("/sla/inbox/").content.decode()
    assert 'data-lead="N1"' in page
    response = client.post(
        "/sla/inbox/decide/", {"lead_id": "N1", "reason_choice": "recycled|not_ready"}
    )
    assert response.status_code == 302
    assert _rows(hand_warehouse, "SELECT outcome, reason FROM dispositions WHERE lead_id='N1'") == [
        ("recycled", "not_ready")
    ]
    assert 'data-lead="N1"' not in client.get("/sla/inbox/").content.decode()
    client.post("/sla/inbox/attempt/", {"lead_id": "N1", "kind": "call"})
    assert _rows(hand_warehouse, "SELECT type FROM activities WHERE lead_id='N1'") == [("call",)]
