"""What the SLA scorecard shows, per period: marketing's side and sales' side of the version in
force, all read from the analytics core (no number is computed here, only arranged).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from ibis.backends import BaseBackend

from alinea.analytics import sla
from alinea.analytics.facts import Facts
from alinea.analytics.periods import Period
from alinea.analytics.run import fetch
from alinea.analytics.sla.compliance import Every
from alinea.apps.sla.selectors import clocks_for

#: How many weeks or months the scorecard looks back by default.
DEFAULT_SPAN = {"week": 12, "month": 6}
#: The breach queue lists the open clocks of undecided MQLs (a decided MQL needs no more work).
BREACH_QUEUE_SIZE = 50
GROUPS = ("rep", "team", "region")


@dataclass(frozen=True)
class Scorecard:
    period: Period
    every: Every
    now: dt.datetime
    delivery: pd.DataFrame  # sla.mql_delivery
    acceptance: pd.DataFrame  # sla.acceptance per period
    compliance_trend: pd.DataFrame  # one row per clock and period
    compliance_total: pd.DataFrame  # one row per clock, whole period
    compliance_by: dict[str, pd.DataFrame]  # group → one row per group value and clock
    percentiles: pd.DataFrame
    histogram: pd.DataFrame
    breach_queue: pd.DataFrame
    pareto: pd.DataFrame


def scorecard_period(now: dt.datetime, every: Every, count: int | None = None) -> Period:
    """The last ``count`` whole weeks (from Monday) or months up to and including ``now``'s."""
    today = now.astimezone(dt.UTC).date()
    count = count or DEFAULT_SPAN[every]
    if every == "week":
        start = today - dt.timedelta(days=today.weekday() + 7 * (count - 1))
    else:
        index = today.year * 12 + today.month - 1 - (count - 1)
        start = dt.date(index // 12, index % 12 + 1, 1)
    return Period(start, today + dt.timedelta(days=1))


def _per_clock(clocks: pd.DataFrame, **options: object) -> pd.DataFrame:
    parts = [
        sla.compliance(clocks, clock=clock, **options).assign(clock=clock)  # type: ignore[arg-type]
        for clock in sla.CLOCKS
    ]
    return pd.concat(parts, ignore_index=True)


def scorecard_for(
    con: BaseBackend,
    policy: sla.SlaPolicy,
    *,
    now: dt.datetime,
    every: Every = "week",
    period: Period | None = None,
) -> Scorecard:
    """Both sides of the SLA over ``period`` (default: the last 12 weeks or 6 months)."""
    period = period or scorecard_period(now, every)
    facts = Facts.of(con)
    clocks = clocks_for(con, policy, period=period, now=now)
    queue = sla.open_clocks(clocks[clocks["decided_at"].isna()])
    queue = queue[queue["status"].isin(["breached", "at_risk"])].head(BREACH_QUEUE_SIZE)
    return Scorecard(
        period=period,
        every=every,
        now=now,
        delivery=fetch(sla.mql_delivery(facts, policy, period=period, now=now)),
        acceptance=fetch(sla.acceptance(facts, policy, period=period, now=now, every=every)),
        compliance_trend=_per_clock(clocks, every=every),
        compliance_total=_per_clock(clocks),
        compliance_by={group: _per_clock(clocks, by=[group]) for group in GROUPS},
        percentiles=sla.response_time_percentiles(clocks),
        histogram=sla.response_time_histogram(clocks),
        breach_queue=queue.reset_index(drop=True),
        pareto=fetch(sla.reason_pareto(facts, policy, period=period, now=now)),
    )
