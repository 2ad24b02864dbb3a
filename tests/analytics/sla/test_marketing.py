"""Marketing delivery, acceptance and the reasons Pareto on the hand-built week (conftest.py).

MQL events: May 20 L10 (rejected, wrong_fit — not an agreed code), May 21 L11 (rejected,
no_budget), May 30 L9 (recycled, not_ready); week of 2 June: L1 (accepted), L2, L8 (rejected,
no_budget); week of 9 June: L3, L4, L5, L6, L8 again; L9 again on 11 June after NOW.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from alinea.analytics.periods import Period
from alinea.analytics.run import fetch
from alinea.analytics.sla import acceptance, mql_delivery, reason_pareto
from alinea.analytics.sla.marketing import buckets

MAY_JUNE = Period(dt.date(2025, 5, 1), dt.date(2025, 7, 1))


def test_delivery_counts_distinct_new_mqls_per_bucket_against_each_target(sla_week) -> None:
    week = sla_week
    table = fetch(mql_delivery(week.facts, week.policy, period=week.period, now=week.now))
    weekly = table[table["target"] == 0]
    got = {
        str(row["period_start"].date()): (row["delivered"], row["met"], row["complete"])
        for row in weekly.to_dict("records")
    }
    assert got == {
        "2025-05-26": (1, False, True),  # L9
        "2025-06-02": (3, True, True),  # L1, L2, L8
        "2025-06-09": (5, True, False),  # L3, L4, L5, L6, L8 — not L9, after NOW
        "2025-06-16": (0, False, False),
        "2025-06-23": (0, False, False),
        "2025-06-30": (0, False, False),
    }
    assert set(weekly["committed"]) == {3}
    assert weekly["delivery_rate"].tolist() == pytest.approx([1 / 3, 1, 5 / 3, 0, 0, 0])
    monthly = table[table["target"] == 1].to_dict("records")
    assert len(monthly) == 1
    # enterprise leads in EMEA: L1, L3 and L8 (counted once although it qualified twice)
    row = monthly[0]
    assert (row["segment"], row["region"], row["every"]) == ("enterprise", "EMEA", "month")
    assert (row["delivered"], row["committed"], row["met"]) == (3, 2, True)


def test_acceptance_is_accepted_over_dispositioned_against_the_floor(sla_week) -> None:
    week = sla_week
    table = fetch(acceptance(week.facts, week.policy, period=week.period, now=week.now))
    assert table.to_dict("records") == [
        {
            "period_start": pd.Timestamp("2025-06-01"),
            "mqls": 8,
            "dispositioned": 2,  # L1 accepted, L8 rejected
            "accepted": 1,
            "rejected": 1,
            "recycled": 0,
            "acceptance_rate": 0.5,
            "quality_floor": 0.6,
            "floor_met": False,
        }
    ]


def test_acceptance_by_segment_and_week(sla_week) -> None:
    week = sla_week
    expr = acceptance(
        week.facts, week.policy, period=MAY_JUNE, now=week.now, every="week", by=["segment"]
    )
    rows = {
        (str(r["period_start"].date()), r["segment"]): r for r in fetch(expr).to_dict("records")
    }
    assert set(rows) == {
        ("2025-05-19", "smb"),
        ("2025-05-26", "smb"),
        ("2025-06-02", "enterprise"),
        ("2025-06-02", "smb"),
        ("2025-06-09", "enterprise"),
        ("2025-06-09", "mid_market"),
        ("2025-06-09", "smb"),
    }
    may = rows["2025-05-19", "smb"]
    assert (may["mqls"], may["rejected"], may["acceptance_rate"]) == (2, 2, 0.0)
    enterprise = rows["2025-06-02", "enterprise"]
    assert (enterprise["mqls"], enterprise["accepted"], enterprise["rejected"]) == (2, 1, 1)
    smb = rows["2025-06-09", "smb"]
    assert smb["dispositioned"] == 0
    assert smb["acceptance_rate"] != smb["acceptance_rate"]  # NaN: nothing decided
    assert smb["floor_met"] is None
    with pytest.raises(ValueError, match="acceptance groups"):
        acceptance(week.facts, week.policy, period=MAY_JUNE, now=week.now, by=["rep"])


def test_reason_pareto_counts_shares_and_flags_unagreed_codes(sla_week) -> None:
    week = sla_week
    table = fetch(reason_pareto(week.facts, week.policy, period=MAY_JUNE, now=week.now))
    assert table.to_dict("records") == [
        {"outcome": "rejected", "reason": "no_budget", "count": 2, "share": 0.5,
         "cumulative_share": 0.5, "agreed": True},
        {"outcome": "recycled", "reason": "not_ready", "count": 1, "share": 0.25,
         "cumulative_share": 0.75, "agreed": True},
        {"outcome": "rejected", "reason": "wrong_fit", "count": 1, "share": 0.25,
         "cumulative_share": 1.0, "agreed": False},
    ]  # fmt: skip
    rejected = reason_pareto(
        week.facts, week.policy, period=MAY_JUNE, now=week.now, outcomes=["rejected"]
    )
    assert fetch(rejected)["cumulative_share"].tolist() == pytest.approx([2 / 3, 1.0])
    # only the MQL events of the period count: June has one rejection
    june = fetch(reason_pareto(week.facts, week.policy, period=week.period, now=week.now))
    assert june[["reason", "count"]].values.tolist() == [["no_budget", 1]]


def test_buckets_are_whole_weeks_and_months_overlapping_the_period() -> None:
    december = Period(dt.date(2024, 12, 31), dt.date(2025, 1, 2))
    assert buckets(december, "month") == [
        (dt.date(2024, 12, 1), dt.date(2025, 1, 1)),
        (dt.date(2025, 1, 1), dt.date(2025, 2, 1)),
    ]
    assert buckets(december, "week") == [(dt.date(2024, 12, 30), dt.date(2025, 1, 6))]
