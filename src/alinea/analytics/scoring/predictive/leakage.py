"""The leakage guard: fields that give the outcome away are flagged and left out of a model.

A field leaks when it is filled in only after sales has talked to the lead (declared by the
workspace or its import profile, e.g. X Education's ``Tags`` and ``Lead Quality``) or when, on its
own, it predicts the outcome almost perfectly. The latter is measured as the field's single-field
ROC AUC, cross-fitted so that a field with many distinct values does not look predictive by
memorising rows: each half of the rows is scored by the conversion rate of the field's value in
the other half (numbers are scored by their own value, in whichever direction predicts better).

A workspace may also know that only some *values* of a field are written by sales (X Education's
``Last Activity`` reads "SMS Sent" or "Had a Phone Conversation" once a counsellor acted). Such a
field is a snapshot overwritten after contact, so it is flagged and left out whole: masking the
declared values does not remove the leak, because which leads have a masked value still tells
which leads sales reached (on X Education the masked field ranks converted leads as well as the
raw one, AUC 0.721 against 0.723, and the model scores the same with it). The warning shows both
AUCs.

Flagged fields are excluded unless a person overrides the warning for that field; the warning is
kept either way, so the override is visible.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

#: A field predicting the outcome at least this well on its own is suspicious.
DEFAULT_MAX_SINGLE_AUC = 0.9


@dataclass(frozen=True)
class LeakageGuard:
    """``after_contact``: fields filled in after sales contact; ``after_contact_values``: field →
    the values of it that only sales writes (given as a mapping, kept as sorted pairs);
    ``overrides``: fields a person decided to keep despite a warning; ``max_single_auc``: the
    single-field AUC that flags."""

    after_contact: tuple[str, ...] = ()
    overrides: tuple[str, ...] = ()
    max_single_auc: float = DEFAULT_MAX_SINGLE_AUC
    after_contact_values: Mapping[str, Sequence[str]] | tuple[tuple[str, tuple[str, ...]], ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "after_contact", tuple(self.after_contact))
        object.__setattr__(self, "overrides", tuple(self.overrides))
        pairs = tuple(
            sorted(
                (field, tuple(values)) for field, values in dict(self.after_contact_values).items()
            )
        )
        object.__setattr__(self, "after_contact_values", pairs)
        empty = [field for field, values in pairs if not values]
        if empty:
            raise ValueError(f"after_contact_values of {empty[0]!r} lists no value")
        if not 0.5 < self.max_single_auc <= 1:
            raise ValueError(f"max_single_auc lies in (0.5, 1], got {self.max_single_auc}")


@dataclass(frozen=True)
class LeakageWarning:
    field: str
    reason: str
    single_auc: float
    excluded: bool


def _halves(n: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).permutation(n) % 2


def single_field_auc(values: pd.Series, outcome: pd.Series, *, seed: int = 0) -> float:
    """How well one field ranks converted leads above the others on its own (0.5 = not at all)."""
    y = outcome.to_numpy().astype(int)
    if len(np.unique(y)) < 2:
        return 0.5
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        filled = values.astype("float64").fillna(values.median() if values.notna().any() else 0)
        auc = float(roc_auc_score(y, filled))
        return max(auc, 1 - auc)
    text = values.astype("object").where(values.notna(), "(missing)").astype(str)
    half = _halves(len(values), seed)
    scores = np.empty(len(values))
    prior = y.mean()
    for part in (0, 1):
        learn, apply = half != part, half == part
        rates = pd.Series(y[learn]).groupby(text[learn].to_numpy()).mean()
        scores[apply] = text[apply].map(rates).fillna(prior).to_numpy()
    return float(roc_auc_score(y, scores))


def _sales_values_reason(
    values: pd.Series, outcome: pd.Series, declared: Sequence[str], auc: float
) -> str | None:
    """Why a field holding values written by sales is left out whole (``None`` when none of the
    declared values occurs)."""
    found = values.isin(list(declared))
    if not found.any():
        return None
    counts = values[found].value_counts()
    listed = ", ".join(f"{value} ({count:,})" for value, count in counts.items())
    masked = single_field_auc(values.mask(found), outcome)
    return (
        f"holds values written after sales contact: {listed}; masking them still leaves the "
        f"leads sales reached apart (AUC {masked:.3f} masked, {auc:.3f} as is)"
    )


def check_leakage(
    frame: pd.DataFrame, outcome: pd.Series, fields: Sequence[str], guard: LeakageGuard
) -> list[LeakageWarning]:
    """A warning for every offered field that is filled after contact, holds values written
    after contact, or predicts too well."""
    sales_values = dict(guard.after_contact_values)
    warnings = []
    for field in fields:
        auc = single_field_auc(frame[field], outcome)
        reasons = []
        if field in guard.after_contact:
            reasons.append("filled in after sales contact")
        elif field in sales_values:
            reason = _sales_values_reason(frame[field], outcome, sales_values[field], auc)
            if reason:
                reasons.append(reason)
        if auc >= guard.max_single_auc:
            reasons.append(f"predicts the outcome almost perfectly on its own (AUC {auc:.3f})")
        if reasons:
            excluded = field not in guard.overrides
            warnings.append(LeakageWarning(field, "; ".join(reasons), auc, excluded))
    return warnings


def usable_fields(fields: Sequence[str], warnings: Sequence[LeakageWarning]) -> list[str]:
    """The offered fields less those the guard excludes."""
    excluded = {w.field for w in warnings if w.excluded}
    return [f for f in fields if f not in excluded]
