"""Before reading a file's rows: which part of the mapping applies, whether the columns it needs
are there, and how to read its dates and numbers (stated by the mapping, or settled by the values).

Date order and decimal mark are decided per source column by the file's values, fed chunk by
chunk to a ``FormatScan`` until a value settles them (usually within the first chunk); a column
that never settles is an ambiguity that the person must resolve in the mapping — never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from alinea.importing.mapping import Mapping, Output, Rule
from alinea.importing.problems import ImportProblem
from alinea.importing.readers import Chunk
from alinea.importing.rows import SourceRows
from alinea.importing.values import Decision
from alinea.importing.values.convert import Reading
from alinea.importing.values.dates import DateEvidence, DateOrder, describe, parse_format
from alinea.importing.values.decimals import DecimalEvidence, DecimalMark, parse_decimal_mark
from alinea.warehouse.schema import Column

_DATE_TYPES = ("timestamp", "date")
_NUMBER_TYPES = ("int64", "float64")


@dataclass(frozen=True)
class FilePlan:
    """How to map the rows of one file (see ``transform.map_chunk``)."""

    index: int
    name: str
    mapping: Mapping
    outputs: tuple[Output, ...]
    orders: dict[str, DateOrder] = field(default_factory=dict)
    decimals: dict[str, DecimalMark] = field(default_factory=dict)

    @property
    def null_values(self) -> pa.Array:
        return pa.array(self.mapping.null_values, pa.string())

    @property
    def date_columns(self) -> frozenset[str]:
        return frozenset(self.orders)

    def reading(self, rule: Rule, column: Column) -> Reading:
        """How to read the values a rule produces for fact column ``column``."""
        source = rule.source or ""
        order = self.orders.get(source, _order(self.mapping.date_format))
        decimal = self.decimals.get(source, _mark(self.mapping.decimal))
        if rule.format is not None and column.type in _DATE_TYPES:
            order = parse_format(rule.format)
        if rule.format is not None and column.type in _NUMBER_TYPES:
            decimal = parse_decimal_mark(rule.format)
        return Reading(order=order, decimal=decimal, timezone=self.mapping.timezone)

    def zone_problem(self, rule: Rule, column: Column, table: str, example: Any) -> ImportProblem:
        reason = (
            f"dates and times without a time zone cannot become {table}.{column.name}; say which "
            f"zone they are in: the mapping's timezone, or the CLI option --timezone (e.g. "
            f"--timezone Europe/Madrid, or UTC)"
        )
        return ImportProblem(self.name, None, rule.label, example, reason, table)


@dataclass(frozen=True)
class Planned:
    plan: FilePlan | None
    problems: tuple[ImportProblem, ...] = ()
    notes: tuple[str, ...] = ()


def plan_outline(index: int, name: str, mapping: Mapping, columns: tuple[str, ...]) -> Planned:
    """The plan for one file before its dates and numbers are read (see ``FormatScan``), or the
    problems that stop it from being read at all."""
    part = mapping.file_mapping(name)
    if part is None:
        expected = ", ".join(f.match for f in mapping.files)
        reason = f"the mapping {mapping.name!r} has nothing for this file (it reads: {expected})"
        return Planned(None, (ImportProblem(name, None, None, None, reason),))
    problems: list[ImportProblem] = []
    outputs = []
    notes: list[str] = []
    for output in part.outputs:
        missing = _missing_columns(output, columns)
        if not missing:
            outputs.append(output)
        elif output.optional:
            notes.append(f"{name}: no {output.describe()} (no column {', '.join(missing)})")
        else:
            problems.extend(_missing_problem(name, output, c, columns) for c in missing)
    if not part.outputs:
        note = f"{name}: read for nothing" + (f" ({part.note})" if part.note else "")
        return Planned(None, notes=(note,))
    return Planned(FilePlan(index, name, mapping, tuple(outputs)), tuple(problems), tuple(notes))


def _missing_columns(output: Output, present: tuple[str, ...]) -> list[str]:
    needed = [c.column for c in output.when]
    for name, rule in output.columns:
        column = output.spec.column(name)
        if not rule.optional or (column.required and rule.default is None):
            needed.extend(rule.source_columns)
    return [c for c in dict.fromkeys(needed) if c not in present]


def _missing_problem(
    file: str, output: Output, column: str, present: tuple[str, ...]
) -> ImportProblem:
    shown = ", ".join(present[:30]) + (" …" if len(present) > 30 else "")
    reason = f"column not found (needed for {output.describe()}); the file's columns: {shown}"
    return ImportProblem(file, None, column, None, reason, output.table)


@dataclass
class FormatScan:
    """What a file's values say about the date order and decimal mark of every column that needs
    one, fed chunk by chunk (each evidence until it is settled); ``decide`` settles them, notes
    how each was decided and reports the columns that stay ambiguous."""

    plan: FilePlan
    dates: dict[str, DateEvidence]
    numbers: dict[str, DecimalEvidence]

    @classmethod
    def of(cls, plan: FilePlan) -> FormatScan:
        mapping = plan.mapping
        return cls(
            plan,
            {c: DateEvidence(c) for c in _needing(plan, _DATE_TYPES, mapping.date_format)},
            {c: DecimalEvidence(c) for c in _needing(plan, _NUMBER_TYPES, mapping.decimal)},
        )

    @property
    def _evidence(self) -> list[DateEvidence | DecimalEvidence]:
        return [*self.dates.values(), *self.numbers.values()]

    @property
    def needed(self) -> bool:
        return bool(self.dates or self.numbers)

    @property
    def settled(self) -> bool:
        return all(item.settled for item in self._evidence)

    def feed(self, chunk: Chunk) -> None:
        if self.settled:
            return
        rows = SourceRows(chunk.table, chunk.lines, self.plan.null_values)
        for item in self._evidence:
            values = rows.column(item.column)
            if not item.settled and pa.types.is_string(values.type):
                item.add(values, chunk.lines)

    def decide(self, outline: Planned) -> Planned:
        """``outline`` (from ``plan_outline``) with the formats the evidence so far decides."""
        plan, dates, numbers = self.plan, self.dates, self.numbers
        problems, notes = [], []
        orders: dict[str, DateOrder] = {}
        marks: dict[str, DecimalMark] = {}
        for column, decision in _date_decisions(dates).items():
            if dates[column].settled or decision.note:  # a settled order is named in problems
                orders[column] = decision.choice
            notes.extend([decision.note] if decision.note else [])
            if decision.problem:
                problems.append(ImportProblem(plan.name, None, column, None, decision.problem))
        for column, number_evidence in numbers.items():
            mark = number_evidence.decide()
            marks[column] = mark.choice
            notes.extend([mark.note] if mark.note else [])
            if mark.problem:
                problems.append(ImportProblem(plan.name, None, column, None, mark.problem))
        decided = FilePlan(plan.index, plan.name, plan.mapping, plan.outputs, orders, marks)
        return Planned(
            decided,
            (*outline.problems, *problems),
            (*outline.notes, *(f"{plan.name}: {n}" for n in notes)),
        )


def _date_decisions(dates: dict[str, DateEvidence]) -> dict[str, Decision[DateOrder]]:
    """The order of each date column. A column whose own values do not tell the order takes the
    one the file's other date columns agree on (one export is written in one locale)."""
    decided = {column: evidence.decide() for column, evidence in dates.items()}
    settled = {
        column: decision.choice
        for column, decision in decided.items()
        if dates[column].settled and decision.problem is None
    }
    if len(set(settled.values())) != 1:
        return decided
    order = next(iter(settled.values()))
    witness = next(iter(settled))
    for column, decision in decided.items():
        if not dates[column].settled and decision.problem is not None:
            note = f"column {column!r}: dates read as {describe(order)} like column {witness!r}"
            decided[column] = Decision(order, note=note)
    return decided


def _needing(plan: FilePlan, types: tuple[str, ...], stated: str | None) -> list[str]:
    """Source columns read as one of ``types`` whose format neither mapping nor rule states."""
    if stated is not None:
        return []
    needing = []
    for output in plan.outputs:
        for name, rule in output.columns:
            column = output.spec.column(name)
            plain = rule.source is not None and rule.function is None and rule.format is None
            if plain and column.type in types:
                needing.append(rule.source)
    return list(dict.fromkeys(c for c in needing if c is not None))


def _order(stated: str | None) -> DateOrder:
    return parse_format(stated) if stated is not None else "dmy"


def _mark(stated: str | None) -> DecimalMark:
    return parse_decimal_mark(stated) if stated is not None else "."
