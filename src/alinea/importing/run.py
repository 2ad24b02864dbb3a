"""Read the files of an import into staging tables, chunk by chunk, and find every problem.

Shared by ``preview`` (which then drops the staging tables) and ``commit`` (which writes them to
the fact tables in one transaction). Memory stays bounded: one chunk is in memory at a time, the
rows read so far are in the warehouse's staging tables, and the problems kept are capped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from alinea.importing.files import SourceFile, discover, fingerprint
from alinea.importing.mapping import Mapping
from alinea.importing.options import ReadOptions
from alinea.importing.outcome import FileRecord, Preview, TableCount
from alinea.importing.plan import FilePlan, FormatScan, Planned, plan_outline
from alinea.importing.problems import ImportProblem
from alinea.importing.readers import Chunk, Reader, ReaderError, open_reader
from alinea.importing.transform import map_chunk
from alinea.warehouse.staging import Clash, Staging

#: Problems kept in full; beyond it they are only counted.
PROBLEM_LIMIT = 100_000

Phase = Literal["checking", "reading", "verifying", "committing"]


@dataclass(frozen=True)
class Step:
    """Progress: in ``phase``, ``done`` of ``total`` units (bytes or rows) of ``file``."""

    phase: Phase
    file: str | None
    done: int
    total: int


Progress = Callable[[Step], None]


def _silent(step: Step) -> None:
    return None


@dataclass
class Tally:
    """Problems and notes gathered along the way (column-level problems reported once)."""

    problems: list[ImportProblem] = field(default_factory=list)
    count: int = 0
    skipped_rows: int = 0
    notes: list[str] = field(default_factory=list)
    _seen: set[tuple[object, ...]] = field(default_factory=set)

    def add(self, problems: Iterable[ImportProblem]) -> None:
        for problem in problems:
            if problem.line is None:
                key = (problem.file, problem.column, problem.reason, problem.table)
                if key in self._seen:
                    continue
                self._seen.add(key)
            self.count += 1
            if len(self.problems) < PROBLEM_LIMIT:
                self.problems.append(problem)

    def merge(self, other: Tally) -> None:
        """Add what ``other`` gathered (problems, counts; not its notes)."""
        self.add(other.problems)
        self.count += other.count - len(other.problems)
        self.skipped_rows += other.skipped_rows


def collect(
    paths: Iterable[str | Path], progress: Progress = _silent
) -> tuple[list[SourceFile], list[ImportProblem]]:
    """The files named by ``paths``, hashed and with their encoding detected."""
    found = discover(paths)
    problems = [ImportProblem(name, None, None, None, why) for name, why in found.refused]
    sources = []
    for path, name, fmt in found.files:
        size, done = path.stat().st_size, 0

        def advance(n: int, name: str = name, size: int = size) -> None:
            nonlocal done
            done += n
            progress(Step("checking", name, done, size))

        sources.append(fingerprint(path, name, fmt, advance))
    return sources, problems


def stage_all(
    staging: Staging,
    sources: list[SourceFile],
    mapping: Mapping,
    *,
    options: ReadOptions,
    skip_bad_rows: bool,
    against_warehouse: bool,
    progress: Progress = _silent,
    problems: Iterable[ImportProblem] = (),
) -> Preview:
    """Stage the facts of every file and return the preview of what a commit would write."""
    tally = Tally()
    tally.add(problems)
    plans: dict[int, FilePlan] = {}
    records = []
    for index, source in enumerate(sources):
        record, plan = _stage_file(staging, index, source, mapping, options, tally, progress)
        records.append(record)
        if plan is not None:
            plans[index] = plan
    progress(Step("verifying", None, 0, 1))
    clashes = staging.clashes()
    tally.add(_clash_problems(clashes, sources, plans))
    if skip_bad_rows and clashes:
        places = {place for clash in clashes for place in clash.places}
        staging.discard(places)
        tally.skipped_rows += len(places)
    counts = {
        name: TableCount(name, c.facts, c.new if against_warehouse else None)
        for name, c in staging.counts().items()
    }
    progress(Step("verifying", None, 1, 1))
    return Preview(
        mapping=mapping.name,
        files=tuple(records),
        counts=counts,
        problems=tuple(sorted(tally.problems, key=_problem_order(sources))),
        problem_count=tally.count,
        skipped_rows=tally.skipped_rows,
        notes=tuple(tally.notes),
    )


def _stage_file(
    staging: Staging,
    index: int,
    source: SourceFile,
    mapping: Mapping,
    options: ReadOptions,
    tally: Tally,
    progress: Progress,
) -> tuple[FileRecord, FilePlan | None]:
    record = FileRecord(source.name, str(source.path), source.sha256, source.size, source.format)
    try:
        reader = open_reader(source.path, source.format, source.encoding, options)
        outline = plan_outline(index, source.name, mapping, reader.columns)
        planned, rows = outline, 0
        if outline.plan is not None:
            planned, rows = _stage_planned(staging, outline, reader, tally, progress)
        else:
            tally.add(outline.problems)
            tally.notes.extend(outline.notes)
    except ReaderError as error:
        tally.add([ImportProblem(source.name, None, None, None, str(error))])
        return record, None
    tables = tuple(dict.fromkeys(o.table for o in planned.plan.outputs)) if planned.plan else ()
    record = replace(
        record, details=dict(reader.details), columns=reader.columns, rows=rows, tables=tables
    )
    return record, planned.plan


def _stage_planned(
    staging: Staging, outline: Planned, reader: Reader, tally: Tally, progress: Progress
) -> tuple[Planned, int]:
    """Read the file once: its first chunk decides the formats provisionally, every chunk adds
    to the evidence while it is staged, and in the rare case where the whole file decides other
    formats than its first chunk did, the file's rows are staged again with those. The outcome is
    the same as scanning the file for its formats first, then staging it."""
    assert outline.plan is not None
    scan = FormatScan.of(outline.plan)
    chunks = reader.chunks()
    first = next(chunks)
    scan.feed(first)
    provisional = scan.decide(outline)
    assert provisional.plan is not None
    fused = _FusedScan(scan, reader, first, chunks)
    found = Tally()
    try:
        rows = _stage_rows(staging, provisional.plan, fused, found, progress)
    except ReaderError:  # the file cannot be read: none of it is staged
        staging.discard_file(outline.plan.index)
        raise
    planned = scan.decide(outline)
    assert planned.plan is not None
    if (planned.plan.orders, planned.plan.decimals) != (
        provisional.plan.orders,
        provisional.plan.decimals,
    ):
        staging.discard_file(outline.plan.index)
        found = Tally()
        rows = _stage_rows(staging, planned.plan, reader, found, progress)
    tally.add(planned.problems)
    tally.notes.extend(planned.notes)
    tally.merge(found)
    return planned, rows


class _FusedScan:
    """The chunks of a reader (starting with ``first``, already read and fed to ``scan``), each
    fed to ``scan`` on the way (which takes them until it is settled)."""

    def __init__(self, scan: FormatScan, reader: Reader, first: Chunk, rest: Iterator[Chunk]):
        self.scan, self.total, self.first, self.rest = scan, reader.total, first, rest

    def chunks(self) -> Iterator[Chunk]:
        yield self.first
        for chunk in self.rest:
            self.scan.feed(chunk)
            yield chunk


def _stage_rows(
    staging: Staging, plan: FilePlan, reader: Reader | _FusedScan, tally: Tally, progress: Progress
) -> int:
    rows = 0
    for chunk in reader.chunks():
        mapped = map_chunk(plan, chunk)
        tally.add(mapped.problems)
        tally.skipped_rows += mapped.bad_rows
        rows += mapped.rows
        for table, pieces in mapped.tables.items():
            for piece in pieces:  # map_chunk checked their values and left out the bad rows
                staging.add(table, piece, checked=True)
        progress(Step("reading", plan.name, chunk.done, reader.total))
    return rows


def _clash_problems(
    clashes: list[Clash], sources: list[SourceFile], plans: dict[int, FilePlan]
) -> list[ImportProblem]:
    problems = []
    for clash in clashes:
        key = clash.key[0] if len(clash.key) == 1 else clash.key
        for file, line in clash.places:
            label = _key_label(plans.get(file), clash)
            if clash.stored:
                reason = (
                    f"this {clash.table} fact is already in the warehouse with other values "
                    f"(facts are append-only: a change is a new fact, not an edit)"
                )
            else:
                others = [
                    f"line {n}" + ("" if f == file else f" of {sources[f].name}")
                    for f, n in clash.places
                    if (f, n) != (file, line)
                ]
                reason = (
                    f"the same {clash.table} key with different values on "
                    + ", ".join(others[:5])
                    + (" …" if len(others) > 5 else "")
                )
            problems.append(
                ImportProblem(sources[file].name, line, label, key, reason, clash.table)
            )
    return problems


def _key_label(plan: FilePlan | None, clash: Clash) -> str:
    if plan is not None:
        for output in plan.outputs:
            if output.table == clash.table:
                labels = [rule.label if (rule := output.rule(k)) else k for k in clash.key_columns]
                return ", ".join(labels)
    return ", ".join(clash.key_columns)


def _problem_order(sources: list[SourceFile]) -> Callable[[ImportProblem], tuple[int, int, str]]:
    position = {s.name: i for i, s in enumerate(sources)}

    def order(problem: ImportProblem) -> tuple[int, int, str]:
        return (position.get(problem.file, -1), problem.line or 0, problem.column or "")

    return order
