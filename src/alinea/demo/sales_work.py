"""What sales does with an MQL: assignment to an SDR, first response, follow-up attempts, decision.

Each rep answers at their own pace (``Staff.response_hours``), counted in business hours of the
rep's time zone, so MQLs that arrive on a Friday evening wait for Monday and slow reps breach a
"first response within 4 business hours" SLA much more often than fast ones.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from alinea.demo import catalogue
from alinea.demo.leads import Leads
from alinea.demo.people import Staff, system_actor
from alinea.demo.profiles import CHANNEL_PROFILES, NOT_ACCEPTED_SPLIT, SEGMENT_PROFILES
from alinea.demo.rows import Rows, rows
from alinea.demo.timeline import (
    BUSINESS_DAY,
    MINUTE,
    NEVER,
    add_business_hours,
    business_clock,
    from_business_clock,
    lognormal_seconds,
)

ACCEPTED, REJECTED, RECYCLED, UNDECIDED = 0, 1, 2, 3
#: Disposition reasons: the reject reasons, then the recycle reasons.
REASONS = catalogue.REJECT_REASONS + catalogue.RECYCLE_REASONS
ACTIVITY_TYPES = ("call", "email", "meeting", "social")
CALL, EMAIL, MEETING, SOCIAL = range(4)
ACTIVITY_OUTCOMES = (
    "connected",
    "no_answer",
    "left_voicemail",
    "sent",
    "replied",
    "held",
    "no_show",
)
#: Chance that an MQL sales never decides on was never even contacted.
NEVER_CONTACTED = 0.5


@dataclass(frozen=True)
class MqlWork:
    """One round of sales work on MQLs: one entry per MQL; ``lead`` is the chunk position."""

    lead: np.ndarray
    rep: np.ndarray
    mql_at: np.ndarray
    assigned_at: np.ndarray
    first_response_at: np.ndarray
    decided_at: np.ndarray
    outcome: np.ndarray
    reason: np.ndarray
    activities: Rows

    def assignments(self) -> Rows:
        return rows(
            lead=self.lead,
            rep=self.rep,
            at=self.assigned_at,
            by=system_actor("routing:round-robin"),
        )

    def dispositions(self) -> Rows:
        decided = self.outcome != UNDECIDED
        return rows(
            lead=self.lead,
            rep=self.rep,
            at=self.decided_at,
            outcome=self.outcome,
            reason=self.reason,
        ).where(decided)


def later(at: np.ndarray, delay: np.ndarray) -> np.ndarray:
    """``at + delay``, where ``NEVER`` stays ``NEVER``."""
    return np.where(at >= NEVER, NEVER, at + delay)


def later_business(at: np.ndarray, hours: np.ndarray, offset: np.ndarray) -> np.ndarray:
    """``at`` plus business ``hours`` in the given UTC offsets, where ``NEVER`` stays ``NEVER``."""
    pending = at >= NEVER
    moved = add_business_hours(np.where(pending, 0, at), hours, offset)
    return np.where(pending, NEVER, moved)


def first_response(
    assigned_at: np.ndarray, rep: np.ndarray, staff: Staff, rng: np.random.Generator
) -> np.ndarray:
    """When each rep first reaches out: their habit times a per-lead spread, in business hours."""
    hours = staff.response_hours[rep] * np.exp(0.9 * rng.standard_normal(len(rep)))
    return later_business(assigned_at, hours, staff.utc_offset[rep])


def _outcomes(
    leads: Leads, lead: np.ndarray, accept_boost: np.ndarray | float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    accept = np.array([p.accept_rate for p in CHANNEL_PROFILES])[leads.channel[lead]]
    accept = np.minimum(accept * accept_boost, 0.95)
    u = rng.random(len(lead))
    rest = np.cumsum(NOT_ACCEPTED_SPLIT)[:-1]
    outcome = np.where(u < accept, ACCEPTED, 1 + np.searchsorted(rest, (u - accept) / (1 - accept)))
    student = leads.job_role[lead] == catalogue.STUDENT_ROLE
    outcome = np.where(student & (outcome != UNDECIDED), REJECTED, outcome)
    reject = rng.choice(len(catalogue.REJECT_REASONS), len(lead), p=_p(catalogue.REJECT_WEIGHTS))
    reject = np.where(student, catalogue.STUDENT_REASON, reject)
    recycle = rng.choice(len(catalogue.RECYCLE_REASONS), len(lead), p=_p(catalogue.RECYCLE_WEIGHTS))
    reason = np.select(
        [outcome == REJECTED, outcome == RECYCLED],
        [reject, len(catalogue.REJECT_REASONS) + recycle],
        -1,
    )
    return outcome.astype(np.int64), reason


def _p(weights: tuple[float, ...]) -> np.ndarray:
    return np.array(weights) / sum(weights)


def spread_in_business_time(
    count: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    offset: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """``count[i]`` random business-time instants between ``start[i]`` and ``end[i]``.

    Returns the owner position ``i`` of each instant and the instants (UTC seconds).
    """
    owner = np.repeat(np.arange(len(count)), count)
    low = business_clock(start[owner], offset[owner])
    high = business_clock(end[owner], offset[owner])
    clock = low + (rng.random(len(owner)) * (high - low)).astype(np.int64)
    return owner, from_business_clock(clock, offset[owner])


def _attempts(
    work_rep: np.ndarray,
    lead: np.ndarray,
    first_at: np.ndarray,
    until: np.ndarray,
    count: np.ndarray,
    staff: Staff,
    rng: np.random.Generator,
) -> Rows:
    contacted = first_at < NEVER
    count = np.where(contacted, count, 0)
    start = np.where(contacted, first_at, 0)
    end = np.where(until < NEVER, until, start + 5 * BUSINESS_DAY)
    owner, at = spread_in_business_time(count, start, end, staff.utc_offset[work_rep], rng)
    first = rows(lead=lead, rep=work_rep, at=first_at).where(contacted)
    follow = rows(lead=lead[owner], rep=work_rep[owner], at=at)
    both = Rows.concat([first, follow])
    kind = rng.choice([CALL, EMAIL, SOCIAL], size=len(both), p=[0.5, 0.42, 0.08])
    return Rows({**both.columns, "type": kind, "outcome": outreach_outcomes(kind, rng)})


def outreach_outcomes(kind: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Outcome codes of calls (connected / no answer / voicemail) and emails (sent / replied)."""
    call = rng.choice(3, size=len(kind), p=[0.3, 0.5, 0.2])
    email = np.where(rng.random(len(kind)) < 0.2, 4, 3)
    return np.where(kind == CALL, call, email)


