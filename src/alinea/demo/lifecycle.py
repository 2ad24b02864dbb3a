"""How leads move through the lifecycle: subscriber → lead → MQL → SQL → opportunity → customer.

Conversion rates and delays depend on the channel and the segment. Some leads skip MQL (demo
requests go straight to SQL), recycled MQLs go back to "lead" and some qualify again later, and
many leads stall in a stage. Whatever would happen after as_of simply has not happened yet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from alinea.demo.leads import Leads
from alinea.demo.people import system_actor
from alinea.demo.profiles import (
    ACCEPTED_TO_SQL,
    CHANNEL_PROFILES,
    REQUALIFY_RATE,
    SEGMENT_PROFILES,
)
from alinea.demo.rows import Rows, rows
from alinea.demo.sales_work import ACCEPTED, RECYCLED, MqlWork, later
from alinea.demo.timeline import DAY, HOUR, NEVER, lognormal_seconds
from alinea.warehouse.schema import LIFECYCLE_STAGES

SUBSCRIBER, LEAD, MQL, SQL, OPPORTUNITY, CUSTOMER = range(len(LIFECYCLE_STAGES))
#: Stage definition versions; the teams agreed a stricter MQL definition ("mql-v2") mid-history.
DEFINITION_VERSIONS = ("mql-v1", "mql-v2", "sql-v1")
#: Under mql-v2 fewer leads qualify, but sales accepts more of them.
V2_MQL_FACTOR, V2_ACCEPT_BOOST = 0.88, 1.15
#: Leads that qualify a second time are warmer: sales accepts them more often.
REQUALIFIED_ACCEPT_BOOST = 1.1


def _channel(values: str, leads: Leads, lead: np.ndarray | slice = slice(None)) -> np.ndarray:
    return np.array([getattr(p, values) for p in CHANNEL_PROFILES])[leads.channel[lead]]


def _segment(values: str, leads: Leads, lead: np.ndarray | slice = slice(None)) -> np.ndarray:
    return np.array([getattr(p, values) for p in SEGMENT_PROFILES])[leads.segment[lead]]


@dataclass(frozen=True)
class Qualification:
    """Marketing's side of the journey, one entry per lead (``NEVER`` when it does not happen)."""

    subscriber_at: np.ndarray
    mql_at: np.ndarray
    #: Demo requests and warm introductions: straight to SQL, skipping MQL.
    demo_request_at: np.ndarray


def definition_switch(first_day: dt.date, last_day: dt.date) -> int:
    """Epoch second when mql-v2 took effect: the first day of the month in mid-history."""
    middle = first_day + (last_day - first_day) / 2
    return (middle.replace(day=1) - dt.date(1970, 1, 1)).days * DAY


def qualify(
    leads: Leads, *, window_start: int, switch_at: int, rng: np.random.Generator
) -> Qualification:
    """Which leads were subscribers first, which become MQLs, which request a demo, and when."""
    n = len(leads)
    direct = _channel("direct_sql_rate", leads)
    mql_rate = _channel("mql_rate", leads) * _segment("mql_factor", leads)
    mql_rate = np.where(leads.created >= switch_at, mql_rate * V2_MQL_FACTOR, mql_rate)
    u = rng.random(n)
    to_mql = (u >= direct) & (u < direct + mql_rate)
    median = _channel("days_to_mql", leads) * _segment("pace", leads) * DAY
    mql_at = leads.created + lognormal_seconds(rng, median, 1.1, n)
    demo_at = leads.created + lognormal_seconds(rng, 2 * HOUR, 1.0, n)
    subscribed = rng.random(n) < _channel("subscriber_rate", leads)
    subscriber_at = leads.created - lognormal_seconds(rng, 20 * DAY, 1.0, n)
    subscribed &= subscriber_at >= window_start
    return Qualification(
        subscriber_at=np.where(subscribed, subscriber_at, NEVER),
        mql_at=np.where(to_mql, mql_at, NEVER),
        demo_request_at=np.where(u < direct, demo_at, NEVER),
    )


def recycled_rows(work: MqlWork) -> Rows:
    """Recycled MQLs go back to "lead" when sales recycles them."""
    at = np.where(work.outcome == RECYCLED, work.decided_at, NEVER)
    return stage_rows(LEAD, work.lead, at, work.rep)


def requalify(work: MqlWork, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Which recycled MQLs (mask over ``work``) qualify again, and when (per MQL of ``work``)."""
    again = (work.outcome == RECYCLED) & (rng.random(len(work.lead)) < REQUALIFY_RATE)
    delay = lognormal_seconds(rng, 45 * DAY, 0.7, len(work.lead))
    return again, later(work.decided_at, delay)


def sales_qualified(
    leads: Leads, works: list[MqlWork], demo_request_at: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """When each lead became an SQL (``NEVER`` if not) and who qualified it.

    Accepted MQLs mostly become SQLs after a discovery call; demo requests are SQLs at once.
    """
    sql_at = demo_request_at.copy()
    by = np.full(len(leads), system_actor("lead-scoring"))
    for work in works:
        n = len(work.lead)
        pace = _segment("pace", leads, work.lead)
        delay = lognormal_seconds(rng, DAY * pace, 0.8, n)
        qualifies = (work.outcome == ACCEPTED) & (rng.random(n) < ACCEPTED_TO_SQL)
        at = np.where(qualifies, later(work.decided_at, delay), NEVER)
        earlier = at < sql_at[work.lead]
        sql_at[work.lead[earlier]] = at[earlier]
        by[work.lead[earlier]] = work.rep[earlier]
    return sql_at, by


def opportunities(leads: Leads, discovery_at: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """When each SQL became an opportunity (after its discovery meeting), ``NEVER`` if not."""
    n = len(leads)
    channel_quality = np.sqrt(_channel("win_factor", leads))
    rate = np.minimum(_segment("opportunity_rate", leads) * channel_quality, 0.9)
    median = _segment("days_to_opportunity", leads) * DAY
    at = later(discovery_at, lognormal_seconds(rng, median, 0.7, n))
    return np.where(rng.random(n) < rate, at, NEVER)


def stage_rows(stage: int, lead: np.ndarray, at: np.ndarray, by: np.ndarray | int) -> Rows:
    """Stage changes of ``lead`` into ``stage``; those that never happen are left out."""
    happened = at < NEVER
    version = {MQL: 0, SQL: 2}.get(stage, -1)
    return rows(lead=lead, stage=stage, at=at, by=by, version=version).where(happened)


def mql_rows(lead: np.ndarray, at: np.ndarray, switch_at: int) -> Rows:
    """MQL stage changes, tagged with the definition version in force when they happened."""
    changes = stage_rows(MQL, lead, at, system_actor("lead-scoring"))
    version = np.where(changes["at"] >= switch_at, 1, 0)
    return Rows({**changes.columns, "version": version})
