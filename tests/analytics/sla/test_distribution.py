"""Response-time percentiles and histograms against direct computations."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from alinea.analytics.sla import response_time_histogram, response_time_percentiles


def _clocks(seed: int = 7, size: int = 500) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    mql_at = pd.Timestamp("2025-06-02", tz="UTC") + pd.to_timedelta(
        rng.integers(0, 40 * 24 * 60, size), unit="min"
    )
    answered = rng.random(size) < 0.8
    return pd.DataFrame(
        {
            "rep_id": rng.choice(["a", "b", "c", None], size),
            "mql_at": mql_at,
            "responded_at": mql_at.where(answered),  # any instant: only presence matters
            "response_hours": rng.lognormal(0.5, 1.0, size),
        }
    )


def test_percentiles_per_rep_equal_numpy_on_the_answered_leads() -> None:
    clocks = _clocks()
    table = response_time_percentiles(clocks, by=["rep"], percentiles=[0.5, 0.9])
    assert list(table.columns) == ["rep_id", "responded", "mean_hours", "p50_hours", "p90_hours"]
    for row in table.to_dict("records"):
        same_rep = (
            clocks["rep_id"].isna() if pd.isna(row["rep_id"]) else clocks["rep_id"] == row["rep_id"]
        )
        hours = clocks.loc[same_rep & clocks["responded_at"].notna(), "response_hours"].to_numpy()
        assert row["responded"] == len(hours)
        assert row["mean_hours"] == pytest.approx(hours.mean())
        assert row["p50_hours"] == pytest.approx(np.percentile(hours, 50))
        assert row["p90_hours"] == pytest.approx(np.percentile(hours, 90))
    assert table["responded"].sum() == clocks["responded_at"].notna().sum()


def test_percentiles_per_month_and_without_any_answer() -> None:
    clocks = _clocks()
    monthly = response_time_percentiles(clocks, every="month")
    assert monthly["period_start"].tolist() == [
        pd.Timestamp("2025-06-01"),
        pd.Timestamp("2025-07-01"),
    ]
    nobody = clocks.assign(responded_at=pd.NaT)
    empty = response_time_percentiles(nobody).to_dict("records")
    assert empty[0]["responded"] == 0
    assert np.isnan(empty[0]["p50_hours"])


def test_histogram_counts_each_bin_like_a_direct_count() -> None:
    clocks = _clocks()
    edges = [0, 1, 2, 4, 8]
    table = response_time_histogram(clocks, by=["rep"], edges=edges)
    answered = clocks[clocks["responded_at"].notna()]
    for rep, part in table.groupby("rep_id", dropna=False):
        mine = answered[answered["rep_id"].isna() if pd.isna(rep) else answered["rep_id"] == rep]
        hours = mine["response_hours"].to_numpy()
        bounds = [*edges, np.inf]
        expected = [
            int(((hours >= lo) & (hours < hi)).sum()) for lo, hi in itertools.pairwise(bounds)
        ]
        assert part["count"].tolist() == expected
        assert part["share"].sum() == pytest.approx(1.0)
        assert part["cumulative_share"].iloc[-1] == pytest.approx(1.0)
        assert part["lower_hours"].tolist() == edges
        assert np.isnan(part["upper_hours"].iloc[-1])


def test_histogram_edges_must_increase() -> None:
    with pytest.raises(ValueError, match="increasing"):
        response_time_histogram(_clocks(), edges=[0, 2, 1])
