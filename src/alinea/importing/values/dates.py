"""Read dates and instants written the ways people write them, without ever guessing.

Accepted: ISO (``2018-04-03``, ``2018-04-03T09:30:00Z``), day first (``03-04-2018``,
``03/04/18``, ``03.04.2018``) and month first (``04/03/2018``), each optionally followed by a time
(``09:30``, ``09:30:15.250``, ``9:30 PM``, after ``T``, a space or ``, ``) and a zone (``Z``,
``UTC``, ``+02:00``, ``-0500``). A year-first value is never ambiguous. Whether ``03-04-2018`` is
day first or month first is a property of the whole column: the mapping states it, or a value with
a day above 12 settles it, or it is an error that asks the person to choose (``DateEvidence``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from alinea.importing.values import Decision, first_example

DateOrder = Literal["ymd", "dmy", "mdy"]

FORMAT_HELP = "yyyy-mm-dd (ISO), dd-mm-yyyy, dd-mm-yy or mm/dd/yyyy (separator - / or .)"
_ORDER_NAMES: dict[str, str] = {
    "ymd": "yyyy-mm-dd",
    "dmy": "dd-mm-yyyy (day first)",
    "mdy": "mm/dd/yyyy (month first)",
}

_DATE = (
    r"(?:(?P<y1>\d{4})[-/.](?P<a1>\d{1,2})[-/.](?P<b1>\d{1,2})"
    r"|(?P<a2>\d{1,2})[-/.](?P<b2>\d{1,2})[-/.](?P<y2>\d{4}|\d{2}))"
)
_TIME = (
    r"(?:(?:T|,?\s+)(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<f>\d{1,9}))?)?"
    r"\s*(?P<p>[AaPp]\.?[Mm]\.?)?)?"
)
_ZONE = r"\s*(?P<z>[Zz]|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?"
PATTERN = rf"^\s*{_DATE}{_TIME}{_ZONE}\s*$"
_YEAR_LAST = r"^\s*\d{1,2}[-/.]\d{1,2}[-/.]\d"
_US_PER_DAY = 86_400_000_000


def parse_format(text: str) -> DateOrder:
    """The field order a date format names: ``dd-mm-yyyy`` → ``dmy``, ``%m/%d/%Y`` → ``mdy``.

    >>> parse_format("dd/mm/yy"), parse_format("%m-%d-%Y"), parse_format("ISO")
    ('dmy', 'mdy', 'ymd')
    """
    spelled = text.strip().lower()
    if spelled in ("iso", "iso8601", "iso 8601"):
        return "ymd"
    for code, word in (("%d", "dd"), ("%m", "mm"), ("%y", "yy")):
        spelled = spelled.replace(code, word)
    letters = re.sub(r"[^dmy]", "", spelled.split(" ")[0].split("t")[0])
    order = "".join(dict.fromkeys(letters))
    if order in ("ymd", "dmy", "mdy"):
        return order  # type: ignore[return-value]
    raise ValueError(f"date format {text!r} is not understood; use one of: {FORMAT_HELP}")


def describe(order: DateOrder) -> str:
    return _ORDER_NAMES[order]


@dataclass(frozen=True)
class Parsed:
    """Values read as local wall-clock microseconds since 1970 (``local``) plus their zone.

    ``ok`` marks values that are a valid date (and time); ``zoned`` those that carry a zone, whose
    offset from UTC in minutes is ``offset``; ``year_last`` those written with the year at the end.
    """

    local: np.ndarray
    ok: np.ndarray
    zoned: np.ndarray
    offset: np.ndarray
    year_last: np.ndarray
    timed: np.ndarray


def read(values: pa.Array, order: DateOrder) -> Parsed:
    """Split each text value into its parts and check them; year-last values follow ``order``."""
    parts = pc.extract_regex(values, PATTERN)
    field = _fields(parts)
    year_last = field["y2"] >= 0
    first, second = field["a2"], field["b2"]
    day = np.where(year_last, first if order == "dmy" else second, field["b1"])
    month = np.where(year_last, second if order == "dmy" else first, field["a1"])
    year = np.where(year_last, _full_year(field["y2"]), field["y1"])
    days, valid_day = _days(year, month, day)
    hour, valid_time = _hours(field, parts)
    minute, second_ = np.maximum(field["M"], 0), np.maximum(field["S"], 0)
    valid_time &= (minute < 60) & (second_ < 60)
    micros = _fraction(parts)
    local = days * _US_PER_DAY + ((hour * 60 + minute) * 60 + second_) * 1_000_000 + micros
    offset, zoned = _offsets(parts)
    ok = np.asarray(pc.is_valid(parts)) & valid_day & valid_time
    return Parsed(local, ok, zoned & ok, offset, year_last & ok, (field["H"] >= 0) & ok)


def to_instants(values: pa.Array, order: DateOrder, timezone: str | None) -> Instants:
    """Text values as UTC instants; values without a zone are wall-clock time in ``timezone``."""
    fast = _iso_with_zone(values)
    if fast is not None:
        return Instants(fast, np.zeros(len(values), bool), np.zeros(len(values), bool))
    parsed = read(values, order)
    utc = parsed.local - parsed.offset * 60_000_000
    naive = parsed.ok & ~parsed.zoned
    if timezone is not None and naive.any():
        utc[naive] = localize(parsed.local[naive], timezone)
        naive = np.zeros(len(values), bool)
    good = parsed.ok & ~naive
    present = np.asarray(pc.is_valid(values))
    array = pa.array(utc, pa.int64(), mask=~good).cast(pa.timestamp("us", "UTC"))
    return Instants(array, present & ~parsed.ok, naive)


def to_dates(values: pa.Array, order: DateOrder) -> tuple[pa.Array, np.ndarray]:
    """Text values as calendar days (a time part, if any, is ignored) and the unreadable ones."""
    parsed = read(values, order)
    present = np.asarray(pc.is_valid(values))
    days = (parsed.local // _US_PER_DAY).astype(np.int32)
    return pa.array(days, pa.int32(), mask=~parsed.ok).cast(pa.date32()), present & ~parsed.ok


def localize(local: np.ndarray, timezone: str) -> np.ndarray:
    """Wall-clock microseconds in ``timezone`` as UTC microseconds.

    A time skipped by a daylight-saving change moves forward; a repeated one is read as the first.
    """
    stamps = pd.DatetimeIndex(local.astype("datetime64[us]"))
    aware = stamps.tz_localize(
        timezone, ambiguous=np.ones(len(local), bool), nonexistent="shift_forward"
    )
    return np.asarray(aware.tz_convert("UTC").tz_localize(None).asi8, dtype=np.int64)


@dataclass(frozen=True)
class Instants:
    """UTC instants, the values that could not be read, and those that lack a needed zone."""

    array: pa.Array
    bad: np.ndarray
    naive: np.ndarray


def _iso_with_zone(values: pa.Array) -> pa.Array | None:
    """Arrow's own strict ISO 8601 reading, when every value is ISO with a zone (the usual case)."""
    if values.null_count == len(values):
        return None
    try:
        return pc.cast(values, pa.timestamp("us", "UTC"))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None


