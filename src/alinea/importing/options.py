"""How to read the files of one import (as opposed to the mapping, which says what they mean)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReadOptions:
    """Reading choices that override what is detected.

    ``delimiter`` and ``encoding`` apply to delimited text (otherwise sniffed / detected: UTF-8,
    UTF-8 with BOM, UTF-16 with BOM, else Windows-1252), ``sheet`` to spreadsheets (otherwise the
    first). ``block_size`` (bytes of a delimited file) and ``chunk_rows`` (rows of other formats)
    bound how much is held in memory at once.
    """

    delimiter: str | None = None
    encoding: str | None = None
    sheet: str | None = None
    block_size: int = 8 << 20
    chunk_rows: int = 50_000
