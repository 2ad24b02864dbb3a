"""Readers, one per file format, registered by format name (``READERS``) and file extension.

A reader opens one file and yields its rows in chunks with the line number of each row, so that
files of any size are read in bounded memory (see ``readers.base.Reader``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alinea.importing.options import ReadOptions
from alinea.importing.readers.base import BrokenRow, Chunk, Reader, ReaderError
from alinea.importing.readers.delimited import DelimitedReader
from alinea.importing.readers.excel import ExcelReader
from alinea.importing.readers.jsonlines import JsonLinesReader
from alinea.importing.readers.parquet import ParquetReader

ReaderFactory = Callable[[Path, str, "str | None", ReadOptions], Reader]

READERS: dict[str, ReaderFactory] = {
    "csv": DelimitedReader,
    "tsv": DelimitedReader,
    "xlsx": ExcelReader,
    "parquet": ParquetReader,
    "jsonl": JsonLinesReader,
}

EXTENSIONS: dict[str, str] = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".xlsx": "xlsx",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}

#: Formats that are text, whose encoding is detected.
TEXT_FORMATS = frozenset({"csv", "tsv", "jsonl"})


def format_of(path: Path) -> str | None:
    """The format of a file by its extension, or ``None`` when no reader knows it."""
    return EXTENSIONS.get(path.suffix.lower())


def open_reader(path: Path, format: str, encoding: str | None, options: ReadOptions) -> Reader:
    """A reader for ``path``; ``ReaderError`` when the file cannot be read as ``format``."""
    return READERS[format](path, format, encoding, options)


__all__ = [
    "EXTENSIONS",
    "READERS",
    "TEXT_FORMATS",
    "BrokenRow",
    "Chunk",
    "Reader",
    "ReaderError",
    "format_of",
    "open_reader",
]
