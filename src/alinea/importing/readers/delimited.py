"""CSV and TSV: any delimiter (sniffed unless given), read in blocks by Arrow's streaming reader.

Line numbers are those of a text editor: the header is line 1, blank lines count, and a quoted
value that spans lines moves the following rows down. Rows with the wrong number of fields are
reported (``BrokenRow``) and the rest of the file is still read.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from alinea.importing.options import ReadOptions
from alinea.importing.readers.base import BrokenRow, Chunk, ReaderError, unique_names

CANDIDATES = (",", ";", "\t", "|")
_SAMPLE_BYTES = 1 << 16
_NATIVE = ("utf-8", "utf8", "utf-8-sig", "ascii")


class DelimitedReader:
    """A delimited text file (``format`` ``csv`` or ``tsv``)."""

    def __init__(self, path: Path, format: str, encoding: str | None, options: ReadOptions):
        self.path = path
        self.encoding = options.encoding or encoding or "utf-8"
        self.block_size = options.block_size
        sample = _sample(path, self.encoding)
        default = "\t" if format == "tsv" else None
        self.delimiter = options.delimiter or default or sniff(sample)
        header = next(csv.reader(io.StringIO(sample), delimiter=self.delimiter), None)
        if not header:
            raise ReaderError("the file is empty (no header line)")
        self.columns = unique_names(header)
        self.total = path.stat().st_size
        shown = {"\t": "tab", ",": "comma", ";": "semicolon", "|": "pipe"}
        self.details = {
            "encoding": self.encoding,
            "delimiter": shown.get(self.delimiter, self.delimiter),
        }

    def chunks(self) -> Iterator[Chunk]:
        broken: list[_Damaged] = []

        def keep_going(row: pcsv.InvalidRow) -> str:
            broken.append((row.number, row.expected_columns, row.actual_columns, row.text))
            return "skip"

        stream = pa.input_stream(str(self.path))
        native = self.encoding.lower() in _NATIVE
        reader = pcsv.open_csv(
            stream,
            read_options=pcsv.ReadOptions(
                encoding="utf8" if native else self.encoding,
                block_size=self.block_size,
                column_names=list(self.columns),
                skip_rows=1,
                use_threads=False,
            ),
            parse_options=pcsv.ParseOptions(
                delimiter=self.delimiter,
                newlines_in_values=True,
                ignore_empty_lines=False,
                invalid_row_handler=keep_going,
            ),
            convert_options=pcsv.ConvertOptions(
                column_types=dict.fromkeys(self.columns, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        lines = _LineCounter()
        try:
            for batch in reader:
                table = pa.Table.from_batches([batch])
                numbers, damaged = lines.number(table, broken)
                yield _chunk(table, numbers, stream.tell(), damaged, self.delimiter)
            empty = pa.table({c: pa.array([], pa.string()) for c in self.columns})
            numbers, damaged = lines.number(empty, broken, final=True)
            yield _chunk(empty, numbers, self.total, damaged, self.delimiter)
        except pa.ArrowInvalid as error:
            raise ReaderError(_explain(error, self.encoding)) from None
        finally:
            stream.close()


def _chunk(
    table: pa.Table,
    lines: np.ndarray,
    done: int,
    damaged: list[_Damaged],
    delimiter: str,
) -> Chunk:
    """Drop blank rows; describe the damaged ones."""
    blank = _blank(table)
    if blank.any():
        table, lines = table.filter(pa.array(~blank)), lines[~blank]
    rows = tuple(
        BrokenRow(
            line, f"expected {expected} fields, found {actual} (delimiter {delimiter!r})", text
        )
        for line, expected, actual, text in damaged
    )
    return Chunk(table, lines, done, rows)


def _blank(table: pa.Table) -> np.ndarray:
    blank = np.ones(table.num_rows, bool)
    for column in table.columns:
        blank &= np.asarray(pc.equal(column, ""))
        if not blank.any():
            break
    return blank


_Damaged = tuple[int, int, int, str]  # record number (then line), expected, actual, text


class _LineCounter:
    """Turns Arrow's record numbers (header = 1) into editor line numbers, across chunks."""

    def __init__(self) -> None:
        self.next_record = 2
        self.extra_lines = 0  # line breaks inside quoted values so far

    def number(
        self, table: pa.Table, broken: list[_Damaged], *, final: bool = False
    ) -> tuple[np.ndarray, list[_Damaged]]:
        """Lines of the rows of ``table`` and of the broken rows among them (taken from
        ``broken``, which Arrow fills while parsing, possibly ahead of the rows delivered)."""
        start, end = self.next_record, self.next_record + table.num_rows
        for number in sorted(b[0] for b in broken):
            if number < end or final:
                end = max(end + 1, number + 1) if final else end + 1
        gone = sorted((b for b in broken if b[0] < end), key=lambda b: b[0])
        broken[:] = [b for b in broken if b[0] >= end]
        inside = np.zeros(end - start, np.int64)
        delivered = np.arange(end - start)
        if gone:
            delivered = np.setdiff1d(delivered, [b[0] - start for b in gone])
        inside[delivered] = _line_breaks(table)
        for number, _, _, text in gone:
            inside[number - start] = text.count("\n")
        line_of = np.arange(start, end) + self.extra_lines + np.cumsum(inside) - inside
        self.extra_lines += int(inside.sum())
        self.next_record = end
        damaged = [(int(line_of[n - start]), e, a, t) for n, e, a, t in gone]
        return line_of[delivered], damaged


def _line_breaks(table: pa.Table) -> np.ndarray:
    counts = np.zeros(table.num_rows, np.int64)
    for column in table.columns:
        if pc.any(pc.match_substring(column, "\n")).as_py():
            counts += np.asarray(pc.count_substring(column, "\n"))
    return counts


def sniff(sample: str) -> str:
    """The candidate delimiter that splits the sample's lines most consistently into most fields."""
    lines = sample.splitlines()[:-1] or sample.splitlines()
    text = "\n".join(lines[:200])
    best, best_score = ",", (0.0, 1)
    for delimiter in CANDIDATES:
        counts = [len(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter) if r]
        if not counts:
            continue
        fields, times = Counter(counts).most_common(1)[0]
        score = (times / len(counts), fields)
        if fields > 1 and score > best_score:
            best, best_score = delimiter, score
    return best


def _sample(path: Path, encoding: str) -> str:
    with path.open("rb") as file:
        head = file.read(_SAMPLE_BYTES)
    codec = "utf-8-sig" if encoding.lower() in _NATIVE else encoding
    return head.decode(codec, errors="ignore")


def _explain(error: pa.ArrowInvalid, encoding: str) -> str:
    message = str(error)
    if "invalid UTF8" in message:
        return f"the file is not valid {encoding}; pass its encoding (e.g. --encoding cp1252)"
    return f"the file cannot be read as delimited text: {message}"
