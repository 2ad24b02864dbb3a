"""Every SMART/FAST reason the analytics core can give has a translatable text here, with the
same placeholders; the target statement says which kind of target it is."""

from __future__ import annotations

import string

import pytest
from django.utils import translation

from alinea.analytics.goals.checks import MESSAGES, LetterCheck
from alinea.apps.goals.wording import REASONS, reason_text, target_statement


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_has_a_translatable_text_with_the_same_placeholders() -> None:
    assert set(REASONS) == set(MESSAGES)
    for message, english in MESSAGES.items():
        assert _placeholders(str(REASONS[message])) == _placeholders(english), message
        with translation.override("es"):
            assert _placeholders(str(REASONS[message])) == _placeholders(english), message


def test_a_reason_in_spanish_fills_in_translated_parameters() -> None:
    check = LetterCheck("S", "specific", False, "missing a segment, an owner team",
                        "specific.missing", {"missing": "segment,owner"})  # fmt: skip
    with translation.override("en"):
        assert reason_text(check) == "missing a segment, an owner team"
    with translation.override("es"):
        assert reason_text(check) == "falta un segmento, un equipo responsable"


@pytest.mark.parametrize(
    ("kind", "amount", "baseline", "target", "expected"),
    [
        ("absolute", 0.25, None, 0.25, "Absolute value: reach 25.0 %"),
        ("relative", 5, 0.2, 0.21,
         "Relative change (%): +5 % of the baseline, from baseline 20.0 % to target 21.0 %"),
        ("points", 5, 0.2, 0.25, "Change in percentage points (pp): +5 percentage points, "
         "from baseline 20.0 % to target 25.0 %"),
        ("relative", -10, None, None,
         "Relative change (%): -10 % of the baseline (no baseline measured yet)"),
    ],
)  # fmt: skip
def test_the_target_statement_names_its_kind(kind, amount, baseline, target, expected) -> None:
    with translation.override("en"):
        made = target_statement(kind, amount, baseline=baseline, target=target, unit="ratio")
    assert made == expected
