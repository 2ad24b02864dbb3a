"""What happens once a lead is an SQL: an AE of its region takes it over and meets it.

The SDR who accepted the MQL hands it to an AE (demo requests are routed to an AE directly). The AE
reaches out at their own pace, holds a discovery meeting, and meets the opportunities again while
the deal is open.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from alinea.demo.leads import Leads
from alinea.demo.people import Staff, system_actor
from alinea.demo.rows import Rows, rows
from alinea.demo.sales_work import (
    EMAIL,
    MEETING,
    first_response,
    later,
    later_business,
    outreach_outcomes,
    spread_in_business_time,
)
from alinea.demo.timeline import MINUTE, NEVER, lognormal_seconds

HELD, NO_SHOW = 5, 6


@dataclass(frozen=True)
class Handoff:
    """AE work per lead (one entry per lead of the chunk; ``NEVER`` / -1 where there is none)."""

    ae: np.ndarray
    assigned_at: np.ndarray
    discovery_at: np.ndarray
    assignments: Rows
    activities: Rows


def hand_off(
    leads: Leads,
    sql_at: np.ndarray,
    qualified_by: np.ndarray,
    *,
    staff: Staff,
    rng: np.random.Generator,
) -> Handoff:
    """Assign every SQL to an AE, who answers and holds a discovery meeting."""
    n = len(leads)
    is_sql = sql_at < NEVER
    ae = np.where(is_sql, staff.pick_aes(leads.region, rng), -1)
    assigned_at = later(sql_at, lognormal_seconds(rng, 20 * MINUTE, 0.8, n))
    by = np.where(qualified_by >= 0, qualified_by, system_actor("routing:demo-request"))
    assigned = rows(lead=np.arange(n), rep=ae, at=assigned_at, by=by).where(is_sql)
    rep = np.maximum(ae, 0)
    touch_at = first_response(assigned_at, rep, staff, rng)
    meeting_hours = 14 * np.exp(0.7 * rng.standard_normal(n))
    discovery_at = later_business(touch_at, meeting_hours, staff.utc_offset[rep])
    touch = rows(lead=np.arange(n), rep=rep, at=touch_at, type=EMAIL)
    touch = Rows({**touch.columns, "outcome": outreach_outcomes(touch["type"], rng)})
    held = np.where(rng.random(n) < 0.9, HELD, NO_SHOW)
    meeting = rows(lead=np.arange(n), rep=rep, at=discovery_at, type=MEETING, outcome=held)
    activities = Rows.concat([touch, meeting]).where(np.r_[is_sql, is_sql])
    return Handoff(ae, assigned_at, discovery_at, assigned, activities)


def deal_meetings(
    lead: np.ndarray,
    ae: np.ndarray,
    opened_at: np.ndarray,
    closed_at: np.ndarray,
    *,
    pace: np.ndarray,
    staff: Staff,
    rng: np.random.Generator,
) -> Rows:
    """Meetings and emails of AEs with their open opportunities, between opening and closing."""
    meetings = 1 + rng.poisson(1.2 * pace)
    emails = rng.poisson(2.0 * pace)
    count = meetings + emails
    owner, at = spread_in_business_time(count, opened_at, closed_at, staff.utc_offset[ae], rng)
    rank = np.arange(len(owner)) - np.repeat(np.cumsum(count) - count, count)
    kind = np.where(rank < meetings[owner], MEETING, EMAIL)
    outcome = np.where(kind == MEETING, HELD, outreach_outcomes(kind, rng))
    return rows(lead=lead[owner], rep=ae[owner], at=at, type=kind, outcome=outcome)
