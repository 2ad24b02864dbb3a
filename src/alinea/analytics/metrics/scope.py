"""Filters and breakdowns of metrics: the dimensions that label a lead or a deal, and their use.

A metric counts either leads or deals (its *subject*). Lead metrics accept every lead dimension
(``LEAD_DIMENSIONS``: channel, segment, owner_team, …). Deal metrics accept the deal's own
dimensions — ``rep_id`` (the owning rep), ``rep_team``, ``rep_region``, ``rep_manager_id`` (via
``people``), ``product`` and ``account`` — and every lead dimension through the lead the deal came
from (a deal without a lead is ``"(none)"`` there).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir

from alinea.analytics.facts import Facts
from alinea.analytics.funnel.dimensions import ALL_LABEL, LEAD_DIMENSIONS, NONE_LABEL, label
from alinea.analytics.metrics.query import MetricQuery

Labels = Callable[[Facts], ir.Table]


def _deal_column(column: str) -> Labels:
    def labels(facts: Facts) -> ir.Table:
        return facts.deals.select("deal_id", value=label(facts.deals[column]))

    return labels


def _rep_column(column: str) -> Labels:
    def labels(facts: Facts) -> ir.Table:
        deals = facts.deals.select("deal_id", "rep_id")
        people = facts.people.select("person_id", rep_value=facts.people[column])
        owned = deals.left_join(people, deals.rep_id == people.person_id)
        return owned.select("deal_id", value=label(owned.rep_value))

    return labels


def _through_lead(dimension: str) -> Labels:
    def labels(facts: Facts) -> ir.Table:
        deals = facts.deals
        leads = LEAD_DIMENSIONS[dimension].labels(facts).rename(labelled_id="lead_id")
        joined = deals.left_join(leads, deals.lead_id == leads.labelled_id)
        return joined.select("deal_id", value=joined.value.fill_null(NONE_LABEL))

    return labels


DEAL_DIMENSIONS: dict[str, Labels] = {
    "rep_id": _deal_column("rep_id"),
    "product": _deal_column("product"),
    "account": _deal_column("account"),
    "rep_team": _rep_column("team"),
    "rep_region": _rep_column("region"),
    "rep_manager_id": _rep_column("manager_id"),
    **{name: _through_lead(name) for name in LEAD_DIMENSIONS},
}


@dataclass(frozen=True)
class Subject:
    """What a metric counts: its key column and the dimensions that label it."""

    key: str
    dimensions: dict[str, Labels]


SUBJECTS: dict[str, Subject] = {
    "lead": Subject("lead_id", {n: d.labels for n, d in LEAD_DIMENSIONS.items()}),
    "deal": Subject("deal_id", DEAL_DIMENSIONS),
}


def check_dimensions(subject: str, query: MetricQuery, metric: str) -> None:
    """A clear error when the query names a dimension this metric's subject does not have."""
    known = SUBJECTS[subject].dimensions
    for dimension in query.dimensions():
        if dimension not in known:
            raise ValueError(
                f"metric {metric!r} counts {subject}s and has no dimension {dimension!r}; "
                f"known: {', '.join(known)}"
            )


def scoped(facts: Facts, rows: ir.Table, subject: str, query: MetricQuery) -> ir.Table:
    """``rows`` (one per lead or deal) kept by the query's filters, with a ``breakdown`` column."""
    about = SUBJECTS[subject]
    for dimension, values in query.filter_pairs:
        labels = about.dimensions[dimension](facts)
        allowed = labels.filter(labels.value.isin(list(values))).select(allowed_key=about.key)
        rows = rows.semi_join(allowed, rows[about.key] == allowed.allowed_key)
    if query.group_by is None:
        return rows.mutate(breakdown=ibis.literal(ALL_LABEL))
    labels = about.dimensions[query.group_by](facts)
    labels = labels.rename(labelled_key=about.key, label_value="value")
    joined = rows.left_join(labels, rows[about.key] == labels.labelled_key)
    labelled = joined.mutate(breakdown=joined.label_value.fill_null(NONE_LABEL))
    return labelled.drop("labelled_key", "label_value")
