"""The fact tables as Ibis expressions, the input of every metric."""

from __future__ import annotations

from dataclasses import dataclass

import ibis.expr.types as ir
from ibis.backends import BaseBackend

from alinea.warehouse.firsts import current_firsts


@dataclass(frozen=True)
class Facts:
    """One Ibis table per fact table; metrics take this and return expressions over it."""

    people: ir.Table
    leads: ir.Table
    stage_changes: ir.Table
    touchpoints: ir.Table
    activities: ir.Table
    assignments: ir.Table
    dispositions: ir.Table
    deals: ir.Table
    spend: ir.Table
    #: Derived, not a fact table: each lead's first entry into every stage
    #: (``alinea.warehouse.firsts``), when the warehouse keeps it current; metrics then skip the
    #: per-lead GROUP BY over all stage changes. ``None``: metrics read ``stage_changes``.
    lead_firsts: ir.Table | None = None

    @classmethod
    def of(cls, con: BaseBackend) -> Facts:
        """The fact tables of an open warehouse (see ``alinea.warehouse.connect``)."""
        tables = {name: con.table(name) for name in FACT_NAMES}
        return cls(**tables, lead_firsts=current_firsts(con))

    def tables(self) -> dict[str, ir.Table]:
        """The fact tables by name (without derived tables)."""
        return {name: getattr(self, name) for name in FACT_NAMES}


#: The names of the fact tables, in declaration order.
FACT_NAMES: tuple[str, ...] = tuple(
    name for name in Facts.__dataclass_fields__ if name != "lead_firsts"
)