def work_mqls(
    lead: np.ndarray,
    mql_at: np.ndarray,
    rep: np.ndarray,
    *,
    leads: Leads,
    staff: Staff,
    rng: np.random.Generator,
    accept_boost: np.ndarray | float = 1.0,
) -> MqlWork:
    """Assign each MQL to ``rep``, answer it, follow up and decide (accept, reject, recycle)."""
    n = len(lead)
    assigned_at = later(mql_at, lognormal_seconds(rng, 6 * MINUTE, 0.8, n))
    outcome, reason = _outcomes(leads, lead, accept_boost, rng)
    ignored = (outcome == UNDECIDED) & (rng.random(n) < NEVER_CONTACTED)
    first_at = np.where(ignored, NEVER, first_response(assigned_at, rep, staff, rng))
    pace = np.array([p.pace for p in SEGMENT_PROFILES])[leads.segment[lead]]
    decide_hours = 10 * pace * np.exp(0.9 * rng.standard_normal(n))
    decided_at = later_business(first_at, decide_hours, staff.utc_offset[rep])
    decided_at = np.where(outcome == UNDECIDED, NEVER, decided_at)
    no_response = reason == len(catalogue.REJECT_REASONS) + catalogue.NO_RESPONSE_REASON
    count = rng.poisson(1.3, n) + np.where(no_response, 3, 0)
    activities = _attempts(rep, lead, first_at, decided_at, count, staff, rng)
    return MqlWork(
        lead, rep, mql_at, assigned_at, first_at, decided_at, outcome, reason, activities
    )
