"""Whether leads meet a stage definition at an instant, criterion by criterion.

A lead meets a :class:`~alinea.analytics.scoring.spec.Definition` at ``now`` when it was created
at or before ``now``, every fit criterion holds, every engagement criterion counts enough events
in its window (``now - window < occurred_at ≤ now``) and, with a points model, its score is at
least the threshold. Each criterion is a boolean column ``criterion_<i>`` (in
``Definition.criterion_names`` order), so a lead's explanation is its row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import ibis
import ibis.expr.types as ir

from alinea.analytics.facts import Facts
from alinea.analytics.scoring.frame import (
    EventMeasure,
    fit_condition,
    lead_snapshots,
    with_event_measures,
)
from alinea.analytics.scoring.points import model_attributes, score_snapshots
from alinea.analytics.scoring.spec import Definition


def criterion_column(index: int) -> str:
    return f"criterion_{index}"


def _one(age: ir.FloatingValue) -> ir.FloatingValue:
    return age * 0.0 + 1.0


def evaluate_snapshots(
    facts: Facts, definition: Definition, instants: Sequence[dt.datetime]
) -> ir.Table:
    """Every lead at every instant: the snapshot columns, ``criterion_<i>``, ``score`` (NULL
    without a points model) and ``qualified``. Criterion counts and points rules are summed in
    one pass over each fact table."""
    offset = len(definition.fit)
    counts = [
        EventMeasure(
            name=f"events_{i}",
            source=criterion.source,
            types=criterion.types,
            window_days=criterion.window_days,
            weight=_one,
        )
        for i, criterion in enumerate(definition.engagement)
    ]
    attributes = [c.attribute for c in definition.fit]
    if definition.points is not None:
        attributes += model_attributes(definition.points)
        leads = score_snapshots(
            facts,
            definition.points,
            instants,
            attributes=tuple(dict.fromkeys(attributes)),
            measures=counts,
        )
    else:
        leads = lead_snapshots(facts, instants, tuple(dict.fromkeys(attributes)))
        leads = with_event_measures(facts, leads, counts, instants)
        leads = leads.mutate(score=ibis.null("float64"))
    fit = {
        criterion_column(i): fit_condition(leads, criterion)
        for i, criterion in enumerate(definition.fit)
    }
    leads = leads.mutate(**fit)
    leads = leads.mutate(
        **{
            criterion_column(offset + i): leads[f"events_{i}"] >= criterion.at_least
            for i, criterion in enumerate(definition.engagement)
        }
    )
    met = [leads[criterion_column(i)] for i in range(len(definition.criterion_names))]
    if definition.threshold is not None:
        met.append(leads.score >= definition.threshold)
    qualified = met[0]
    for condition in met[1:]:
        qualified &= condition
    return leads.mutate(qualified=qualified)


def qualification(facts: Facts, definition: Definition, *, now: dt.datetime) -> ir.Table:
    """``lead_id``, ``owner_id``, ``criterion_<i>``, ``score``, ``qualified`` for every lead
    created at or before ``now``.

    >>> from alinea.warehouse import connect
    >>> from alinea.analytics.run import fetch
    >>> from alinea.analytics.scoring.spec import EngagementCriterion
    >>> mql = Definition("mql", "v1", engagement=(EngagementCriterion("touchpoints", 3, 30),))
    >>> now = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    >>> list(fetch(qualification(Facts.of(connect("duckdb://")), mql, now=now)).columns)
    ['lead_id', 'owner_id', 'criterion_0', 'score', 'qualified']
    """
    evaluated = evaluate_snapshots(facts, definition, [now])
    criteria = [criterion_column(i) for i in range(len(definition.criterion_names))]
    return evaluated.select("lead_id", "owner_id", *criteria, "score", "qualified")


def qualification_reasons(
    facts: Facts, definition: Definition, *, now: dt.datetime, lead_id: str
) -> ir.Table:
    """Why one lead is or is not at the stage now: ``criterion``, ``met`` (one row per criterion,
    plus ``score ≥ threshold`` with a points model), in the definition's order."""
    evaluated = qualification(facts, definition, now=now).filter(ibis._.lead_id == lead_id)
    names = list(definition.criterion_names)
    parts = [
        evaluated.select(
            position=ibis.literal(i),
            criterion=ibis.literal(name),
            met=evaluated[criterion_column(i)],
        )
        for i, name in enumerate(names)
    ]
    if definition.threshold is not None:
        parts.append(
            evaluated.select(
                position=ibis.literal(len(names)),
                criterion=ibis.literal(f"score ≥ {definition.threshold:g}"),
                met=evaluated.score >= definition.threshold,
            )
        )
    reasons = ibis.union(*parts)
    return reasons.order_by("position").select("criterion", "met")
