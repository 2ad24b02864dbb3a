"""How long first responses take, in business hours: percentiles and a histogram.

Only MQL events with a response count (``response_hours`` from the clock start to the first
contact attempt); unanswered ones are in :func:`~alinea.analytics.sla.compliance.compliance` as
pending, at risk or breached. Percentiles interpolate linearly between the two nearest responses
(numpy's default, the same as ``pandas.Series.quantile``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from alinea.analytics.sla.compliance import Every, group_columns

#: Histogram bin edges in business hours; the last bin is open-ended.
DEFAULT_EDGES: tuple[float, ...] = (0, 1, 2, 4, 8, 16, 24, 40)
DEFAULT_PERCENTILES: tuple[float, ...] = (0.5, 0.75, 0.9, 0.95)


def _responded(
    clocks: pd.DataFrame, by: Sequence[str], every: Every | None
) -> tuple[pd.DataFrame, list[str]]:
    answered = clocks[clocks["responded_at"].notna()]
    keys = group_columns(answered, by, every)
    frame = keys.assign(hours=answered["response_hours"].to_numpy())
    return frame, list(keys.columns)


def _label(share: float) -> str:
    return f"p{round(share * 100):g}_hours"


def response_time_percentiles(
    clocks: pd.DataFrame,
    *,
    by: Sequence[str] = (),
    every: Every | None = None,
    percentiles: Sequence[float] = DEFAULT_PERCENTILES,
) -> pd.DataFrame:
    """Per group: ``responded`` (count), ``mean_hours`` and one ``pNN_hours`` column per share.

    >>> clocks = pd.DataFrame({"responded_at": pd.Timestamp("2025-06-02", tz="UTC"),
    ...                        "mql_at": pd.Timestamp("2025-06-02", tz="UTC"),
    ...                        "response_hours": [1.0, 2.0, 3.0, 10.0]})
    >>> response_time_percentiles(clocks, percentiles=[0.5]).to_dict("records")
    [{'responded': 4, 'mean_hours': 4.0, 'p50_hours': 2.5}]
    """
    frame, keys = _responded(clocks, by, every)
    labels = [_label(p) for p in percentiles]

    def summary(hours: pd.Series) -> pd.Series:
        values = hours.to_numpy(dtype=np.float64)
        quantiles = np.quantile(values, percentiles) if len(values) else [np.nan] * len(labels)
        stats = [len(values), values.mean() if len(values) else np.nan, *quantiles]
        return pd.Series(stats, index=["responded", "mean_hours", *labels])

    if not keys:
        table = summary(frame["hours"]).to_frame().T
    else:
        grouped = frame.groupby(keys, dropna=False)["hours"]
        table = grouped.apply(summary).unstack().reset_index()
    table["responded"] = table["responded"].astype(np.int64)
    return table.reset_index(drop=True)


def response_time_histogram(
    clocks: pd.DataFrame,
    *,
    by: Sequence[str] = (),
    every: Every | None = None,
    edges: Sequence[float] = DEFAULT_EDGES,
) -> pd.DataFrame:
    """Responses per business-hours bin ``[lower, upper)`` (the last bin has no upper bound).

    Columns: the group columns, ``lower_hours``, ``upper_hours`` (NaN for the last bin),
    ``count``, ``share`` of the group's responses and ``cumulative_share``.

    >>> clocks = pd.DataFrame({"responded_at": pd.Timestamp("2025-06-02", tz="UTC"),
    ...                        "mql_at": pd.Timestamp("2025-06-02", tz="UTC"),
    ...                        "response_hours": [0.5, 1.0, 3.0, 50.0]})
    >>> response_time_histogram(clocks, edges=[0, 1, 4])["count"].tolist()
    [1, 2, 1]
    """
    bounds = np.asarray(edges, dtype=np.float64)
    if len(bounds) < 1 or np.any(np.diff(bounds) <= 0):
        raise ValueError("histogram edges must be increasing")
    frame, keys = _responded(clocks, by, every)
    frame["bin"] = np.searchsorted(bounds, frame["hours"].to_numpy(), side="right") - 1
    frame = frame[frame["bin"] >= 0]  # below the first edge: not shown
    bins = pd.DataFrame(
        {"bin": range(len(bounds)), "lower_hours": bounds, "upper_hours": [*bounds[1:], np.nan]}
    )
    counted = frame.groupby([*keys, "bin"], dropna=False).size().rename("count").reset_index()
    spine = counted[keys].drop_duplicates() if keys else pd.DataFrame(index=[0])
    table = spine.merge(bins, how="cross").merge(counted, on=[*keys, "bin"], how="left")
    table["count"] = table["count"].fillna(0).astype(np.int64)
    total = (
        table.groupby(keys, dropna=False)["count"].transform("sum")
        if keys
        else table["count"].sum()
    )
    table["share"] = table["count"] / total
    running = (
        table.groupby(keys, dropna=False)["count"].cumsum() if keys else table["count"].cumsum()
    )
    table["cumulative_share"] = running / total
    return table.drop(columns="bin").reset_index(drop=True)
