"""The fact tables as Ibis expressions, the input of every metric."""

from __future__ import annotations

from dataclasses import dataclass

import ibis.expr.types as ir
from ibis.backends import BaseBackend


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

    @classmethod
    def of(cls, con: BaseBackend) -> Facts:
        """The fact tables of an open warehouse (see ``alinea.warehouse.connect``)."""
        names = cls.__dataclass_fields__
        return cls(**{name: con.table(name) for name in names})
