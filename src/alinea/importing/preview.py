"""``preview``: everything an import would write and every problem, without writing a fact."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from ibis.backends import BaseBackend

from alinea.importing.mapping import Mapping
from alinea.importing.options import ReadOptions
from alinea.importing.outcome import Preview
from alinea.importing.profiles import resolve_mapping
from alinea.importing.run import Progress, collect, stage_all
from alinea.warehouse import connect
from alinea.warehouse.staging import Staging


def preview(
    paths: Iterable[str | Path],
    mapping: Mapping | str,
    *,
    con: BaseBackend | None = None,
    options: ReadOptions | None = None,
    skip_bad_rows: bool = False,
    progress: Progress | None = None,
) -> Preview:
    """Read ``paths`` (files, or folders of files) with ``mapping`` (a ``Mapping``, the name of a
    built-in profile or the path of a mapping JSON file) and say what a commit would write.

    With ``con`` the rows are checked against the facts already in that warehouse (conflicts, and
    how many facts are new); the rows are staged there and the staging tables dropped again.
    Without it they are staged in a throw-away DuckDB file. No fact is written either way.
    ``skip_bad_rows`` shows the counts a commit that skips the bad rows would write.
    """
    chosen = resolve_mapping(mapping)
    report = progress or (lambda step: None)
    sources, problems = collect(paths, report)
    with _target(con) as target, Staging(target, "preview") as staging:
        return stage_all(
            staging,
            sources,
            chosen,
            options=options or ReadOptions(),
            skip_bad_rows=skip_bad_rows,
            against_warehouse=con is not None,
            progress=report,
            problems=problems,
        )


@contextlib.contextmanager
def _target(con: BaseBackend | None) -> Iterator[BaseBackend]:
    if con is not None:
        yield con
        return
    with tempfile.TemporaryDirectory(prefix="alinea-preview-") as folder:
        scratch = connect(f"duckdb:///{folder}/preview.duckdb")
        try:
            yield scratch
        finally:
            scratch.disconnect()
