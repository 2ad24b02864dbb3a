"""Label each lead of a funnel with its breakdown value, bucketing the long tail as "(other)".

The values kept are the ``top_n`` held by the most leads in ``leads`` (all of them, whatever the
funnel's period, so a breakdown keeps the same buckets from one period to the next), ties broken by
the value's text; every other value becomes ``OTHER_LABEL``. A lead without a value is
``NONE_LABEL``, which competes for the top like any value; a lead that has stage changes but no
row in ``leads`` is ``NONE_LABEL`` too. Without a breakdown every lead is ``ALL_LABEL``.

The volumes are counted on ``leads`` rather than on the funnel's own leads so that the per-lead
pivot is read once: engines inline a subquery used twice and would run the pivot twice.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from alinea.analytics.facts import Facts
from alinea.analytics.funnel.dimensions import (
    ALL_LABEL,
    NONE_LABEL,
    OTHER_LABEL,
    lead_dimension,
    top_values,
)


def bucketed_labels(facts: Facts, dimension: str, top_n: int | None) -> ir.Table:
    """``lead_id`` and ``breakdown`` (the value, or ``OTHER_LABEL`` beyond the top ``top_n``;
    ``top_n=None`` keeps every value).

    >>> from alinea.warehouse import connect
    >>> from alinea.analytics.run import fetch
    >>> list(fetch(bucketed_labels(Facts.of(connect("duckdb://")), "channel", 5)).columns)
    ['lead_id', 'breakdown']
    """
    labels = lead_dimension(dimension).labels(facts)
    if top_n is None:
        return labels.select("lead_id", breakdown=labels.value)
    volumes = labels.group_by("value").aggregate(volume=labels.count())
    kept = top_values(volumes, top_n).rename(kept_value="value")
    # a view: ``kept`` derives from ``labels``, and without one Ibis resolves ``labels.value``
    # inside ``kept`` when ``labels`` is itself a join (the owner dimensions), joining on nothing
    labelled = labels.view()
    joined = labelled.left_join(kept, labelled.value == kept.kept_value)
    breakdown = ibis.ifelse(joined.kept_value.notnull(), joined.value, OTHER_LABEL)
    return joined.select("lead_id", breakdown=breakdown)


def with_breakdown(
    facts: Facts, leads: ir.Table, breakdown: str | None, top_n: int | None
) -> ir.Table:
    """``leads`` (one row per lead, with ``lead_id``) plus a text column ``breakdown``."""
    if breakdown is None:
        return leads.mutate(breakdown=ibis.literal(ALL_LABEL))
    labels = bucketed_labels(facts, breakdown, top_n).rename(labelled_id="lead_id")
    joined = leads.left_join(labels, leads.lead_id == labels.labelled_id)
    labelled = joined.mutate(breakdown=joined.breakdown.fill_null(NONE_LABEL))
    return labelled.drop("labelled_id")
