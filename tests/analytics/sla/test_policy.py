"""The SLA spec refuses what both teams could not have meant, and its docstrings run."""

from __future__ import annotations

import doctest
import importlib

import pytest

from alinea.analytics.sla import (
    BusinessCalendar,
    CalendarRules,
    DeliveryTarget,
    MarketingCommitment,
    ReasonCode,
    Recycling,
    SalesCommitment,
)

MADRID = BusinessCalendar.weekdays("Europe/Madrid", "09:00-18:00", country="ES")
LISBON = BusinessCalendar.weekdays("Europe/Lisbon", "09:00-18:00", country="PT")
NEW_YORK = BusinessCalendar.weekdays("America/New_York", "09:00-17:00", country="US")


def test_calendar_rules_pick_team_then_region_then_default() -> None:
    rules = CalendarRules(
        default=MADRID, by_team={"mgr-na": NEW_YORK}, by_region={"Iberia": LISBON},
        rep_time_zones=False,
    )  # fmt: skip
    assert rules.calendar_for(manager_id="mgr-na", region="Iberia", timezone=None) == NEW_YORK
    assert rules.calendar_for(manager_id="mgr-x", region="Iberia", timezone=None) == LISBON
    assert rules.calendar_for(manager_id=None, region=None, timezone="Asia/Tokyo") == MADRID
    in_zone = CalendarRules(default=MADRID).calendar_for(
        manager_id=None, region=None, timezone="Asia/Tokyo"
    )
    assert (in_zone.timezone, in_zone.week, in_zone.country) == ("Asia/Tokyo", MADRID.week, "ES")
    with pytest.raises(TypeError):
        rules.by_team["mgr-eu"] = MADRID  # type: ignore[index]


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: SalesCommitment(0, 3, 2, 3), "first-response time"),
        (lambda: SalesCommitment(4, 0, 2, 3), "contact attempts"),
        (lambda: SalesCommitment(4, 3, 2, 3, at_risk_share=1.5), "at-risk share"),
        (lambda: SalesCommitment(4, 3, 2, 3, clock_starts="lunch"), "clock starts"),  # type: ignore[arg-type]
        (lambda: SalesCommitment(4, 3, 2, 3, contact_types=()), "contact attempt"),
        (lambda: MarketingCommitment((), quality_floor=60), "share between 0 and 1"),
        (lambda: DeliveryTarget(mqls=10, every="day"), "per week or month"),  # type: ignore[arg-type]
        (lambda: DeliveryTarget(mqls=0, every="week"), "MQL count"),
        (lambda: Recycling(unworked_after_days=-1), "recycling window"),
    ],
)
def test_specs_refuse_impossible_values(build, message) -> None:
    with pytest.raises(ValueError, match=message):
        build()


def test_recycling_lists_the_agreed_codes_per_outcome() -> None:
    recycling = Recycling(
        reasons=[ReasonCode("no_budget", "rejected"), ReasonCode("not_ready", "recycled")]
    )
    assert recycling.agreed("rejected") == ("no_budget",)
    assert recycling.reasons == (
        ReasonCode("no_budget", "rejected"),
        ReasonCode("not_ready", "recycled"),
    )


MODULES = [
    "business_time",
    "calendar",
    "clocks",
    "compliance",
    "distribution",
    "handback",
    "marketing",
    "policy",
    "timeline",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name) -> None:
    module = importlib.import_module(f"alinea.analytics.sla.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0
