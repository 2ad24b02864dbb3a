"""Points scoring: the score of every lead at an instant, and the factors behind it.

For a lead at instant ``now`` (see :mod:`alinea.analytics.scoring.frame` for snapshots):

- a fit rule adds its ``points`` when the lead meets its criterion (negative points lower it);
- an engagement rule adds ``points · 0.5 ** (age / half_life)`` for each event of its source and
  types that is ``age`` days old (``0 ≤ age < window``), the rule's total held within its cap;
- the score is the sum of every rule's contribution, held within the model's ``[floor, cap]``.

Each rule's contribution is a column ``factor_<i>`` (in ``PointsModel.factor_names`` order), so a
lead's explanation is its row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import ibis
import ibis.expr.types as ir

from alinea.analytics.facts import Facts
from alinea.analytics.scoring.frame import (
    EventMeasure,
    Weight,
    fit_condition,
    lead_snapshots,
    with_event_measures,
)
from alinea.analytics.scoring.spec import EngagementPoints, PointsModel


def factor_column(index: int) -> str:
    return f"factor_{index}"


def _weight(rule: EngagementPoints) -> Weight:
    """One event's points at ``age`` days: ``points · exp(-age · ln 2 / half_life)``."""
    rate = rule.decay_rate

    def weight(age: ir.FloatingValue) -> ir.FloatingValue:
        if rate == 0.0:
            return age * 0.0 + rule.points
        return (age * -rate).exp() * rule.points

    return weight


def _capped(total: ir.FloatingValue, rule: EngagementPoints) -> ir.FloatingValue:
    if rule.cap is None:
        return total
    if rule.points >= 0:
        return ibis.least(total, rule.cap)
    return ibis.greatest(total, -rule.cap)


def _clamped(total: ir.FloatingValue, model: PointsModel) -> ir.FloatingValue:
    if model.floor is not None:
        total = ibis.greatest(total, model.floor)
    if model.cap is not None:
        total = ibis.least(total, model.cap)
    return total


def score_snapshots(
    facts: Facts,
    model: PointsModel,
    instants: Sequence[dt.datetime],
    *,
    attributes: Sequence[str] | None = None,
    measures: Sequence[EventMeasure] = (),
) -> ir.Table:
    """Every lead at every instant: the snapshot columns, ``factor_<i>`` and ``score``, with the
    fit ``attributes`` (those the model reads by default) and the columns of extra event
    ``measures``, summed in the same pass over each fact table as the model's rules."""
    if attributes is None:
        attributes = model_attributes(model)
    leads = lead_snapshots(facts, instants, attributes)
    fit = {
        factor_column(i): ibis.ifelse(fit_condition(leads, rule.criterion), rule.points, 0.0)
        for i, rule in enumerate(model.fit)
    }
    leads = leads.mutate(**fit)
    offset = len(model.fit)
    rules = [
        EventMeasure(
            name=factor_column(offset + i),
            source=rule.source,
            types=rule.types,
            window_days=rule.window_days,
            weight=_weight(rule),
        )
        for i, rule in enumerate(model.engagement)
    ]
    scored = with_event_measures(facts, leads, [*rules, *measures], instants)
    scored = scored.mutate(
        **{
            factor_column(offset + i): _capped(scored[factor_column(offset + i)], rule)
            for i, rule in enumerate(model.engagement)
        }
    )
    columns = [scored[factor_column(i)] for i in range(offset + len(model.engagement))]
    total = sum(columns[1:], columns[0]) if columns else ibis.literal(0.0)
    return scored.mutate(score=_clamped(total.cast("float64"), model))


def model_attributes(model: PointsModel) -> tuple[str, ...]:
    """The lead attributes the model's fit rules read, in order."""
    return tuple(dict.fromkeys(rule.criterion.attribute for rule in model.fit))


def points_scores(facts: Facts, model: PointsModel, *, now: dt.datetime) -> ir.Table:
    """``lead_id``, ``score`` and ``factor_<i>`` for every lead created at or before ``now``.

    >>> from alinea.warehouse import connect
    >>> from alinea.analytics.run import fetch
    >>> from alinea.analytics.scoring.spec import FitCriterion, FitPoints
    >>> model = PointsModel(fit=(FitPoints(FitCriterion("country", any_of=("ES",)), 10),))
    >>> now = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    >>> len(fetch(points_scores(Facts.of(connect("duckdb://")), model, now=now)))
    0
    """
    scored = score_snapshots(facts, model, [now])
    factors = [factor_column(i) for i in range(len(model.factor_names))]
    return scored.select("lead_id", "score", *factors)


def score_factors(
    facts: Facts, model: PointsModel, *, now: dt.datetime, lead_ids: Sequence[str]
) -> ir.Table:
    """Why the given leads score what they score: ``lead_id``, ``factor``, ``points`` for every
    rule that moved the score (points ≠ 0), largest effect first. The floor and cap of the model
    are not factors; compare the sum of ``points`` with the score to see them act."""
    scored = points_scores(facts, model, now=now).filter(ibis._.lead_id.isin(list(lead_ids)))
    parts = [
        scored.select(
            "lead_id",
            factor=ibis.literal(name),
            points=scored[factor_column(i)],
        )
        for i, name in enumerate(model.factor_names)
    ]
    if not parts:
        return scored.select("lead_id", factor=ibis.literal(""), points=scored.score).limit(0)
    factors = ibis.union(*parts)
    factors = factors.filter(factors.points != 0)
    return factors.order_by("lead_id", ibis.desc(factors.points.abs()), "factor")
