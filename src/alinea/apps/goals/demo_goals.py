"""The goals the demo company set at this quarter's kick-off, and one for next quarter.

Targets are set relative to each goal's own baseline, so they stay realistic whatever the size or
seed of the demo: some are within reach, some are not, and marketing's paid-search MQL goal is
too small for sales' revenue goal (the alignment plan shows the gap).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from ibis.backends import BaseBackend

from alinea.analytics.periods import quarter_start
from alinea.apps.accounts.models import User
from alinea.apps.goals import services
from alinea.apps.goals.models import Goal


def _lead_of(team: str) -> User | None:
    return (
        User.objects.filter(memberships__team__slug=team, memberships__role="team_lead")
        .order_by("pk")
        .first()
    )


def _next_quarter(day: dt.date) -> dt.date:
    return quarter_start(quarter_start(day) + dt.timedelta(days=95))


def _goals(start: dt.date, next_start: dt.date, after: dt.date) -> list[dict[str, Any]]:
    this_quarter = {"period_start": start, "period_last_day": next_start - dt.timedelta(days=1)}
    next_quarter = {"period_start": next_start, "period_last_day": after - dt.timedelta(days=1)}
    return [
        {"title": "More MQLs from paid search", "why": "Paid search brings our best-fitting leads.",
         "owner": "marketing", "metric": "mqls", "segment": {"channel": ["paid_search"]},
         "target_kind": "relative", "target_amount": 10.0, "cadence_days": 14, **this_quarter},
        {"title": "Win 40 % more revenue from enterprise accounts",
         "why": "The board's plan for the year depends on enterprise growth.", "owner": "sales",
         "metric": "revenue_won", "segment": {"segment": ["enterprise"]},
         "target_kind": "relative", "target_amount": 40.0, "cadence_days": 7, **this_quarter},
        {"title": "Shorten the sales cycle by 10 %", "why": "Deals that drag on are lost.",
         "owner": "sales", "metric": "sales_cycle", "segment": {"segment": ["mid_market"]},
         "target_kind": "relative", "target_amount": -10.0, "cadence_days": 14, **this_quarter},
        {"title": "Raise the lead→MQL conversion rate by 5 % next quarter",
         "why": "More of the leads we already pay for should become MQLs.", "owner": "joint",
         "metric": "lead_to_mql_rate", "segment": {"channel": ["paid_search"]},
         "target_kind": "relative", "target_amount": 5.0, "cadence_days": 14, "window_days": 30,
         **next_quarter},
    ]  # fmt: skip


def _attachments(con: BaseBackend, goals: list[Goal], now: dt.datetime) -> None:
    mqls, revenue, _cycle, conversion = goals
    marketing, sales = _lead_of("marketing"), _lead_of("sales")
    for title in ("Website conversion optimisation", "Paid-search strategy",
                  "Bottom-of-funnel content"):  # fmt: skip
        services.initiative_add(actor=marketing, goal=conversion, title=title, owner="marketing")
    services.obstacle_add(
        actor=marketing, goal=conversion, description="Landing pages load slowly on mobile."
    )
    services.resource_need_add(
        actor=marketing, goal=conversion, kind="data", description="Spend and clicks per keyword."
    )
    ask = services.ask_create(
        actor=marketing,
        goal=conversion,
        asked_team="sales",
        request="Tell us within a week why each rejected paid-search MQL was rejected.",
    )
    services.ask_answer(actor=sales, ask=ask, accept=True, comment="Agreed from Monday.", now=now)
    services.goal_link_add(actor=marketing, goal=mqls, supports=revenue)
    start = dt.datetime.combine(mqls.period_start, dt.time(10), dt.UTC)
    for weeks, confidence in ((2, 7), (4, 6), (6, 5)):
        moment = start + dt.timedelta(weeks=weeks)
        if moment < now:
            services.check_in_record(
                actor=marketing, con=con, goal=mqls, confidence=confidence, comment="", now=moment
            )


def setup(con: BaseBackend, *, now: dt.datetime | None = None) -> list[Goal]:
    """Create the demo goals unless goals exist already (idempotent)."""
    if Goal.objects.exists():
        return []
    now = now or timezone.now()
    start = quarter_start(now.date())
    next_start = _next_quarter(start)
    kickoff = dt.datetime.combine(start, dt.time(9), dt.UTC)
    owners = {"marketing": _lead_of("marketing"), "sales": _lead_of("sales")}
    with transaction.atomic():
        goals = [
            services.goal_create(
                actor=owners.get(fields["owner"], owners["marketing"]),
                con=con,
                # this quarter's goals were set at its kick-off; next quarter's are being set now
                now=kickoff if fields["period_start"] == start else now,
                **fields,
            )
            for fields in _goals(start, next_start, _next_quarter(next_start))
        ]
        _attachments(con, goals, now)
    return goals
