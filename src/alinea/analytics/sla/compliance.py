"""Sales-side compliance: how many SLA clocks were kept, by rep, team, region and period.

For one clock (response, attempts or disposition) and one group::

    compliance_rate = met / (met + breached)

Only decided clocks count: a pending or at-risk clock may still be kept, so it is neither a success
nor a failure yet (both are reported beside the rate). A group with no decided clock has a NaN rate.

Groups (:data:`GROUPS`): ``rep`` (the rep of the MQL event), ``team`` (the rep's manager: a sales
team is the reps reporting to one manager), ``region`` (the rep's region), ``lead_region`` and
``segment`` (the lead's). Periods are weeks (starting Monday) or calendar months of the MQL
instant, in UTC, like every other period in alinea. Missing group values (an unassigned MQL has no
rep) form their own group.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from alinea.analytics.sla.business_time import to_utc_ns
from alinea.analytics.sla.clocks import CLOCKS, STATUSES, group_numbers
from alinea.analytics.sla.timeline import DAY_NS

GROUPS: dict[str, str] = {
    "rep": "rep_id",
    "team": "manager_id",
    "region": "rep_region",
    "lead_region": "lead_region",
    "segment": "segment",
}
Every = Literal["week", "month"]


def period_start(instants: pd.Series, every: Every) -> pd.Series:
    """The first day of the UTC week (Monday) or month of each instant, as a naive midnight
    (the way the engines return Ibis dates).

    >>> at = pd.Series(pd.to_datetime(["2025-06-01T23:30:00Z", "2025-06-02T00:10:00Z"]))
    >>> [str(d.date()) for d in period_start(at, "week")]
    ['2025-05-26', '2025-06-02']
    """
    if every not in ("week", "month"):
        raise ValueError(f"periods are 'week' or 'month', not {every!r}")
    # integer days since the epoch, not pandas' time-zone machinery: a few times faster
    ns, missing = to_utc_ns(instants)
    days = ns // DAY_NS
    if every == "week":
        first = days - (days + 3) % 7  # 1 January 1970 was a Thursday
    else:
        first = days.astype("datetime64[D]").astype("datetime64[M]").astype("datetime64[D]")
        first = first.astype(np.int64)
    values = np.where(missing, np.iinfo(np.int64).min, first * DAY_NS).view("datetime64[ns]")
    return pd.Series(values, index=instants.index, name=instants.name)


def group_columns(clocks: pd.DataFrame, by: Sequence[str], every: Every | None) -> pd.DataFrame:
    """The grouping columns named by ``by`` (keys of :data:`GROUPS`), plus ``period_start``."""
    unknown = [g for g in by if g not in GROUPS]
    if unknown:
        raise ValueError(f"unknown SLA groups {unknown}; choose from {list(GROUPS)}")
    keys = pd.DataFrame({GROUPS[g]: clocks[GROUPS[g]] for g in by}, index=clocks.index)
    if every is not None:
        keys["period_start"] = period_start(clocks["mql_at"], every)
    return keys


def _check_clock(clock: str) -> None:
    if clock not in CLOCKS:
        raise ValueError(f"unknown SLA clock {clock!r}; choose from {list(CLOCKS)}")


def compliance(
    clocks: pd.DataFrame,
    *,
    clock: str = "response",
    by: Sequence[str] = (),
    every: Every | None = None,
) -> pd.DataFrame:
    """Counts of each status and the compliance rate of ``clock`` per group and period.

    Columns: the group columns, ``period_start`` (with ``every``), ``mqls``, ``met``,
    ``breached``, ``at_risk``, ``pending``, ``decided`` (met + breached) and ``compliance_rate``.

    >>> clocks = pd.DataFrame({"rep_id": ["a", "a", "b"], "mql_at": pd.Timestamp.now("UTC"),
    ...                        "response_status": ["met", "breached", "pending"]})
    >>> compliance(clocks, by=["rep"])[["rep_id", "decided", "compliance_rate"]].values.tolist()
    [['a', 2, 0.5], ['b', 0, nan]]
    """
    _check_clock(clock)
    keys = group_columns(clocks, by, every)
    status = _status_codes(clocks[f"{clock}_status"])
    if keys.columns.empty or keys.empty:
        counts = pd.DataFrame(
            {name: (status == code).astype(np.int64) for code, name in enumerate(STATUSES)},
            index=clocks.index,
        )
        counts.insert(0, "mqls", 1)
        if keys.columns.empty:
            table = counts.sum().to_frame().T
        else:
            grouped = pd.concat([keys, counts], axis=1).groupby(list(keys.columns), dropna=False)
            table = grouped.sum().reset_index()
    else:
        table = _grouped_counts(keys, status)
    table["decided"] = table["met"] + table["breached"]
    with np.errstate(invalid="ignore", divide="ignore"):
        table["compliance_rate"] = table["met"] / table["decided"].where(table["decided"] > 0)
    return table.reset_index(drop=True)


def _status_codes(status: pd.Series) -> np.ndarray:
    """The position of each status in :data:`STATUSES` (-1 for anything else)."""
    if isinstance(status.dtype, pd.CategoricalDtype) and list(status.cat.categories) == list(
        STATUSES
    ):
        return status.cat.codes.to_numpy()
    return pd.Categorical(status.to_numpy(dtype=object), categories=list(STATUSES)).codes


def _grouped_counts(keys: pd.DataFrame, status: np.ndarray) -> pd.DataFrame:
    """The counts of each status per group of ``keys``, ordered like ``groupby``.

    Rows are counted by group number with ``bincount``; pandas then only groups one row per
    group (its key values as found in the data), so the table has groupby's order, missing-value
    groups and key types, at a fraction of the cost of grouping a million rows."""
    numbers, first = group_numbers([keys[name] for name in keys.columns])
    groups = len(first)
    known = status >= 0
    per_status = np.bincount(
        numbers[known] * len(STATUSES) + status[known], minlength=groups * len(STATUSES)
    ).reshape(groups, len(STATUSES))
    table = keys.iloc[first].reset_index(drop=True)
    table["mqls"] = np.bincount(numbers, minlength=groups)
    for code, name in enumerate(STATUSES):
        table[name] = per_status[:, code]
    return table.groupby(list(keys.columns), dropna=False).sum().reset_index()


def open_clocks(clocks: pd.DataFrame) -> pd.DataFrame:
    """Every clock not done yet, most urgent first: one row per MQL event and open clock.

    Columns: ``lead_id``, ``mql_at``, ``rep_id``, ``current_rep_id``, ``clock``, ``status``
    (breached, at_risk or pending), ``due_at``. Ordered breached, at risk, pending, then by due
    time. The inbox lists them per rep; the alerts worker keys its notifications on
    (``lead_id``, ``mql_at``, ``clock``, ``status``).
    """
    done_column = {"response": "responded_at", "attempts": "kth_attempt_at"}
    done_column["disposition"] = "decided_at"
    parts = []
    for clock in CLOCKS:
        still_open = clocks[done_column[clock]].isna()
        part = clocks.loc[still_open, ["lead_id", "mql_at", "rep_id", "current_rep_id"]].copy()
        part["clock"] = clock
        part["status"] = clocks.loc[still_open, f"{clock}_status"].astype(str)
        part["due_at"] = clocks.loc[still_open, f"{clock}_due_at"]
        parts.append(part)
    frame = pd.concat(parts, ignore_index=True)
    frame["severity"] = frame["status"].map({s: i for i, s in enumerate(STATUSES)})
    frame = frame.sort_values(["severity", "due_at", "lead_id", "clock"], kind="stable")
    return frame.drop(columns="severity").reset_index(drop=True)
