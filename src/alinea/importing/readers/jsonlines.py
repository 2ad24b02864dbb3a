"""JSON Lines: one JSON object per line; the columns are the keys of the first chunk's objects."""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np

from alinea.importing.options import ReadOptions
from alinea.importing.readers.base import BrokenRow, Chunk, ReaderError, table_from_rows

_NATIVE = ("utf-8", "utf8", "ascii")


class JsonLinesReader:
    """A JSON Lines file. Nested values become JSON text; blank lines are skipped."""

    def __init__(self, path: Path, format: str, encoding: str | None, options: ReadOptions):
        self.path, self.chunk_rows = path, options.chunk_rows
        self.encoding = options.encoding or encoding or "utf-8"
        keys: dict[str, None] = {}
        for _, record, _ in islice(self._records(), self.chunk_rows):
            if record is not None:
                keys.update(dict.fromkeys(record))
        if not keys:
            raise ReaderError("no JSON objects in the first lines of the file")
        self.columns = tuple(keys)
        self.total = path.stat().st_size
        self.details = {"encoding": self.encoding}

    def chunks(self) -> Iterator[Chunk]:
        lines: list[int] = []
        rows: list[tuple[Any, ...]] = []
        broken: list[BrokenRow] = []
        done = 0
        for line, record, size in self._records():
            done += size
            if record is None:
                broken.append(BrokenRow(line, "not a JSON object", ""))
                continue
            lines.append(line)
            rows.append(tuple(record.get(c) for c in self.columns))
            if len(rows) >= self.chunk_rows:
                yield Chunk(
                    table_from_rows(self.columns, rows), np.array(lines), done, tuple(broken)
                )
                lines, rows, broken = [], [], []
        yield Chunk(
            table_from_rows(self.columns, rows), np.array(lines, np.int64), done, tuple(broken)
        )

    def _records(self) -> Iterator[tuple[int, dict[str, Any] | None, int]]:
        codec = "utf-8-sig" if self.encoding.lower() in _NATIVE else self.encoding
        with self.path.open(encoding=codec, newline="") as file:
            for number, text in enumerate(file, start=1):
                if not text.strip():
                    continue
                try:
                    record = json.loads(text)
                except json.JSONDecodeError:
                    record = None
                size = len(text.encode(codec, errors="replace"))
                yield number, record if isinstance(record, dict) else None, size
