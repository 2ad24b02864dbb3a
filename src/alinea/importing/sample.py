"""A few values of every column of a file, to show beside a column picker."""

from __future__ import annotations

from pathlib import Path

from alinea.importing.options import ReadOptions
from alinea.importing.readers import ReaderError, open_reader
from alinea.importing.readers.base import as_text

_CHUNKS = 2  # never read further into a file for samples


def sample_values(
    path: Path, format: str, encoding: str | None, options: ReadOptions, rows: int = 3
) -> dict[str, list[str]]:
    """Up to ``rows`` non-empty values of each column, as text, from the first chunks of the
    file (``{}`` when the file cannot be read)."""
    try:
        reader = open_reader(path, format, encoding, options)
        samples: dict[str, list[str]] = {column: [] for column in reader.columns}
        for index, chunk in enumerate(reader.chunks()):
            if index == _CHUNKS:
                break
            for column in reader.columns:
                kept = samples[column]
                for value in chunk.table.column(column).to_pylist():
                    if len(kept) >= rows:
                        break
                    if value is not None and as_text(value).strip():
                        kept.append(as_text(value))
            if all(len(v) >= rows for v in samples.values()):
                break
    except ReaderError:
        return {}
    return samples
