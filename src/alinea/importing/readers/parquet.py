"""Parquet files, read in record batches; values keep their Parquet types."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from alinea.importing.options import ReadOptions
from alinea.importing.readers.base import Chunk, ReaderError


class ParquetReader:
    """A Parquet file; a row's "line" is its 1-based record number."""

    def __init__(self, path: Path, format: str, encoding: str | None, options: ReadOptions):
        self.path, self.chunk_rows = path, options.chunk_rows
        try:
            meta = pq.ParquetFile(path)
        except (pa.ArrowInvalid, OSError) as error:
            raise ReaderError(f"not a readable Parquet file: {error}") from None
        self.columns = tuple(meta.schema_arrow.names)
        self.total = meta.metadata.num_rows
        self.details: dict[str, str] = {}

    def chunks(self) -> Iterator[Chunk]:
        done = 0
        for batch in pq.ParquetFile(self.path).iter_batches(batch_size=self.chunk_rows):
            table = pa.Table.from_batches([batch])
            lines = np.arange(done + 1, done + table.num_rows + 1, dtype=np.int64)
            done += table.num_rows
            yield Chunk(table, lines, done)
