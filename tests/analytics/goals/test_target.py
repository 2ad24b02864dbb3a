"""Target arithmetic: absolute values, relative changes and percentage points never mix."""

from __future__ import annotations

import pytest

from alinea.analytics.goals.target import (
    AbsoluteTarget,
    PointsChange,
    RelativeChange,
    TargetError,
    describe_target,
    format_value,
    make_target,
    target_value,
)


def test_relative_and_points_differ_on_the_same_rate() -> None:
    # 20 % + 5 % of itself = 21 %; 20 % + 5 points = 25 %
    assert target_value(RelativeChange(5), baseline=0.20, unit="ratio") == pytest.approx(0.21)
    assert target_value(PointsChange(5), baseline=0.20, unit="ratio") == pytest.approx(0.25)
    assert RelativeChange(5) != PointsChange(5)


def test_relative_change_of_counts_and_negative_changes() -> None:
    assert target_value(RelativeChange(10), baseline=180.0, unit="leads") == pytest.approx(198.0)
    assert target_value(RelativeChange(-10), baseline=30.0, unit="days") == pytest.approx(27.0)
    assert target_value(PointsChange(-3), baseline=0.40, unit="ratio") == pytest.approx(0.37)


def test_absolute_target_ignores_the_baseline() -> None:
    assert target_value(AbsoluteTarget(120), baseline=None, unit="leads") == 120.0
    assert target_value(AbsoluteTarget(0.3), baseline=0.9, unit="ratio") == 0.3


@pytest.mark.parametrize(
    ("target", "baseline", "unit", "message"),
    [
        (PointsChange(5), 100.0, "leads", "percentage points only applies to a rate"),
        (RelativeChange(5), None, "leads", "needs a baseline"),
        (RelativeChange(5), float("nan"), "ratio", "needs a baseline"),
        (RelativeChange(5), 0.0, "leads", "baseline of 0"),
        (PointsChange(10), 0.95, "ratio", "outside 0 %–100 %"),
        (AbsoluteTarget(25), None, "ratio", "between 0 and 1"),
        (AbsoluteTarget(-1), None, "currency", "cannot be negative"),
    ],
)
def test_targets_that_make_no_sense_are_refused(target, baseline, unit, message) -> None:
    with pytest.raises(TargetError, match=message):
        target_value(target, baseline=baseline, unit=unit)


def test_make_target_by_kind_name() -> None:
    assert make_target("relative", 5) == RelativeChange(5)
    assert make_target("points", 5) == PointsChange(5)
    assert make_target("absolute", 5) == AbsoluteTarget(5)
    with pytest.raises(TargetError, match="unknown target kind 'percent'"):
        make_target("percent", 5)


def test_the_description_says_which_kind_of_target() -> None:
    assert describe_target(RelativeChange(5), baseline=0.2, unit="ratio") == (
        "+5 % relative to the baseline (20.0 % → 21.0 %)"
    )
    assert describe_target(PointsChange(5), baseline=0.2, unit="ratio") == (
        "+5 percentage points (20.0 % → 25.0 %)"
    )
    assert describe_target(AbsoluteTarget(250), baseline=None, unit="leads") == (
        "reach 250 (an absolute value)"
    )
    assert "needs a baseline" in describe_target(RelativeChange(5), baseline=None, unit="leads")
    assert format_value(None, "ratio") == "—"
