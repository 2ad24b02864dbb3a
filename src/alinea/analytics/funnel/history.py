"""A lead's stage history read in order: time in stage and backward moves (recycling).

A lead's stage changes into the ``HistorySpec.stages`` are ordered by time; changes at the same
instant are ordered by the stages' positions in that list (earlier stage first). So the last of
simultaneous changes is the lead's current stage, the time spent in the earlier one is zero, and
simultaneous changes are never a backward move. Changes into stages outside the list are ignored.

- A **stay** begins with a stage change and ends with the lead's next stage change (whatever its
  stage). Stays that have not ended by ``now`` are *current* and have no duration yet.
- A **backward move** is a stage change into a stage earlier in the list than the stage of the
  lead's previous change (e.g. MQL → lead when sales recycles an MQL).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir

from alinea.analytics.facts import Facts
from alinea.analytics.funnel.clock import Clock, clock_of, days_from_micros, instant
from alinea.analytics.periods import Period
from alinea.warehouse.firsts import stays_beside
from alinea.warehouse.schema import LIFECYCLE_STAGES


@dataclass(frozen=True)
class HistorySpec:
    """Stages in lifecycle order (for ties and for what is "earlier") and an optional period.

    ``period`` keeps the stays that began in it (time in stage) or the moves made in it.

    >>> HistorySpec().stages[:2]
    ('subscriber', 'lead')
    """

    stages: tuple[str, ...] = LIFECYCLE_STAGES
    period: Period | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "stages", tuple(self.stages))
        if len(set(self.stages)) != len(self.stages) or not self.stages:
            raise ValueError(f"list each stage once, got {self.stages!r}")


def stage_history(facts: Facts, stages: tuple[str, ...], now: dt.datetime) -> ir.Table:
    """Every stage change into ``stages`` before ``now``, with its neighbours in the lead's order.

    Columns: ``lead_id``, ``stage``, ``position`` (index in ``stages``), ``changed_at``,
    ``changed_by``, ``changed_us`` (microseconds since the epoch), ``next_us`` (of the lead's next
    change, NULL if none yet), ``previous_stage`` and ``previous_position`` (NULL for the lead's
    first change).

    For the whole lifecycle the neighbours are read from the warehouse's ``lead_stays`` when it
    keeps one (``alinea.warehouse.firsts``): the same rows, without a window over every change.
    """
    positions = {stage: index for index, stage in enumerate(stages)}
    clock = clock_of(facts)
    if _reads_stays(facts, stages):
        assert facts.lead_firsts is not None
        return _from_stays(stays_beside(facts.lead_firsts), positions, clock, now)
    changes = facts.stage_changes
    known = changes.filter(changes.stage.isin(list(stages)), changes.changed_at < instant(now))
    placed = known.mutate(
        position=known.stage.substitute(positions, else_=ibis.null("int64")),
        changed_us=clock.micros(known.changed_at),
    )
    order = ibis.window(group_by="lead_id", order_by=["changed_at", "position"])
    return placed.select(
        "lead_id",
        "stage",
        "position",
        "changed_at",
        "changed_by",
        "changed_us",
        next_us=placed.changed_us.lead().over(order),
        previous_stage=placed.stage.lag().over(order),
        previous_position=placed.position.lag().over(order),
    )


def _from_stays(
    stays: ir.Table, positions: dict[str, int], clock: Clock, now: dt.datetime
) -> ir.Table:
    """``stage_history`` from ``lead_stays``: a change after ``now`` is not a next change yet."""
    cut = instant(now)
    known = stays.filter(stays.changed_at < cut)
    ended = known.next_at < cut  # NULL (no next change at all) counts as not ended
    return known.select(
        "lead_id",
        "stage",
        position=known.stage.substitute(positions, else_=ibis.null("int64")),
        changed_at=known.changed_at,
        changed_by=known.changed_by,
        changed_us=clock.micros(known.changed_at),
        next_us=ibis.ifelse(ended, clock.micros(known.next_at), ibis.null("int64")),
        previous_stage=known.previous_stage,
        previous_position=known.previous_stage.substitute(positions, else_=ibis.null("int64")),
    )


def _reads_stays(facts: Facts, stages: tuple[str, ...]) -> bool:
    return facts.lead_firsts is not None and tuple(stages) == LIFECYCLE_STAGES


def ended_stays(facts: Facts, stages: tuple[str, ...], now: dt.datetime) -> ir.Table:
    """The stays in ``stages`` that ended before ``now`` (the rows of ``stage_history`` with a
    ``next_us``): ``stage``, ``changed_us`` and ``next_us``."""
    if _reads_stays(facts, stages):
        assert facts.lead_firsts is not None
        stays, cut, clock = stays_beside(facts.lead_firsts), instant(now), clock_of(facts)
        ended = stays.filter(stays.changed_at < cut, stays.next_at < cut)
        return ended.select(
            "stage",
            changed_us=clock.micros(ended.changed_at),
            next_us=clock.micros(ended.next_at),
        )
    history = stage_history(facts, stages, now)
    ended = history.filter(history.next_us.notnull())
    return ended.select("stage", "changed_us", "next_us")


def current_stays(facts: Facts, stages: tuple[str, ...], now: dt.datetime) -> ir.Table:
    """The stay each lead is in at ``now`` (the rows of ``stage_history`` without a
    ``next_us``): ``lead_id``, ``stage``, ``changed_at`` and ``changed_us``."""
    if _reads_stays(facts, stages):
        assert facts.lead_firsts is not None
        stays, cut, clock = stays_beside(facts.lead_firsts), instant(now), clock_of(facts)
        current = stays.filter(
            stays.changed_at < cut, stays.next_at.isnull() | (stays.next_at >= cut)
        )
        return current.select(
            "lead_id", "stage", "changed_at", changed_us=clock.micros(current.changed_at)
        )
    history = stage_history(facts, stages, now)
    current = history.filter(history.next_us.isnull())
    return current.select("lead_id", "stage", "changed_at", "changed_us")


def _started_in(history: ir.Table, spec: HistorySpec) -> ir.Table:
    if spec.period is None:
        return history
    return history.filter(spec.period.contains(history.changed_at))


def time_in_stage(facts: Facts, spec: HistorySpec, now: dt.datetime) -> ir.Table:
    """Per stage, in lifecycle order: ``stays`` that ended, ``current`` (leads sitting in the stage
    at ``now``) and the ended stays' ``p25_days``, ``median_days``, ``p75_days``, ``p90_days``.

    >>> from alinea.warehouse import connect
    >>> from alinea.analytics.run import fetch
    >>> now = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    >>> fetch(time_in_stage(Facts.of(connect("duckdb://")), HistorySpec(), now)).empty
    True
    """
    history = _started_in(stage_history(facts, spec.stages, now), spec)
    timed = history.mutate(days=days_from_micros(history.changed_us, history.next_us))
    return (
        timed.group_by("position", "stage")
        .aggregate(
            stays=timed.days.count(),
            current=timed.next_us.isnull().sum().cast("int64"),
            p25_days=timed.days.quantile(0.25),
            median_days=timed.days.median(),
            p75_days=timed.days.quantile(0.75),
            p90_days=timed.days.quantile(0.9),
        )
        .order_by("position")
        .drop("position")
    )


def backward_moves(facts: Facts, spec: HistorySpec, now: dt.datetime) -> ir.Table:
    """Every backward move: ``lead_id``, ``changed_at``, ``from_stage``, ``to_stage``,
    ``changed_by`` and the lead's ``owner_id``, newest first.

    >>> from alinea.warehouse import connect
    >>> from alinea.analytics.run import fetch
    >>> now = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    >>> fetch(backward_moves(Facts.of(connect("duckdb://")), HistorySpec(), now)).empty
    True
    """
    history = _started_in(stage_history(facts, spec.stages, now), spec)
    moves = history.filter(history.position < history.previous_position)
    leads = facts.leads.select(owned_lead="lead_id", owner_id="owner_id")
    owned = moves.left_join(leads, moves.lead_id == leads.owned_lead)
    return owned.select(
        "lead_id",
        "changed_at",
        from_stage=owned.previous_stage,
        to_stage=owned.stage,
        changed_by=owned.changed_by,
        owner_id=owned.owner_id,
    ).order_by(ibis.desc("changed_at"), "lead_id")


def backward_move_counts(facts: Facts, spec: HistorySpec, now: dt.datetime) -> ir.Table:
    """Backward moves per ``from_stage`` → ``to_stage``: ``moves`` and distinct ``leads``.

    >>> from alinea.warehouse import connect
    >>> from alinea.analytics.run import fetch
    >>> now = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    >>> list(fetch(backward_move_counts(Facts.of(connect("duckdb://")), HistorySpec(), now)))
    ['from_stage', 'to_stage', 'moves', 'leads']
    """
    moves = backward_moves(facts, spec, now)
    return (
        moves.group_by("from_stage", "to_stage")
        .aggregate(moves=moves.count(), leads=moves.lead_id.nunique())
        .order_by(ibis.desc("moves"), "from_stage", "to_stage")
    )