def _fields(parts: pa.StructArray) -> dict[str, np.ndarray]:
    """The numeric parts (-1 where absent)."""
    out: dict[str, np.ndarray] = {}
    for name in ("y1", "a1", "b1", "a2", "b2", "y2", "H", "M", "S"):
        text = pc.struct_field(parts, name)
        number = pc.cast(pc.if_else(pc.equal(text, ""), None, text), pa.int64())
        out[name] = np.asarray(pc.fill_null(number, -1))
    return out


def _full_year(two_or_four: np.ndarray) -> np.ndarray:
    """Two-digit years as Python's ``%y`` reads them: 69–99 → 1900s, 00–68 → 2000s."""
    return np.where(
        two_or_four < 100, np.where(two_or_four < 69, 2000, 1900) + two_or_four, two_or_four
    )


def _days(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    ok = (month >= 1) & (month <= 12) & (day >= 1) & (day <= 31) & (year >= 1) & (year <= 9999)
    months = np.where(ok, (year - 1970) * 12 + month - 1, 0).astype("datetime64[M]")
    days = months.astype("datetime64[D]") + np.where(ok, day - 1, 0)
    ok &= days.astype("datetime64[M]") == months
    return days.astype(np.int64), ok


def _hours(field: dict[str, np.ndarray], parts: pa.StructArray) -> tuple[np.ndarray, np.ndarray]:
    hour = np.maximum(field["H"], 0)
    meridiem = np.asarray(
        pc.fill_null(pc.utf8_lower(pc.utf8_slice_codeunits(pc.struct_field(parts, "p"), 0, 1)), "")
    ).astype(str)
    has_meridiem = meridiem != ""
    valid = np.where(has_meridiem, (hour >= 1) & (hour <= 12), hour <= 23)
    hour = np.where(has_meridiem, hour % 12 + np.where(meridiem == "p", 12, 0), hour)
    return hour, valid


def _fraction(parts: pa.StructArray) -> np.ndarray:
    digits = pc.utf8_slice_codeunits(pc.fill_null(pc.struct_field(parts, "f"), ""), 0, 6)
    padded = pc.utf8_rpad(digits, 6, "0")
    return np.asarray(pc.fill_null(pc.cast(padded, pa.int64()), 0))


def _offsets(parts: pa.StructArray) -> tuple[np.ndarray, np.ndarray]:
    zone = pc.fill_null(pc.struct_field(parts, "z"), "")
    zoned = np.asarray(pc.not_equal(zone, ""))
    digits = pc.replace_substring(zone, ":", "")
    numeric = np.asarray(pc.match_substring_regex(digits, r"^[+-]\d"))
    hours = _number(pc.utf8_slice_codeunits(digits, 1, 3))
    minutes = _number(pc.utf8_slice_codeunits(digits, 3, 5))
    sign = np.where(np.asarray(pc.starts_with(digits, "-")), -1, 1)
    offset = np.where(numeric, sign * (hours * 60 + minutes), 0)
    return offset.astype(np.int64), zoned


def _number(text: pa.Array) -> np.ndarray:
    cleaned = pc.if_else(pc.match_substring_regex(text, r"^\d+$"), text, "0")
    return np.asarray(pc.cast(cleaned, pa.int64()))


@dataclass
class DateEvidence:
    """What the values of one column say about day-first versus month-first.

    Fed chunk by chunk (``add``); ``settled`` as soon as one value reads only one way.
    """

    column: str
    day_first: tuple[str, int] | None = None
    month_first: tuple[str, int] | None = None
    differs: tuple[str, int] | None = None
    year_last: int = 0

    @property
    def settled(self) -> bool:
        return self.day_first is not None or self.month_first is not None

    def add(self, values: pa.Array, lines: np.ndarray) -> None:
        year_last = np.asarray(pc.fill_null(pc.match_substring_regex(values, _YEAR_LAST), False))
        if not year_last.any():  # e.g. ISO dates: nothing to learn, and cheap to find out
            return
        values, lines = values.filter(pa.array(year_last)), lines[year_last]
        as_dmy, as_mdy = read(values, "dmy"), read(values, "mdy")
        dmy, mdy = as_dmy.ok & as_dmy.year_last, as_mdy.ok & as_mdy.year_last
        self.year_last += int((dmy | mdy).sum())
        self.day_first = self.day_first or first_example(values, lines, dmy & ~mdy)
        self.month_first = self.month_first or first_example(values, lines, mdy & ~dmy)
        differ = dmy & mdy & (as_dmy.local != as_mdy.local)
        self.differs = self.differs or first_example(values, lines, differ)

    def decide(self) -> Decision[DateOrder]:
        """The order to read the column in, with a note, or a problem when no order is known."""
        if self.day_first and self.month_first:
            (one, at), (other, at2) = self.day_first, self.month_first
            mixed = f"day-first ({one!r}, line {at}) and month-first ({other!r}, line {at2})"
            return Decision("dmy", problem=f"the column mixes {mixed} dates; {_CHOOSE}")
        if self.day_first or self.month_first:
            order: DateOrder = "dmy" if self.day_first else "mdy"
            value, at = self.day_first or self.month_first  # type: ignore[misc]
            why = f"{value!r} (line {at}) reads only that way"
            return Decision(
                order, note=f"column {self.column!r}: dates read as {describe(order)} because {why}"
            )
        if self.differs:
            value, at = self.differs
            return Decision(
                "dmy",
                problem=(
                    f"ambiguous dates: {value!r} (line {at}) and every other value read both"
                    f" day first and month first, and no value tells which; {_CHOOSE}"
                ),
            )
        return Decision("dmy")


_CHOOSE = (
    "choose a date format: dd-mm-yyyy or mm/dd/yyyy (CLI --date-format, or the mapping's"
    " date_format)"
)
