"""The files of an import: found from the paths given, fingerprinted (SHA-256) and their text
encoding detected, in one pass over the bytes."""

from __future__ import annotations

import codecs
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from alinea.importing.readers import TEXT_FORMATS, format_of

_BLOCK = 4 << 20
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class SourceFile:
    """A file to import. ``name`` is how problems and records name it (relative to the folder it
    was found in); ``encoding`` is set for text formats."""

    path: Path
    name: str
    format: str
    size: int
    sha256: str
    encoding: str | None


@dataclass(frozen=True)
class Found:
    """What ``discover`` found: files to read, and paths it could not use (with the reason)."""

    files: tuple[tuple[Path, str, str], ...]
    refused: tuple[tuple[str, str], ...]


def discover(paths: Iterable[str | Path]) -> Found:
    """The data files named by ``paths``: files themselves, and the files directly in folders
    (hidden files and unknown extensions in folders are ignored)."""
    files: list[tuple[Path, str, str]] = []
    refused: list[tuple[str, str]] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            inside = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
            known = [(p, p.name, fmt) for p in inside if (fmt := format_of(p)) is not None]
            if not known:
                refused.append((str(path), "the folder holds no file alinea can read"))
            files.extend(known)
        elif path.is_file():
            fmt = format_of(path)
            if fmt is None:
                refused.append((path.name, f"unsupported file type {path.suffix!r}; {SUPPORTED}"))
            else:
                files.append((path, path.name, fmt))
        else:
            refused.append((str(path), "no such file or folder"))
    return Found(tuple(files), tuple(refused))


SUPPORTED = "supported: .csv, .tsv, .xlsx, .parquet, .jsonl"


def fingerprint(
    path: Path, name: str, format: str, progress: Callable[[int], None] | None = None
) -> SourceFile:
    """Hash the file and, for text formats, detect its encoding: a byte-order mark, else UTF-8
    if every byte sequence is valid UTF-8, else Windows-1252 (Latin-1 where 1252 has holes)."""
    digest = hashlib.sha256()
    detector = _EncodingDetector() if format in TEXT_FORMATS else None
    with path.open("rb") as file:
        while block := file.read(_BLOCK):
            digest.update(block)
            if detector is not None:
                detector.feed(block)
            if progress is not None:
                progress(len(block))
    encoding = detector.result() if detector is not None else None
    return SourceFile(path, name, format, path.stat().st_size, digest.hexdigest(), encoding)


class _EncodingDetector:
    def __init__(self) -> None:
        self.start = True
        self.bom: str | None = None
        self.utf8: codecs.IncrementalDecoder | None = codecs.getincrementaldecoder("utf-8")()
        self.cp1252 = True

    def feed(self, block: bytes) -> None:
        if self.start:
            self.start = False
            self.bom = next((name for mark, name in _BOMS if block.startswith(mark)), None)
        if self.bom is not None:
            return
        if block.isascii() and (self.utf8 is None or not self.utf8.getstate()[0]):
            return
        if self.utf8 is not None:
            try:
                self.utf8.decode(block)
            except UnicodeDecodeError:
                self.utf8 = None
        if self.cp1252:
            try:
                block.decode("cp1252")
            except UnicodeDecodeError:
                self.cp1252 = False

    def result(self) -> str:
        if self.bom is not None:
            return self.bom
        if self.utf8 is not None:
            try:
                self.utf8.decode(b"", final=True)
                return "utf-8"
            except UnicodeDecodeError:
                pass
        return "cp1252" if self.cp1252 else "latin-1"
