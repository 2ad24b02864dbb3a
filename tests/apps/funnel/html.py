"""Reading the numbers a funnel page shows: every element carrying ``data-leads``."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Number:
    table: str
    row: dict[str, str]
    attrs: dict[str, str]
    text: str = ""

    @property
    def leads(self) -> int:
        return int(self.attrs["data-leads"])


@dataclass
class _State:
    table: str = ""
    row: dict[str, str] = field(default_factory=dict)


class _Numbers(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[Number] = []
        self.state = _State()
        self.open: Number | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = {k: v or "" for k, v in attrs}
        if "data-table" in named:
            self.state.table = named["data-table"]
        if tag in ("tr", "li"):
            self.state.row = named
        if "data-leads" in named:
            self.open = Number(self.state.table, dict(self.state.row), named)
            self.found.append(self.open)

    def handle_data(self, data: str) -> None:
        if self.open is not None:
            self.open.text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self.open = None


def numbers(html: str) -> list[Number]:
    parser = _Numbers()
    parser.feed(html)
    return parser.found


def in_table(html: str, table: str) -> list[Number]:
    return [number for number in numbers(html) if number.table == table]
