"""Map one chunk of source rows to fact rows, vectorised, naming every problem by line and column.

Each output of the file mapping keeps the rows its conditions select and computes each fact column
with its rule; the fact tables' own value rules (required, allowed values, …) are then checked by
the warehouse (``typed_problems``). A source row with any problem yields no fact at all, in any
table, so that skipping bad rows never leaves half of a row's facts behind.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from alinea.importing import functions
from alinea.importing.mapping import Condition, Output, Rule, parse_duration, template_columns
from alinea.importing.plan import FilePlan
from alinea.importing.problems import ImportProblem
from alinea.importing.readers import Chunk
from alinea.importing.rows import SourceRows
from alinea.importing.values.convert import REASONS, convert
from alinea.importing.values.dates import describe
from alinea.warehouse.schema import Column
from alinea.warehouse.staging import FILE_COLUMN, LINE_COLUMN
from alinea.warehouse.validate import typed_problems

_PROBLEM_VALUE_LENGTH = 200


@dataclass
class Mapped:
    """Fact rows of one chunk per table (with their provenance), and the problems found."""

    tables: dict[str, list[pa.Table]] = field(default_factory=dict)
    problems: list[ImportProblem] = field(default_factory=list)
    bad_rows: int = 0
    rows: int = 0


def map_chunk(plan: FilePlan, chunk: Chunk) -> Mapped:
    """The facts of ``chunk`` under ``plan``; rows with problems are left out of every table."""
    rows = SourceRows(chunk.table, chunk.lines, plan.null_values)
    result = Mapped(rows=len(rows))
    result.problems.extend(
        ImportProblem(plan.name, b.line, None, b.text[:_PROBLEM_VALUE_LENGTH] or None, b.reason)
        for b in chunk.broken
    )
    produced: list[tuple[str, pa.Table, np.ndarray, np.ndarray]] = []
    for output in plan.outputs:
        selected = rows.filter(_selected(output.when, rows)) if output.when else rows
        table, problems, withheld = _facts(plan, output, selected)
        result.problems.extend(problems)
        produced.append((output.table, table, selected.lines, withheld))
    bad = np.unique([p.line for p in result.problems if p.line is not None])
    result.bad_rows = len(bad)
    for name, table, lines, withheld in produced:
        keep = ~np.isin(lines, bad) & ~withheld
        provenance = {
            FILE_COLUMN: pa.array(np.full(int(keep.sum()), plan.index, np.int32)),
            LINE_COLUMN: pa.array(lines[keep]),
        }
        kept = table.filter(pa.array(keep)) if not keep.all() else table
        for column, values in provenance.items():
            kept = kept.append_column(column, values)
        result.tables.setdefault(name, []).append(kept)
    return result


def _selected(conditions: tuple[Condition, ...], rows: SourceRows) -> np.ndarray:
    mask = np.ones(len(rows), bool)
    for condition in conditions:
        values = rows.text(condition.column)
        if condition.values:
            hit = np.asarray(pc.fill_null(pc.is_in(values, pa.array(condition.values)), False))
        else:
            hit = np.asarray(pc.is_valid(values))
        mask &= ~hit if condition.negate else hit
    return mask


def _facts(
    plan: FilePlan, output: Output, rows: SourceRows
) -> tuple[pa.Table, list[ImportProblem], np.ndarray]:
    """The facts of one output, the problems found, and the rows withheld because of a problem
    of the whole column (a needed time zone), which is reported once and not per row."""
    spec = output.spec
    problems: list[ImportProblem] = []
    arrays = []
    unreadable: dict[str, np.ndarray] = {}
    withheld = np.zeros(len(rows), bool)
    for column in spec.columns:
        rule = output.rule(column.name)
        if rule is None:
            arrays.append(pa.nulls(len(rows), column.ibis_type.to_pyarrow()))
            continue
        values, found, unreadable[column.name], naive = _evaluate(plan, output, column, rule, rows)
        withheld |= naive
        arrays.append(values)
        problems.extend(found)
    table = pa.Table.from_arrays(arrays, schema=spec.ibis_schema().to_pyarrow())
    for problem in typed_problems(spec, table, unreadable=unreadable):
        rule = output.rule(problem.column or "")
        label = rule.label if rule is not None else f"{spec.name}.{problem.column}"
        line = int(rows.lines[problem.row - 1]) if problem.row is not None else None
        reason = f"{problem.reason} (for {spec.name}.{problem.column})"
        problems.append(ImportProblem(plan.name, line, label, problem.value, reason, spec.name))
    return table, problems, withheld


def _evaluate(
    plan: FilePlan, output: Output, column: Column, rule: Rule, rows: SourceRows
) -> tuple[pa.Array, list[ImportProblem], np.ndarray, np.ndarray]:
    """One fact column (input → value map → default → function → type → shift), the problems
    found, the mask of values already reported (so that they are not reported as missing) and
    the mask of times that lack a zone."""
    values = _input(rule, rows)
    original = values
    flagged: list[tuple[np.ndarray, str, pa.Array]] = []
    if rule.values:
        values, unmapped = _value_map(rule, values)
        known = ", ".join(k for k, _ in rule.values[:8])
        flagged.append((unmapped, f"not a value the mapping knows (it maps: {known})", original))
    if rule.default:
        values = pc.fill_null(values, rule.default)
    if rule.function is not None:
        values, bad = functions.apply(rule.function, values, dict(rule.args))
        flagged.append((bad, f"cannot apply {rule.function}", original))
    reading = plan.reading(rule, column)
    converted = convert(values, column.type, reading)
    reason = REASONS[column.type]
    if column.type in ("timestamp", "date") and rule.source in plan.date_columns:
        reason += f" (read as {describe(reading.order)})"
    flagged.append((converted.bad, reason, original))
    typed = converted.array
    if rule.shift is not None:
        typed = pc.add(typed, pa.scalar(parse_duration(rule.shift), pa.duration("us")))
    problems = [
        ImportProblem(
            plan.name, int(rows.lines[i]), rule.label, _shown(shown, int(i)), why, output.table
        )
        for mask, why, shown in flagged
        for i in np.flatnonzero(mask)
    ]
    if converted.naive.any():
        example = _shown(original, int(np.flatnonzero(converted.naive)[0]))
        problems.append(plan.zone_problem(rule, column, output.table, example))
    unreadable = converted.naive.copy()
    for mask, _, _ in flagged:
        unreadable |= mask
    return typed, problems, unreadable, converted.naive


def _input(rule: Rule, rows: SourceRows) -> pa.Array:
    if rule.source is not None:
        return rows.column(rule.source)
    if rule.template is not None:
        return _fill_template(rule.template, rows)
    return pa.array([rule.constant] * len(rows), pa.string())


def _fill_template(text: str, rows: SourceRows) -> pa.Array:
    parts: list[pa.Array | str] = []
    for literal, name, _, _ in string.Formatter().parse(text):
        if literal:
            parts.append(literal)
        if name:
            parts.append(rows.text(name))
    if not template_columns(text):
        return pa.array([text] * len(rows), pa.string())
    return pc.binary_join_element_wise(*parts, "")


def _value_map(rule: Rule, values: pa.Array) -> tuple[pa.Array, np.ndarray]:
    text = values if pa.types.is_string(values.type) else pc.cast(values, pa.string())
    keys = pa.array([k for k, _ in rule.values], pa.string())
    targets = pa.array([v for _, v in rule.values], pa.string())
    position = pc.index_in(text, keys)
    mapped = pc.take(targets, position)
    mapped = pc.if_else(pc.equal(mapped, ""), None, mapped)  # an empty target means no value
    unmapped = pc.and_(pc.is_valid(text), pc.is_null(position))
    if rule.keep_unmapped:
        return pc.if_else(unmapped, text, mapped), np.zeros(len(text), bool)
    if rule.default is not None:
        return mapped, np.zeros(len(text), bool)
    return mapped, np.asarray(unmapped)


def _shown(values: pa.Array, index: int) -> object:
    value = values[index].as_py()
    if isinstance(value, str) and len(value) > _PROBLEM_VALUE_LENGTH:
        return value[:_PROBLEM_VALUE_LENGTH] + "…"
    return value
