"""The scorecard's numbers against the hand-worked clocks and direct SQL counts of the facts."""

from __future__ import annotations

import pytest

from alinea.apps.sla.scorecard import scorecard_for
from alinea.apps.sla.selectors import active_spec

from .conftest import EXPECTED, NOW

pytestmark = pytest.mark.django_db


def _sql(con, query: str) -> list[tuple]:
    return con.con.execute(query).fetchall()


@pytest.fixture
def card(hand_warehouse, signed_policy):
    spec = active_spec()
    assert spec is not None
    return scorecard_for(hand_warehouse, spec, now=NOW, every="week")


def test_sales_compliance_equals_the_hand_worked_clocks(card) -> None:
    totals = card.compliance_total.set_index("clock")
    for clock, counts in EXPECTED.items():
        row = totals.loc[clock]
        assert {s: int(row[s]) for s in counts} == counts
        decided = counts["met"] + counts["breached"]
        assert row["compliance_rate"] == pytest.approx(counts["met"] / decided)


def test_compliance_by_rep_counts_each_reps_clocks(card) -> None:
    by_rep = card.compliance_by["rep"]
    response = by_rep[by_rep["clock"] == "response"].set_index("rep_id")
    # rep-a: A1 met; A2 and C2 breached; A3 pending, A4 at risk
    assert response.loc["rep-a", ["met", "breached", "at_risk", "pending"]].tolist() == [1, 2, 1, 1]
    assert response.loc["rep-a", "compliance_rate"] == pytest.approx(1 / 3)
    assert response.loc["rep-c", "compliance_rate"] == 1.0
    assert response.loc["rep-b", "compliance_rate"] == 0.5


def test_marketing_delivery_equals_a_direct_count(card, hand_warehouse) -> None:
    direct = dict(
        _sql(
            hand_warehouse,
            "SELECT CAST(date_trunc('week', changed_at AT TIME ZONE 'UTC') AS DATE), "
            "count(DISTINCT lead_id) FROM stage_changes WHERE stage = 'mql' GROUP BY 1",
        )
    )
    delivered = {
        row.period_start: row.delivered
        for row in card.delivery.itertuples()
        if row.delivered  # weeks without MQLs are listed with 0
    }
    assert {str(k)[:10]: v for k, v in delivered.items()} == {str(k): v for k, v in direct.items()}
    assert set(card.delivery["committed"]) == {3}


def test_reasons_pareto_equals_a_direct_count(card, hand_warehouse) -> None:
    direct = _sql(
        hand_warehouse,
        "SELECT outcome, reason, count(*) FROM dispositions "
        "WHERE outcome <> 'accepted' GROUP BY 1, 2",
    )
    pareto = {(r.outcome, r.reason): r.count for r in card.pareto.itertuples()}
    assert pareto == {(o, r): n for o, r, n in direct}
    agreed = dict(zip(card.pareto["reason"], card.pareto["agreed"], strict=True))
    assert agreed == {"spam": False, "no_budget": True, "competitor": True, "not_ready": True}
    assert card.pareto["cumulative_share"].iloc[-1] == pytest.approx(1.0)


def test_acceptance_per_week(card) -> None:
    rows = {str(r.period_start)[:10]: r for r in card.acceptance.itertuples()}
    assert (rows["2025-06-02"].dispositioned, rows["2025-06-02"].accepted) == (3, 0)
    assert (rows["2025-06-09"].dispositioned, rows["2025-06-09"].accepted) == (2, 1)
    assert rows["2025-06-09"].acceptance_rate == 0.5


def test_the_breach_queue_holds_undecided_mqls_only(card) -> None:
    queue = card.breach_queue
    # A2's response came late (done), its attempts are overdue, its decision nearly due
    assert list(zip(queue["lead_id"], queue["clock"], queue["status"], strict=True)) == [
        ("A2", "attempts", "breached"),
        ("A4", "response", "at_risk"),
        ("A2", "disposition", "at_risk"),
    ]
    assert "C2" not in set(queue["lead_id"])  # rejected: nothing left to do


def test_the_page_shows_both_sides(client, hand_warehouse, signed_policy, rep_user) -> None:
    client.force_login(rep_user)
    response = client.get("/sla/")
    assert response.status_code == 200
    html = response.content.decode()
    for marker in (
        'data-team="marketing"',
        'data-team="sales"',
        'id="chart-pareto"',
        'data-table="by-rep"',
    ):
        assert marker in html
    assert "Nothing breached or at risk." in html  # the page judges now (2026), not June 2025
    assert client.get("/sla/?every=month").status_code == 200
    assert client.get("/sla/?every=year").status_code == 404
