"""The backtest of a version beside the active one and the lead explanation, against a direct
per-lead computation on the hand-built warehouse (see conftest)."""

from __future__ import annotations

import pandas as pd
import pytest

from alinea.apps.definitions.selectors import definition_backtest, lead_explanation
from alinea.apps.definitions.services import definition_create

from .conftest import (
    HAND_LEADS,
    LOOSE,
    MONTH_ENDS,
    NOW,
    STRICT,
    loose_qualifies,
    loose_score,
    recent_touches,
    reference_months,
    reference_recall,
    signed,
    strict_qualifies,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposed(leads, hand_warehouse):
    signed(leads, STRICT)
    return definition_create(actor=leads["marketer"], stage="mql", document=LOOSE)


def test_the_backtest_shows_the_proposed_version_beside_the_active_one(
    hand_warehouse, proposed
) -> None:
    result = definition_backtest(hand_warehouse, proposed, months=3, now=NOW)
    assert result.versions == ["v2", "v1"]
    for version, qualifies in (("v1", strict_qualifies), ("v2", loose_qualifies)):
        rows = result.months[result.months.version == version]
        got = {
            pd.Timestamp(row.month).date(): {
                "mqls": row.mqls,
                "became_sql": row.became_sql,
                "became_customer": row.became_customer,
            }
            for row in rows.itertuples()
        }
        assert got == reference_months(qualifies)
        recall = result.recall.set_index("version").loc[version]
        assert (recall.eventual_customers, recall.caught) == reference_recall(qualifies)
        load = result.rep_load[result.rep_load.version == version]
        assert load.mqls.sum() == rows.mqls.sum()
    # the data makes the two versions differ
    assert reference_months(loose_qualifies) != reference_months(strict_qualifies)


def test_the_backtest_of_the_active_version_stands_alone(leads, hand_warehouse) -> None:
    active = signed(leads, STRICT)
    result = definition_backtest(hand_warehouse, active, months=3, now=NOW)
    assert result.versions == ["v1"]
    assert set(result.months.version) == {"v1"}


@pytest.mark.parametrize("lead", HAND_LEADS[:12], ids=lambda lead: lead.lead_id)
def test_the_explanation_matches_a_direct_count(hand_warehouse, proposed, lead) -> None:
    at = MONTH_ENDS[1]
    result = lead_explanation(hand_warehouse, proposed, lead_id=lead.lead_id, now=at)
    if lead.created_at > at:
        assert not result.found
        return
    touches = recent_touches(lead, at)
    assert result.found
    assert result.qualified == loose_qualifies(lead, at)
    assert result.score == loose_score(lead, at)
    assert result.reasons == [
        ("≥ 1 touchpoints in 30 days", touches >= 1),
        ("score ≥ 10", loose_score(lead, at) >= 10),
    ]
    expected = [("segment in enterprise", 20.0)] if lead.segment == "enterprise" else []
    if touches:
        expected.append(("touchpoints", 5.0 * touches))
    assert sorted(result.factors) == sorted(expected)


def test_an_unknown_lead_is_not_found(hand_warehouse, proposed) -> None:
    assert not lead_explanation(hand_warehouse, proposed, lead_id="nobody", now=NOW).found
