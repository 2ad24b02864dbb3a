"""Read numbers written with a decimal comma or a decimal point, with or without thousands marks.

``1.234,56`` and ``1,234.56`` are both read; spaces, apostrophes and currency signs are ignored.
Which mark is the decimal one is a property of the column: the mapping states it, or a value settles
it (``12,5``, ``1.234,56``), or — when every value is like ``1,234`` — it is an error that asks the
person to choose (see ``DecimalEvidence``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from alinea.importing.values import Decision, first_example

DecimalMark = Literal[",", "."]

_IGNORED = "[\\s\u00a0\u202f'$€£¥]"
_NUMBER = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"
_EVIDENCE: dict[DecimalMark, tuple[str, ...]] = {
    ",": (
        r"^[+-]?\d*,(\d{1,2}|\d{4,})$",  # 12,5  0,25  3,14159
        r"^[+-]?\d{1,3}(\.\d{3})+,\d*$",  # 1.234,56
        r"^[+-]?\d{1,3}(\.\d{3}){2,}$",  # 1.234.567
    ),
    ".": (
        r"^[+-]?\d*\.(\d{1,2}|\d{4,})$",
        r"^[+-]?\d{1,3}(,\d{3})+\.\d*$",
        r"^[+-]?\d{1,3}(,\d{3}){2,}$",
    ),
}
_AMBIGUOUS = r"^[+-]?\d{1,3}[.,]\d{3}$"


def parse_decimal_mark(text: str) -> DecimalMark:
    """``","``/``comma`` or ``"."``/``point``/``dot``."""
    spelled = text.strip().lower()
    if spelled in (",", "comma", "coma"):
        return ","
    if spelled in (".", "point", "dot", "punto"):
        return "."
    raise ValueError(f"decimal mark {text!r} is not understood; use ',' (comma) or '.' (point)")


def _clean(values: pa.Array) -> pa.Array:
    return pc.replace_substring_regex(values, _IGNORED, "")


def to_numbers(values: pa.Array, mark: DecimalMark) -> tuple[pa.Array, np.ndarray]:
    """Text values as float64 and the mask of values that are not numbers.

    >>> numbers, bad = to_numbers(pa.array(["1.234,5", "12", "x", None]), ",")
    >>> numbers.to_pylist(), bad.tolist()
    ([1234.5, 12.0, None, None], [False, False, True, False])
    """
    thousands = "." if mark == "," else ","
    text = pc.replace_substring(_clean(values), thousands, "")
    if mark == ",":
        text = pc.replace_substring(text, ",", ".")
    good = pc.fill_null(pc.match_substring_regex(text, _NUMBER), False)
    numbers = pc.cast(pc.if_else(good, text, None), pa.float64())
    present = np.asarray(pc.is_valid(values))
    return numbers, present & ~np.asarray(good)


@dataclass
class DecimalEvidence:
    """What the values of one column say about the decimal mark; fed chunk by chunk."""

    column: str
    comma: tuple[str, int] | None = None
    point: tuple[str, int] | None = None
    ambiguous: tuple[str, int] | None = None

    @property
    def settled(self) -> bool:
        return self.comma is not None or self.point is not None

    def add(self, values: pa.Array, lines: np.ndarray) -> None:
        # Every kind of evidence has a mark in it: the values without one tell nothing.
        marked = np.asarray(pc.fill_null(pc.match_substring_regex(values, "[.,]"), False))
        if not marked.any():
            return
        if not marked.all():
            values, lines = values.filter(pa.array(marked)), lines[marked]
        text = _clean(values)
        self.comma = self.comma or first_example(values, lines, _matches(text, _EVIDENCE[","]))
        self.point = self.point or first_example(values, lines, _matches(text, _EVIDENCE["."]))
        ambiguous = np.asarray(pc.fill_null(pc.match_substring_regex(text, _AMBIGUOUS), False))
        self.ambiguous = self.ambiguous or first_example(values, lines, ambiguous)

    def decide(self) -> Decision[DecimalMark]:
        """The decimal mark, with a note, or a problem when the values do not tell it."""
        if self.comma and self.point:
            both = (
                f"decimal commas ({self.comma[0]!r}, line {self.comma[1]}) and decimal points"
                f" ({self.point[0]!r}, line {self.point[1]})"
            )
            return Decision(".", problem=f"the column mixes {both}; {_CHOOSE}")
        if self.comma:
            value, at = self.comma
            return Decision(
                ",", note=f"column {self.column!r}: decimal comma ({value!r}, line {at})"
            )
        if self.ambiguous:
            value, at = self.ambiguous
            return Decision(
                ".",
                problem=(
                    f"ambiguous numbers: {value!r} (line {at}) reads as a decimal or as"
                    f" thousands and no value tells which; {_CHOOSE}"
                ),
            )
        return Decision(".")


_CHOOSE = "choose the decimal mark (CLI --decimal , or .; or the mapping's decimal)"


def _matches(text: pa.Array, patterns: tuple[str, ...]) -> np.ndarray:
    found = np.zeros(len(text), bool)
    for pattern in patterns:
        found |= np.asarray(pc.fill_null(pc.match_substring_regex(text, pattern), False))
    return found
