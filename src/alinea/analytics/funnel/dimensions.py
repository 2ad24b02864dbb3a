"""Lead dimensions: what a funnel (or a lead metric) can be broken down or filtered by.

Each dimension maps every lead to one text label. Lead attributes are read from ``leads``; the rep
dimensions follow the lead's current owner (``leads.owner_id``) into ``people``. A lead without a
value gets ``NONE_LABEL``; values beyond the top N of a breakdown become ``OTHER_LABEL``. Both
labels are in parentheses so that they never collide with a real value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir

from alinea.analytics.facts import Facts

NONE_LABEL = "(none)"
OTHER_LABEL = "(other)"
ALL_LABEL = "(all)"


@dataclass(frozen=True)
class Dimension:
    """A named way to label leads: ``labels(facts)`` has one row ``(lead_id, value)`` per lead."""

    name: str
    meaning: str
    labels: Callable[[Facts], ir.Table]


def label(value: ir.Value) -> ir.StringValue:
    """A dimension value as text, with ``NONE_LABEL`` for a missing value."""
    return value.cast("string").fill_null(NONE_LABEL)


def _lead_column(column: str) -> Callable[[Facts], ir.Table]:
    def labels(facts: Facts) -> ir.Table:
        leads = facts.leads
        return leads.select("lead_id", value=label(leads[column]))

    return labels


def _owner_column(column: str) -> Callable[[Facts], ir.Table]:
    def labels(facts: Facts) -> ir.Table:
        # only the owner's column: leads have columns of the same name (region)
        leads = facts.leads.select("lead_id", "owner_id")
        people = facts.people.select("person_id", owner_value=facts.people[column])
        owned = leads.left_join(people, leads.owner_id == people.person_id)
        return owned.select("lead_id", value=label(owned.owner_value))

    return labels


_LEAD_ATTRIBUTES = {
    "channel": "channel of the lead's first touch",
    "source": "source within the channel",
    "campaign": "campaign of the first touch",
    "landing_page": "first page the lead landed on",
    "segment": "smb, mid_market or enterprise",
    "industry": "industry of the company",
    "country": "ISO country code",
    "region": "sales region the lead belongs to",
    "job_role": "role of the contact",
    "owner_id": "the lead's current owner (a person_id)",
}

_OWNER_ATTRIBUTES = {
    "owner_team": ("team", "team of the lead's owner"),
    "owner_region": ("region", "region or office of the lead's owner"),
    "owner_manager_id": ("manager_id", "manager (person_id) of the lead's owner"),
}

LEAD_DIMENSIONS: dict[str, Dimension] = {
    **{
        name: Dimension(name, meaning, _lead_column(name))
        for name, meaning in _LEAD_ATTRIBUTES.items()
    },
    **{
        name: Dimension(name, meaning, _owner_column(column))
        for name, (column, meaning) in _OWNER_ATTRIBUTES.items()
    },
}


def lead_dimension(name: str) -> Dimension:
    """The lead dimension called ``name``; a clear error naming the known ones otherwise.

    >>> lead_dimension("channel").meaning
    "channel of the lead's first touch"
    """
    try:
        return LEAD_DIMENSIONS[name]
    except KeyError:
        known = ", ".join(LEAD_DIMENSIONS)
        raise ValueError(f"unknown lead dimension {name!r}; known: {known}") from None


def top_values(volumes: ir.Table, top_n: int) -> ir.Table:
    """The ``top_n`` values of ``volumes`` (``value``, ``volume``) by volume, ties by value.

    Returns one column ``value``; use it to keep these values and bucket the rest as
    ``OTHER_LABEL``.
    """
    order = [ibis.desc(volumes.volume), ibis.asc(volumes.value)]
    ranked = volumes.mutate(rank=ibis.row_number().over(order_by=order))
    return ranked.filter(ranked.rank < top_n).select("value")
