"""Why a predictive score is what it is: per-lead factors and the model's top factors.

- **per lead**: a field's contribution is how much the lead's probability changes when that field
  alone is set back to a typical lead's value (most common category, median number):
  ``p(lead) − p(lead with field := typical)``; positive factors raised the score, negative ones
  lowered it. Contributions need not add up to ``p − base rate`` (fields interact).
- **overall**: permutation importance, the drop in ROC AUC when a field's values are shuffled
  across leads (mean of a few shuffles).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.inspection import permutation_importance

from alinea.analytics.scoring.predictive.model import TrainedModel


def lead_factors(model: TrainedModel, rows: pd.DataFrame) -> pd.DataFrame:
    """``row`` (the index of ``rows``), ``field``, ``value``, ``contribution``, one line per
    field and row, largest effect first within each row."""
    matrix = model.features.matrix(rows)
    probability = model.estimator.predict_proba(matrix)[:, 1]
    parts = []
    for name in model.features.fields:
        typical = matrix.copy()
        typical[name] = pd.Series([model.baseline[name]] * len(rows), index=rows.index).astype(
            matrix[name].dtype
        )
        moved = probability - model.estimator.predict_proba(typical)[:, 1]
        parts.append(
            pd.DataFrame(
                {
                    "row": rows.index,
                    "field": name,
                    "value": rows[name].to_numpy(),
                    "contribution": moved,
                }
            )
        )
    factors = pd.concat(parts, ignore_index=True)
    factors["size"] = factors.contribution.abs()
    ordered = factors.sort_values(["row", "size", "field"], ascending=[True, False, True])
    return ordered.drop(columns="size").reset_index(drop=True)


def top_factors(
    model: TrainedModel,
    frame: pd.DataFrame,
    outcome: pd.Series,
    *,
    repeats: int = 3,
    sample: int = 2_000,
    seed: int = 0,
) -> pd.DataFrame:
    """``field`` and ``importance`` (mean drop in ROC AUC when shuffled), most important first,
    measured on at most ``sample`` rows drawn at random."""
    if len(frame) > sample:
        frame = frame.sample(sample, random_state=seed)
        outcome = outcome.loc[frame.index]
    result = permutation_importance(
        model.estimator,
        model.features.matrix(frame),
        outcome.to_numpy().astype(int),
        scoring="roc_auc",
        n_repeats=repeats,
        random_state=seed,
    )
    importance = np.asarray(result["importances_mean"])
    table = pd.DataFrame({"field": list(model.features.fields), "importance": importance})
    return table.sort_values("importance", ascending=False).reset_index(drop=True)
