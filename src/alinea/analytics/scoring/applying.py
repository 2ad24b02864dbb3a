"""Applying a definition: the stage changes its active version owes the leads right now.

A lead's **current stage** at ``now`` is the stage of its latest stage change at or before
``now`` (the furthest one, in lifecycle order, when several share that instant); a lead without
stage changes has none. Under a :class:`~alinea.analytics.scoring.spec.Definition` of stage ``S``,
a lead is **due** at ``now`` when it qualifies at ``now`` (see :mod:`.rules`) and its current
stage comes before ``S`` in the lifecycle (or it has none). Each due lead gets one stage change:
it entered ``S`` at ``now``, moved by ``system``, with ``definition_version`` ``<stage>-<version>``
(``mql-v3``) so that every qualified lead says which signed version moved it.

A lead moved back to an earlier stage (recycled) is due again once it qualifies again; a lead
already at ``S`` or beyond is never moved (applying twice at the same or a later instant adds
nothing).
"""

from __future__ import annotations

import datetime as dt

import ibis
import ibis.expr.types as ir

from alinea.analytics.facts import Facts
from alinea.analytics.scoring.rules import qualification
from alinea.analytics.scoring.spec import Definition
from alinea.warehouse.schema import LIFECYCLE_STAGES

#: Who the stage changes written by a definition are attributed to.
MOVED_BY = "system"


def definition_label(definition: Definition) -> str:
    """What a stage change records as its ``definition_version``.

    >>> from alinea.analytics.scoring.spec import FitCriterion
    >>> definition_label(Definition("mql", "v3", fit=(FitCriterion("country", any_of=("ES",)),)))
    'mql-v3'
    """
    return f"{definition.stage}-{definition.version}"


def _rank(stage: ir.StringValue) -> ir.IntegerValue:
    """Position of a stage in the lifecycle (-1 for a stage the lifecycle does not know)."""
    return ibis.cases(*[(stage == s, i) for i, s in enumerate(LIFECYCLE_STAGES)], else_=-1)


def current_stages(facts: Facts, *, now: dt.datetime) -> ir.Table:
    """``lead_id``, ``stage_rank``: the lifecycle position of each lead's current stage (only
    leads with a stage change at or before ``now``)."""
    changes = facts.stage_changes
    changes = changes.filter(changes.changed_at <= ibis.literal(now))
    latest = changes.group_by("lead_id").aggregate(latest_at=changes.changed_at.max())
    last = changes.join(
        latest,
        (changes.lead_id == latest.lead_id) & (changes.changed_at == latest.latest_at),
    )
    return last.group_by(lead_id=last.lead_id).aggregate(stage_rank=_rank(last.stage).max())


def due_stage_changes(facts: Facts, definition: Definition, *, now: dt.datetime) -> ir.Table:
    """The stage changes ``definition`` owes at ``now``: ``lead_id``, ``stage``, ``changed_at``,
    ``changed_by``, ``definition_version`` (the columns of the ``stage_changes`` facts), one per
    due lead.

    >>> from alinea.warehouse import connect
    >>> from alinea.analytics.run import fetch
    >>> from alinea.analytics.scoring.spec import EngagementCriterion
    >>> mql = Definition("mql", "v1", engagement=(EngagementCriterion("touchpoints", 1, 30),))
    >>> now = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    >>> list(fetch(due_stage_changes(Facts.of(connect("duckdb://")), mql, now=now)).columns)
    ['lead_id', 'stage', 'changed_at', 'changed_by', 'definition_version']
    """
    if definition.stage not in LIFECYCLE_STAGES:
        raise ValueError(f"{definition.stage!r} is not a lifecycle stage")
    target = LIFECYCLE_STAGES.index(definition.stage)
    qualified = qualification(facts, definition, now=now)
    qualified = qualified.filter(qualified.qualified).select("lead_id")
    stages = current_stages(facts, now=now)
    joined = qualified.left_join(stages, "lead_id")
    due = joined.filter(joined.stage_rank.fill_null(-1) < target)
    changed_at = ibis.literal(now.astimezone(dt.UTC)).cast(facts.stage_changes.changed_at.type())
    return due.select(
        lead_id=due.lead_id,
        stage=ibis.literal(definition.stage),
        changed_at=changed_at,
        changed_by=ibis.literal(MOVED_BY),
        definition_version=ibis.literal(definition_label(definition)),
    ).order_by("lead_id")


def stage_entry(facts: Facts, *, lead_id: str, stage: str, now: dt.datetime) -> ir.Table:
    """The lead's latest entry into ``stage`` up to ``now`` (no row when it never entered it):
    ``changed_at``, ``changed_by``, ``definition_version`` (NULL when no definition moved it)."""
    changes = facts.stage_changes
    mine = changes.filter(
        (changes.lead_id == lead_id)
        & (changes.stage == stage)
        & (changes.changed_at <= ibis.literal(now))
    )
    latest = mine.order_by(ibis.desc(mine.changed_at)).limit(1)
    return latest.select("changed_at", "changed_by", "definition_version")
