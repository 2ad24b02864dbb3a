"""Readers: every file format, encodings, delimiters, line numbers, and reading in pieces."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from tests.importing.conftest import write

from alinea.importing import ReadOptions
from alinea.importing.files import discover, fingerprint
from alinea.importing.readers import ReaderError, open_reader
from alinea.importing.readers.delimited import sniff

#: Excel cells hold wall-clock times without a zone.
EXCEL_TIME_1 = dt.datetime(2025, 3, 1, 9, 30)  # noqa: DTZ001
EXCEL_TIME_2 = dt.datetime(2025, 3, 2, 10, 0)  # noqa: DTZ001
HEADER = ["Id", "Created", "Source", "Company", "Employees"]
ROWS = [
    ["l1", "2025-03-01T09:30:00Z", "Google", "Peña y Cía", "12"],
    ["l2", "2025-03-02T10:00:00Z", "Web", "Logroño Ñandú", "250"],
]


def read_all(path: Path, options: ReadOptions | None = None) -> tuple[list[dict], list[int]]:
    """Every row of the file as dicts of text, and the line of each."""
    found = fingerprint(path, path.name, path.suffix.lstrip("."))
    reader = open_reader(path, found.format, found.encoding, options or ReadOptions())
    rows: list[dict] = []
    lines: list[int] = []
    for chunk in reader.chunks():
        rows.extend(chunk.table.to_pylist())
        lines.extend(int(n) for n in chunk.lines)
    return rows, lines


def as_text(rows: list[dict]) -> list[list[str]]:
    return [[str(v) for v in row.values()] for row in rows]


def delimited(rows: list[list[str]], delimiter: str) -> str:
    return "\n".join(delimiter.join(r) for r in [HEADER, *rows]) + "\n"


@pytest.mark.parametrize(
    ("name", "delimiter"),
    [("a.csv", ","), ("a.csv", ";"), ("a.csv", "|"), ("a.csv", "\t"), ("a.tsv", "\t")],
)
def test_delimited_files_are_read_with_any_delimiter(folder, name, delimiter) -> None:
    path = write(folder, name, delimited(ROWS, delimiter))
    rows, lines = read_all(path)
    assert list(rows[0]) == HEADER
    assert as_text(rows) == ROWS
    assert lines == [2, 3]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_spanish_accents_survive_every_encoding(folder, encoding) -> None:
    path = write(folder, "a.csv", delimited(ROWS, ";"), encoding)
    found = fingerprint(path, path.name, "csv")
    assert found.encoding == encoding
    rows, _ = read_all(path)
    assert list(rows[0]) == HEADER  # the BOM is not part of the first column name
    assert [r["Company"] for r in rows] == ["Peña y Cía", "Logroño Ñandú"]


def test_the_hash_is_the_sha256_of_the_bytes(folder) -> None:
    import hashlib

    path = write(folder, "a.csv", delimited(ROWS, ","))
    assert fingerprint(path, "a.csv", "csv").sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_sniffing_prefers_the_delimiter_that_splits_lines_consistently() -> None:
    assert sniff("a;b;c\n1,5;2;3\n4;5,5;6\n") == ";"
    assert sniff("a,b\n1,2\n") == ","
    assert sniff("a\tb c\n1\t2 3\n") == "\t"


def test_line_numbers_follow_the_editor_across_quoted_line_breaks(folder) -> None:
    text = 'Id,Note\nl1,"two\nlines"\n\nl2,plain\nl3,"x"\n'
    rows, lines = read_all(write(folder, "a.csv", text))
    assert [r["Id"] for r in rows] == ["l1", "l2", "l3"]
    assert lines == [2, 5, 6]  # the blank line 4 counts, and is not a row


def test_a_row_with_the_wrong_number_of_fields_is_reported_by_line(folder) -> None:
    text = "Id,Note\nl1,a\nl2,b,extra\nl3,c\n"
    path = write(folder, "a.csv", text)
    found = fingerprint(path, "a.csv", "csv")
    reader = open_reader(path, "csv", found.encoding, ReadOptions())
    chunks = list(reader.chunks())
    broken = [b for c in chunks for b in c.broken]
    assert [(b.line, b.text) for b in broken] == [(3, "l2,b,extra")]
    assert "expected 2 fields, found 3" in broken[0].reason
    assert [r["Id"] for c in chunks for r in c.table.to_pylist()] == ["l1", "l3"]


def test_a_large_csv_is_read_in_many_small_pieces(folder) -> None:
    body = "".join(f"l{i},2025-01-01T00:00:00Z,Web,Acme {i},{i}\n" for i in range(20_000))
    path = write(folder, "big.csv", ",".join(HEADER) + "\n" + body)
    reader = open_reader(path, "csv", "utf-8", ReadOptions(block_size=16 << 10))
    sizes, lines, done = [], [], []
    for chunk in reader.chunks():
        sizes.append(chunk.table.num_rows)
        lines.extend(chunk.lines.tolist())
        done.append(chunk.done)
    assert len(sizes) > 20
    assert max(sizes) < 2_000
    assert sum(sizes) == 20_000
    assert lines == list(range(2, 20_002))
    assert done == sorted(done)
    assert done[-1] == path.stat().st_size


def test_excel_cells_keep_their_types_and_sheet_row_numbers(folder) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Leads"
    sheet.append([])  # an empty first row: the header is the first filled one
    sheet.append(HEADER)
    sheet.append(["l1", EXCEL_TIME_1, "Google", "Peña y Cía", 12])
    sheet.append([None, None, None, None, None])
    sheet.append(["l2", EXCEL_TIME_2, "Web", "Logroño Ñandú", 250])
    path = folder / "a.xlsx"
    book.save(path)
    rows, lines = read_all(path)
    assert lines == [3, 5]
    assert rows[0] == {
        "Id": "l1",
        "Created": EXCEL_TIME_1,
        "Source": "Google",
        "Company": "Peña y Cía",
        "Employees": 12,
    }
    with pytest.raises(ReaderError, match="no sheet 'Other'; the sheets are: Leads"):
        open_reader(path, "xlsx", None, ReadOptions(sheet="Other"))


def test_excel_is_read_in_chunks_of_rows(folder) -> None:
    book = openpyxl.Workbook()
    book.active.append(["Id"])
    for i in range(25):
        book.active.append([f"l{i}"])
    path = folder / "a.xlsx"
    book.save(path)
    reader = open_reader(path, "xlsx", None, ReadOptions(chunk_rows=10))
    assert [c.table.num_rows for c in reader.chunks()] == [10, 10, 5]


def test_parquet_keeps_types_and_numbers_records(folder) -> None:
    table = pa.table(
        {
            "Id": ["l1", "l2", "l3"],
            "Created": pa.array(
                [dt.datetime(2025, 3, 1, 9, 30, tzinfo=dt.UTC)] * 3, pa.timestamp("us", "UTC")
            ),
            "Employees": [12, 250, None],
        }
    )
    path = folder / "a.parquet"
    pq.write_table(table, path)
    reader = open_reader(path, "parquet", None, ReadOptions(chunk_rows=2))
    chunks = list(reader.chunks())
    assert [c.lines.tolist() for c in chunks] == [[1, 2], [3]]
    assert pa.concat_tables([c.table for c in chunks]).equals(table)


def test_json_lines_with_nested_values_blank_lines_and_a_broken_line(folder) -> None:
    records = [
        json.dumps({"Id": "l1", "Company": "Peña", "Tags": ["a", "b"]}, ensure_ascii=False),
        "",
        "{not json",
        json.dumps({"Id": "l2", "Company": "Ñandú", "Employees": 7}, ensure_ascii=False),
    ]
    path = write(folder, "a.jsonl", "\n".join(records) + "\n")
    reader = open_reader(path, "jsonl", "utf-8", ReadOptions())
    assert reader.columns == ("Id", "Company", "Tags", "Employees")
    [chunk] = list(reader.chunks())
    assert chunk.lines.tolist() == [1, 4]
    assert [b.line for b in chunk.broken] == [3]
    assert chunk.table.column("Tags").to_pylist() == ['["a", "b"]', None]
    assert chunk.table.column("Company").to_pylist() == ["Peña", "Ñandú"]


def test_unusable_paths_are_refused_with_the_reason(folder, tmp_path) -> None:
    write(folder, "a.csv", "Id\nl1\n")
    write(folder, "notes.txt", "hello")
    write(folder, ".hidden.csv", "Id\n")
    other = write(tmp_path, "b.pdf", "x")
    found = discover([folder, other, tmp_path / "missing.csv"])
    assert [name for _, name, _ in found.files] == ["a.csv"]
    reasons = dict(found.refused)
    assert "unsupported file type '.pdf'" in reasons["b.pdf"]
    assert reasons[str(tmp_path / "missing.csv")] == "no such file or folder"


def test_an_empty_file_cannot_be_read(folder) -> None:
    path = write(folder, "a.csv", "")
    with pytest.raises(ReaderError, match="empty"):
        open_reader(path, "csv", "utf-8", ReadOptions())
