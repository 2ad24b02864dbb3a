"""Stalled leads: leads sitting in a stage for longer than that stage normally takes.

A lead sits in the stage of its latest stage change (ties broken as in ``history``). It is
**stalled** when its age there — ``now`` minus that change — is strictly greater than the stage's
threshold: ``StallSpec.threshold_days`` when given, else the 90th percentile of the stage's
*ended* stays before ``now`` (a stage without any ended stay has no threshold and no stalls).

A lead that sales closed out after it entered its stage — an MQL rejected by sales, a lost
deal — is not sitting in the stage: it left the funnel, and ``drop_offs`` counts it. By default
MQL, SQL and opportunity are watched: the stages where a team owns the next step. Customer is
where leads are meant to stay, and the lead stage is where every lead that never qualifies stays
for good (on the demo company about three leads in four), so neither is watched unless asked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir

from alinea.analytics.facts import Facts
from alinea.analytics.funnel.clock import days_from_micros, micros_at
from alinea.analytics.funnel.history import current_stays, ended_stays
from alinea.warehouse.schema import LIFECYCLE_STAGES

WATCHED_STAGES: tuple[str, ...] = ("mql", "sql", "opportunity")


@dataclass(frozen=True)
class StallSpec:
    """Which stages to watch, the lifecycle order, and an optional fixed threshold in days.

    >>> StallSpec(threshold_days=30).watched
    ('mql', 'sql', 'opportunity')
    """

    watched: tuple[str, ...] = WATCHED_STAGES
    stages: tuple[str, ...] = LIFECYCLE_STAGES
    threshold_days: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "watched", tuple(self.watched))
        object.__setattr__(self, "stages", tuple(self.stages))
        outside = [s for s in self.watched if s not in self.stages]
        if outside:
            raise ValueError(f"watched stages {outside} are not in the stage list {self.stages}")
        if self.threshold_days is not None and self.threshold_days < 0:
            raise ValueError(f"threshold_days cannot be negative: {self.threshold_days}")


def stall_thresholds(facts: Facts, spec: StallSpec, now: dt.datetime) -> ir.Table:
    """``stage`` and ``threshold_days`` for every watched stage (NULL: no history to judge by).

    >>> from alinea.warehouse import connect
    >>> from alinea.analytics.run import fetch
    >>> now = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    >>> fetch(stall_thresholds(Facts.of(connect("duckdb://")), StallSpec(), now)).stage.tolist()
    ['mql', 'sql', 'opportunity']
    """
    positions = list(range(len(spec.watched)))
    watched = ibis.memtable({"stage": list(spec.watched), "position": positions})
    if spec.threshold_days is not None:
        return watched.select("stage", threshold_days=ibis.literal(float(spec.threshold_days)))
    ended = ended_stays(facts, spec.stages, now)
    p90 = ended.group_by(known_stage=ended.stage).aggregate(
        threshold_days=days_from_micros(ended.changed_us, ended.next_us).quantile(0.9)
    )
    joined = watched.left_join(p90, watched.stage == p90.known_stage)
    return joined.order_by("position").select("stage", threshold_days=joined.threshold_days)


def _stalled(facts: Facts, spec: StallSpec, now: dt.datetime, limits: ir.Table) -> ir.Table:
    """``lead_id``, ``stage``, ``entered_at``, ``age_days`` and ``threshold_days`` of the stalled
    leads, judged against ``limits`` (``stall_thresholds``)."""
    current = current_stays(facts, spec.stages, now)
    current = current.filter(current.stage.isin(list(spec.watched)))
    aged = current.select(
        "lead_id",
        "stage",
        entered_at=current.changed_at,
        age_days=days_from_micros(current.changed_us, ibis.literal(micros_at(now))),
    )
    limits = limits.rename(limit_stage="stage")
    judged = aged.inner_join(limits, aged.stage == limits.limit_stage)
    waiting = judged.filter(judged.age_days > judged.threshold_days)
    closed = _closed_out(facts, now)
    stalled = waiting.anti_join(
        closed,
        [waiting.lead_id == closed.closed_lead, closed.closed_at >= waiting.entered_at],
    )
    return stalled.select("lead_id", "stage", "entered_at", "age_days", "threshold_days")


def stalls(facts: Facts, spec: StallSpec, now: dt.datetime) -> ir.Table:
    """Stalled leads, oldest first: ``lead_id``, ``stage``, ``entered_at``, ``age_days``,
    ``threshold_days``, ``owner_id`` and ``owner_name``.

    >>> from alinea.warehouse import connect
    >>> from alinea.analytics.run import fetch
    >>> now = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    >>> fetch(stalls(Facts.of(connect("duckdb://")), StallSpec(), now)).empty
    True
    """
    stalled = stalled_leads(facts, spec, now)
    owners = facts.leads.select(owned_lead="lead_id", owner_id="owner_id")
    names = facts.people.select(person_id="person_id", owner_name="name")
    owned = stalled.left_join(owners, stalled.lead_id == owners.owned_lead)
    named = owned.left_join(names, owned.owner_id == names.person_id)
    return named.select(
        "lead_id", "stage", "entered_at", "age_days", "threshold_days", "owner_id", "owner_name"
    ).order_by(ibis.desc("age_days"), "lead_id")


def stalled_leads(facts: Facts, spec: StallSpec, now: dt.datetime) -> ir.Table:
    """The rows of ``stalls`` without the owner columns and unordered: ``lead_id``, ``stage``,
    ``entered_at``, ``age_days`` and ``threshold_days`` (for callers that join leads anyway)."""
    return _stalled(facts, spec, now, stall_thresholds(facts, spec, now))


def stall_counts(facts: Facts, spec: StallSpec, now: dt.datetime) -> ir.Table:
    """Per watched stage, in order: ``stage``, ``threshold_days`` and ``stalled`` (how many rows
    ``stalls`` lists for it), without reading owners or ordering the leads.

    >>> from alinea.warehouse import connect
    >>> from alinea.analytics.run import fetch
    >>> now = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    >>> fetch(stall_counts(Facts.of(connect("duckdb://")), StallSpec(), now)).stalled.tolist()
    [0, 0, 0]
    """
    limits = stall_thresholds(facts, spec, now)
    stalled = _stalled(facts, spec, now, limits)
    counts = stalled.group_by(counted_stage=stalled.stage).aggregate(stalled=stalled.count())
    joined = limits.left_join(counts, limits.stage == counts.counted_stage)
    order = {stage: k for k, stage in enumerate(spec.watched)}
    position = joined.stage.substitute(order, else_=ibis.null("int64"))
    return joined.order_by(position).select(
        "stage", "threshold_days", stalled=joined.stalled.fill_null(0).cast("int64")
    )


def _closed_out(facts: Facts, now: dt.datetime) -> ir.Table:
    """``closed_lead``, ``closed_at``: when sales rejected a lead or lost its deal (before now)."""
    at = ibis.literal(now)
    rejected = facts.dispositions.filter(
        facts.dispositions.outcome == "rejected", facts.dispositions.decided_at <= at
    ).select(closed_lead="lead_id", closed_at="decided_at")
    deals = facts.deals
    lost = deals.filter(
        deals.status == "lost", deals.lead_id.notnull(), deals.closed_at <= at
    ).select(closed_lead="lead_id", closed_at="closed_at")
    same = ibis.schema({"closed_lead": "string", "closed_at": "timestamp('UTC', 6)"})
    return rejected.cast(same).union(lost.cast(same))
