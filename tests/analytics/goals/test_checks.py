"""SMART and FAST letters on hand-made findings: pass/fail and the reason given."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from alinea.analytics.goals.checks import Findings, fast, late_check_ins, smart
from alinea.analytics.goals.spec import GoalSpec
from alinea.analytics.goals.target import RelativeChange
from alinea.analytics.periods import Period

NOW = dt.datetime(2025, 5, 13, tzinfo=dt.UTC)


def _at(month: int, day: int) -> dt.datetime:
    return dt.datetime(2025, month, day, tzinfo=dt.UTC)


Q2 = Period(dt.date(2025, 4, 1), dt.date(2025, 7, 1))


def _spec(**changes) -> GoalSpec:
    base = {
        "metric": "lead_to_mql_rate",
        "target": RelativeChange(5),
        "period": Q2,
        "set_at": _at(3, 20),
        "owner": "marketing",
        "filters": {"channel": ["paid_search"]},
        "cadence_days": 14,
        "check_ins": (_at(4, 14), _at(4, 28),
                      _at(5, 12)),
    }  # fmt: skip
    return GoalSpec(**{**base, **changes})


def _findings(**changes) -> Findings:
    base = Findings(
        spec=_spec(),
        now=NOW,
        unit="ratio",
        metric_known=True,
        current=0.22,
        current_count=150,
        baseline=0.20,
        target=0.21,
        target_problem=None,
        history_weeks=26,
        probability=0.5,
        trend=0.205,
        direction="up",
    )
    return dataclasses.replace(base, **changes)


def _letters(checks) -> list[tuple[str, bool, str]]:
    return [(c.letter, c.passed, c.reason) for c in checks]


def test_a_good_goal_passes_every_letter_with_its_reason() -> None:
    findings = _findings()
    assert _letters(smart(findings)) == [
        ("S", True, "lead_to_mql_rate for channel = paid_search, owned by marketing"),
        ("M", True, "current value 22.0 %, from 150 records in the warehouse"),
        ("A", True, "target 21.0 % is a value the metric can take; judged on 26 past weeks"),
        ("R", True, "50% chance of reaching the target by the end of the period"),
        ("T", True, "2025-04-01 to 2025-06-30; 49 days left"),
    ]
    assert _letters(fast(findings)) == [
        ("F", True, "every 14 days; 3 check-in(s), none late"),
        ("A", True, "beyond the baseline trend (20.5 %)"),
        ("S", True, "lead_to_mql_rate for channel = paid_search, owned by marketing"),
        ("T", True, "visible to marketing and sales: goals in alinea are never private"),
    ]


def test_specific_names_what_is_missing() -> None:
    spec = _spec(owner="", filters={})
    (s, *_rest) = smart(_findings(spec=spec))
    assert (s.passed, s.reason) == (False, "missing a segment, an owner team")


def test_measurable_needs_facts() -> None:
    _s, m, *_rest = smart(_findings(current=None, current_count=0))
    assert (m.passed, m.reason) == (
        False,
        "no facts yet to compute it on (the current value is undefined)",
    )


def test_achievable_reports_target_problems_and_thin_history() -> None:
    _s, _m, a, *_rest = smart(_findings(target=None, target_problem="a change needs a baseline"))
    assert (a.passed, a.reason) == (False, "a change needs a baseline")
    _s, _m, a, *_rest = smart(_findings(history_weeks=3))
    assert (a.passed, a.reason) == (False, "only 3 past weeks of data; at least 4 needed")


@pytest.mark.parametrize(
    ("probability", "realistic", "ambitious"),
    [
        (0.05, False, True),
        (0.10, True, True),
        (0.90, True, True),
        (0.91, True, False),
        (None, False, True),
    ],
)
def test_ten_and_ninety_per_cent_thresholds(probability, realistic, ambitious) -> None:
    findings = _findings(probability=probability)
    assert smart(findings)[3].passed is realistic
    assert fast(findings)[1].passed is ambitious
    if probability == 0.05:
        assert smart(findings)[3].reason.startswith("unrealistic: only 5% chance")
    if probability == 0.91:
        assert fast(findings)[1].reason == "not ambitious: 91% chance of reaching it as things go"


def test_ambitious_means_beyond_the_trend_in_the_goal_direction() -> None:
    below = fast(_findings(target=0.21, trend=0.23))[1]
    assert (below.passed, below.reason) == (
        False,
        "the target does not go beyond the baseline trend (23.0 %)",
    )
    down = fast(_findings(direction="down", target=27.0, trend=30.0, unit="days"))[1]
    assert down.passed is True


def test_time_bound_fails_for_a_period_over_before_the_goal_was_set() -> None:
    spec = _spec(set_at=_at(7, 2))
    t = smart(_findings(spec=spec))[4]
    assert (t.passed, t.reason) == (False, "the period ended on 2025-06-30 before the goal was set")


def test_late_check_ins_by_hand() -> None:
    # start 1 April; every 14 days with 2 days of grace; one check-in on 10 April, now 13 May:
    # due 24 April (missed: next one 15 May > 13 May) … then 8 May missed (8 + 2 < 13)
    spec = _spec(check_ins=(_at(4, 10),))
    assert late_check_ins(spec, NOW) == [dt.date(2025, 4, 24), dt.date(2025, 5, 8)]
    f = fast(_findings(spec=spec))[0]
    assert (f.passed, f.reason) == (
        False,
        "every 14 days, but 2 check-in(s) late (first due 2025-04-24)",
    )
    # due 15 April, done 16 April: within the grace
    on_time = _spec(check_ins=(_at(4, 16), _at(4, 30),
                               _at(5, 12)))  # fmt: skip
    assert late_check_ins(on_time, NOW) == []
    no_cadence = fast(_findings(spec=_spec(cadence_days=None)))[0]
    assert (no_cadence.passed, no_cadence.reason) == (False, "no review cadence set")


def test_goal_spec_refuses_naive_datetimes_and_unknown_owners() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        _spec(set_at=dt.datetime(2025, 3, 20))  # noqa: DTZ001
    with pytest.raises(ValueError, match="owner must be one of"):
        _spec(owner="finance")
    assert _spec(filters={}).segment_text() == "all"


def test_every_reason_is_a_message_id_with_its_parameters() -> None:
    from alinea.analytics.goals.checks import MESSAGES

    variants = [
        _findings(),
        _findings(spec=_spec(filters={}, owner=""), current=None, target_problem="bad"),
        _findings(metric_known=False, probability=None, trend=None),
        _findings(history_weeks=2, probability=0.95, trend=0.3),
        _findings(spec=_spec(cadence_days=None, set_at=_at(7, 2))),
    ]
    seen = set()
    for findings in variants:
        for check in (*smart(findings), *fast(findings)):
            assert check.message in MESSAGES
            seen.add(check.message)
            if check.message != "specific.missing":
                assert check.reason == MESSAGES[check.message].format(**check.params)
    assert len(seen) >= 17
