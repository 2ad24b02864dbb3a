"""The SLA the demo company signed: 4 business hours to answer an MQL, 3 attempts in 5 days, a
decision in 5 days, in each rep's own hours (09:00–18:00, as the demo generator works), with the
holidays of each region's main country and the demo's reject and recycle reasons."""

from __future__ import annotations

from alinea.apps.sla.terms import CalendarTerms, PolicyTerms, ReasonTerms, TargetTerms
from alinea.demo import catalogue

_DAY = ["09:00-18:00"]
_WEEK = {day: list(_DAY) for day in ("monday", "tuesday", "wednesday", "thursday", "friday")}
#: region → (zone, holiday country) of the region's calendar.
_REGIONS = {
    "North America": ("America/New_York", "US"),
    "EMEA": ("Europe/Madrid", "ES"),
    "LATAM": ("America/Mexico_City", "MX"),
    "APAC": ("Asia/Singapore", "SG"),
}
#: What marketing commits to when the demo warehouse is empty.
DEFAULT_MONTHLY_MQLS = 100


def demo_terms(monthly_mqls: float | None = None) -> PolicyTerms:
    """The demo SLA; the monthly MQL commitment is the recent monthly average (rounded)."""
    monthly = max(1, round(monthly_mqls or DEFAULT_MONTHLY_MQLS))
    calendars = (
        CalendarTerms("Europe/Madrid", _WEEK, country="ES"),
        *(
            CalendarTerms(zone, _WEEK, scope="region", key=region, country=country)
            for region, (zone, country) in _REGIONS.items()
        ),
    )
    reasons = tuple(ReasonTerms("rejected", r, r) for r in catalogue.REJECT_REASONS) + tuple(
        ReasonTerms("recycled", r, r) for r in catalogue.RECYCLE_REASONS
    )
    return PolicyTerms(
        quality_floor=0.5,
        first_response_hours=4,
        attempts=3,
        attempts_within_days=5,
        disposition_within_days=5,
        calendars=calendars,
        targets=(
            TargetTerms(monthly, "month"),
            TargetTerms(max(1, round(monthly * 0.33 / 4.3)), "week", region="EMEA"),
        ),
        reasons=reasons,
        unworked_after_days=10,
        note="The SLA both teams signed at the kick-off workshop.",
    )
