"""Reading the funnel's parameters: defaults, checks that name the parameter, and the page's
forgiving reading."""

from __future__ import annotations

import datetime as dt

import pytest

from alinea.analytics.periods import Period
from alinea.apps.funnel.params import (
    ParameterError,
    default_now,
    default_period,
    funnel_params,
    with_defaults_for_errors,
)

NOW = dt.datetime(2025, 5, 14, 10, 7, 31, tzinfo=dt.UTC)


def test_defaults() -> None:
    params = funnel_params({}, now=NOW)
    assert params.stages == ("lead", "mql", "sql", "opportunity", "customer")
    assert (params.mode, params.basis, params.grain) == ("any", "cohort", "month")
    assert params.period == Period(dt.date(2024, 6, 1), dt.date(2025, 5, 15))
    assert (params.from_stage, params.to_stage) == ("mql", "sql")
    assert params.now == dt.datetime(2025, 5, 14, 10, 5, tzinfo=dt.UTC)
    assert params.spec().period == params.period


def test_default_helpers() -> None:
    assert default_period(dt.date(2025, 1, 31), months=2) == Period(
        dt.date(2024, 12, 1), dt.date(2025, 2, 1)
    )
    assert default_now(NOW).minute == 5


def test_a_later_step_follows_a_chosen_first_step() -> None:
    params = funnel_params({"from_stage": "sql"}, now=NOW)
    assert params.to_stage == "opportunity"


@pytest.mark.parametrize(
    ("values", "parameter"),
    [
        ({"stages": "lead,lead"}, "stages"),
        ({"stages": "lead,won"}, "stages"),
        ({"mode": "strict"}, "mode"),
        ({"basis": "calendar"}, "basis"),
        ({"top_n": "51"}, "top_n"),
        ({"start": "2025-05-01", "end": "2025-04-01"}, "end"),
        ({"stall_days": "-1"}, "stall_days"),
        ({"now": "yesterday"}, "now"),
        ({"stages": "mql,sql", "from_stage": "lead"}, "from_stage"),
    ],
)
def test_problems_name_the_parameter(values: dict[str, str], parameter: str) -> None:
    with pytest.raises(ParameterError) as raised:
        funnel_params(values, now=NOW)
    assert raised.value.parameter == parameter
    assert f"parameter {parameter!r}" in str(raised.value)


def test_the_page_drops_bad_parameters_and_keeps_the_good_ones() -> None:
    values = {"grain": "year", "breakdown": "channel", "start": "2025-05-01", "end": "2025-04-01"}
    params, problems = with_defaults_for_errors(values, now=NOW)
    assert [p.parameter for p in problems] == ["grain", "end"]
    assert params.grain == "month"
    assert params.breakdown == "channel"
    assert params.period == default_period(NOW.date())
