"""The bootstrap of weekly history: hand cases, determinism, agreement with the normal answer."""

from __future__ import annotations

import math

import numpy as np
import pytest

from alinea.analytics.goals.simulate import Known, Weeks, combine, simulate, summarise


def _normal_tail(x: float) -> float:
    """P(Z ≥ x) for a standard normal Z."""
    return 0.5 * math.erfc(x / math.sqrt(2))


def test_monte_carlo_matches_the_normal_answer_for_normal_weeks() -> None:
    rng = np.random.default_rng(123)
    values = rng.normal(100.0, 20.0, size=5000)
    past = Weeks(values=values, counts=np.ones_like(values))
    mean, sd, weeks, known = values.mean(), values.std(), 10, 300.0
    for z in (-1.0, 0.0, 0.5, 1.5):
        target = known + weeks * mean + z * sd * math.sqrt(weeks)
        futures = simulate(
            past, Known(known, 3), remaining=[1.0] * weeks, additive=True, simulations=40_000
        )
        result = summarise(futures, target=target, direction="up")
        assert result.probability == pytest.approx(_normal_tail(z), abs=0.015)
        # the 80 % interval of a normal sum: mean ± 1.2816 sd
        half = 1.2816 * sd * math.sqrt(weeks)
        assert result.low == pytest.approx(known + weeks * mean - half, rel=0.01)
        assert result.high == pytest.approx(known + weeks * mean + half, rel=0.01)


def test_same_seed_same_answer_other_seed_other_draws() -> None:
    past = Weeks(values=np.array([1.0, 5.0, 9.0]), counts=np.array([1.0, 1.0, 1.0]))

    def run(seed: int):
        return simulate(
            past, Known(0, 0), remaining=[1, 1, 1], additive=True, seed=seed, blocks=False
        )

    assert np.array_equal(run(4), run(4))
    assert not np.array_equal(run(4), run(5))


def test_blocks_keep_consecutive_weeks_together() -> None:
    past = Weeks(values=np.array([1.0, 2.0, 3.0, 4.0]), counts=np.ones(4))
    blocks = simulate(past, Known(0, 0), remaining=[1, 1], additive=True, simulations=2000)
    assert set(blocks.tolist()) == {3.0, 5.0, 7.0}  # 1+2, 2+3, 3+4
    single = simulate(past, Known(0, 0), remaining=[1, 1], additive=True, blocks=False)
    assert {2.0, 8.0} <= set(single.tolist())  # 1+1 and 4+4 are possible one week at a time
    # more weeks needed than the past holds: drawn one by one
    longer = simulate(past, Known(0, 0), remaining=[1] * 5, additive=True, simulations=2000)
    assert longer.min() < 10 < longer.max()


def test_a_short_last_week_is_scaled_down() -> None:
    past = Weeks(values=np.array([14.0]), counts=np.array([14.0]))
    futures = simulate(past, Known(10, 10), remaining=[1.0, 3 / 7], additive=True, simulations=5)
    assert futures.tolist() == pytest.approx([10 + 14 + 6] * 5)


def test_rates_combine_weighted_by_cohort_size() -> None:
    # known: 30 of 100 converted; every future week: 50 of 100 converted, two weeks to go
    past = Weeks(values=np.array([0.5]), counts=np.array([100.0]))
    futures = simulate(past, Known(0.3, 100), remaining=[1, 1], additive=False, simulations=3)
    assert futures.tolist() == pytest.approx([130 / 300] * 3)
    assert combine([0.3, None, 0.6], [10, 0, 20], additive=False) == Known(0.5, 30)
    assert combine([3, 4], [3, 4], additive=True) == Known(7, 7)


def test_nothing_left_to_simulate_is_the_known_value() -> None:
    futures = simulate(Weeks(np.array([]), np.array([])), Known(7, 7), remaining=[], additive=True)
    assert set(futures.tolist()) == {7.0}
    with pytest.raises(ValueError, match="no past weeks"):
        simulate(Weeks(np.array([]), np.array([])), Known(7, 7), remaining=[1], additive=True)


def test_probability_counts_undefined_futures_as_misses_and_follows_direction() -> None:
    futures = np.array([1.0, 2.0, 3.0, np.nan])
    assert summarise(futures, target=2.0, direction="up").probability == 0.5
    assert summarise(futures, target=2.0, direction="down").probability == 0.5
    assert summarise(futures, target=None, direction="up").probability is None
    assert summarise(np.array([np.nan]), target=1.0, direction="up").forecast is None
