"""Excel workbooks (.xlsx), read row by row in openpyxl's read-only mode.

The first non-empty row of the sheet is the header; line numbers are the sheet's row numbers.
Cells keep their type (numbers, dates) where a whole column agrees (see ``table_from_rows``).
"""

from __future__ import annotations

import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl

from alinea.importing.options import ReadOptions
from alinea.importing.readers.base import Chunk, ReaderError, table_from_rows, unique_names


class ExcelReader:
    """One sheet of an .xlsx workbook (``options.sheet``, else the first)."""

    def __init__(self, path: Path, format: str, encoding: str | None, options: ReadOptions):
        self.path, self.sheet, self.chunk_rows = path, options.sheet, options.chunk_rows
        with self._rows() as (rows, title, total):
            header = next(((n, r) for n, r in rows if _filled(r)), None)
        if header is None:
            raise ReaderError(f"sheet {title!r} is empty")
        self.header_row = header[0]
        self.columns = unique_names(header[1])
        self.total = total
        self.details = {"sheet": title}

    def chunks(self) -> Iterator[Chunk]:
        with self._rows() as (rows, _, _):
            numbers: list[int] = []
            values: list[tuple[Any, ...]] = []
            for number, row in rows:
                if number <= self.header_row or not _filled(row):
                    continue
                numbers.append(number)
                values.append(row)
                if len(values) >= self.chunk_rows:
                    yield self._chunk(numbers, values)
                    numbers, values = [], []
            yield self._chunk(numbers, values)

    def _chunk(self, numbers: list[int], values: list[tuple[Any, ...]]) -> Chunk:
        table = table_from_rows(self.columns, values)
        done = numbers[-1] if numbers else self.total
        return Chunk(table, np.array(numbers, np.int64), done)

    @contextmanager
    def _rows(self) -> Iterator[tuple[Iterator[tuple[int, tuple[Any, ...]]], str, int]]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it does not read
            try:
                book = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
            except (zipfile.BadZipFile, OSError, KeyError, ValueError) as error:
                raise ReaderError(f"not a readable .xlsx workbook: {error}") from None
            try:
                if self.sheet is not None and self.sheet not in book.sheetnames:
                    names = ", ".join(book.sheetnames)
                    raise ReaderError(f"no sheet {self.sheet!r}; the sheets are: {names}")
                sheet = book[self.sheet] if self.sheet else book.worksheets[0]
                # read-only sheets yield every row from the first, empty ones included
                rows = enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1)
                yield rows, sheet.title, sheet.max_row or 0
            finally:
                book.close()


def _filled(row: tuple[Any, ...]) -> bool:
    return any(v is not None and v != "" for v in row)
