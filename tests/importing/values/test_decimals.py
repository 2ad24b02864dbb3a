"""Numbers with a decimal comma or point; an undecidable column is an error, never a guess."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from alinea.importing.values.decimals import DecimalEvidence, parse_decimal_mark, to_numbers


@pytest.mark.parametrize(
    ("mark", "texts", "expected"),
    [
        (",", ["1.234,56", "12,5", "-0,25", "1.234.567", "€ 3,10", "7"],
         [1234.56, 12.5, -0.25, 1234567.0, 3.1, 7.0]),
        (".", ["1,234.56", "12.5", "-0.25", "1,234,567", "$3.10", "1e3"],
         [1234.56, 12.5, -0.25, 1234567.0, 3.1, 1000.0]),
        (",", ["1 234,5", "1'234,5"], [1234.5, 1234.5]),
    ],
)  # fmt: skip
def test_numbers_are_read_with_the_given_mark(mark, texts, expected) -> None:
    numbers, bad = to_numbers(pa.array(texts), mark)
    assert numbers.to_pylist() == pytest.approx(expected)
    assert not bad.any()


def test_text_that_is_not_a_number_is_bad_and_empty_is_not() -> None:
    numbers, bad = to_numbers(pa.array(["twelve", None, "1,2,3,4"]), ",")
    assert numbers.to_pylist() == [None, None, None]
    assert bad.tolist() == [True, False, True]


def decide(values: list[str]):
    found = DecimalEvidence("Value")
    found.add(pa.array(values), np.arange(2, len(values) + 2))
    return found.decide()


def test_a_decimal_comma_is_settled_by_a_value() -> None:
    decision = decide(["1.234", "12,5"])
    assert decision.choice == ","
    assert decision.problem is None
    assert "'12,5', line 3" in (decision.note or "")


def test_a_decimal_point_is_the_default_when_values_tell() -> None:
    assert decide(["1,234.5", "12"]).choice == "."


def test_thousands_or_decimal_undecidable_is_an_error() -> None:
    decision = decide(["1,234", "5,000"])
    assert decision.problem is not None
    assert "ambiguous numbers: '1,234' (line 2)" in decision.problem


def test_mixed_marks_are_an_error() -> None:
    decision = decide(["12,5", "3.25"])
    assert decision.problem is not None
    assert "mixes decimal commas" in decision.problem


@pytest.mark.parametrize(
    ("text", "mark"), [(",", ","), ("comma", ","), ("coma", ","), ("point", ".")]
)
def test_decimal_marks_are_named(text, mark) -> None:
    assert parse_decimal_mark(text) == mark
