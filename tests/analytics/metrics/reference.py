"""The metric catalog in pandas, written from the formulas in ``docs/metrics/``.

It shares no code with ``alinea.analytics.metrics``: rows are filtered with pandas masks, first
entries come from a ``groupby``, medians from pandas. ``value(frames, name, …)`` answers one metric
for one period as ``{breakdown: (value, count)}``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

FUNNEL = ("lead", "mql", "sql", "opportunity", "customer")
NONE = "(none)"
Frames = Mapping[str, pd.DataFrame]


def midnight(day: dt.date) -> pd.Timestamp:
    return pd.Timestamp(day.isoformat(), tz="UTC")


def inside(column: pd.Series, period: tuple[dt.date, dt.date], now: dt.datetime) -> pd.Series:
    start, end = (midnight(day) for day in period)
    return (column >= start) & (column < end) & (column < pd.Timestamp(now))


# ---------------------------------------------------------------- lead and deal labels


def lead_labels(frames: Frames, dimension: str) -> pd.Series:
    """lead_id → text label of a lead dimension (owner_* through people)."""
    leads = frames["leads"].set_index("lead_id")
    if dimension.startswith("owner_") and dimension != "owner_id":
        column = {"owner_team": "team", "owner_region": "region", "owner_manager_id": "manager_id"}
        people = frames["people"].set_index("person_id")[column[dimension]]
        values = leads.owner_id.map(people)
    else:
        values = leads[dimension]
    return values.where(values.notna(), NONE).astype(str)


def deal_labels(frames: Frames, dimension: str) -> pd.Series:
    """deal_id → text label of a deal dimension (rep_* through people, others through the lead)."""
    deals = frames["deals"].set_index("deal_id")
    rep_columns = {"rep_team": "team", "rep_region": "region", "rep_manager_id": "manager_id"}
    if dimension in ("rep_id", "product", "account"):
        values = deals[dimension]
    elif dimension in rep_columns:
        values = deals.rep_id.map(frames["people"].set_index("person_id")[rep_columns[dimension]])
    else:
        values = deals.lead_id.map(lead_labels(frames, dimension))
    return values.where(values.notna(), NONE).astype(str)


# ---------------------------------------------------------------- per-lead funnel steps


def any_mode_steps(frames: Frames, now: dt.datetime) -> pd.DataFrame:
    """lead_id → the instant it reached each funnel step, skipped stages counting as passed."""
    changes = frames["stage_changes"]
    known = changes[changes.stage.isin(FUNNEL) & (changes.changed_at < pd.Timestamp(now))]
    firsts = known.groupby(["lead_id", "stage"]).changed_at.min().unstack()
    firsts = firsts.reindex(columns=list(FUNNEL))
    reached: dict[str, list[pd.Timestamp | None]] = {}
    for lead, row in firsts.iterrows():
        entered = [None if pd.isna(at) else at for at in row]
        # step k: the earliest first entry into stage k or any later funnel stage
        reached[lead] = [
            min((at for at in entered[k:] if at is not None), default=None)
            for k in range(len(FUNNEL))
        ]
    steps = pd.DataFrame.from_dict(reached, orient="index", columns=list(FUNNEL))
    return steps.apply(lambda column: pd.to_datetime(column, utc=True))


# ---------------------------------------------------------------- rows of one period

Rows = Callable[[Frames, tuple[dt.date, dt.date], dt.datetime, int], pd.DataFrame]


def created_leads(frames, period, now, window) -> pd.DataFrame:
    leads = frames["leads"]
    return leads.loc[inside(leads.created_at, period, now), ["lead_id"]]


def entries(stage: str) -> Rows:
    def rows(frames, period, now, window) -> pd.DataFrame:
        changes = frames["stage_changes"]
        hit = changes[(changes.stage == stage) & inside(changes.changed_at, period, now)]
        return hit[["lead_id"]].drop_duplicates()

    return rows


def cohort(from_stage: str, to_stage: str) -> Rows:
    def rows(frames, period, now, window) -> pd.DataFrame:
        steps = any_mode_steps(frames, now)
        start, end = steps[from_stage], steps[to_stage]
        entered = inside(start, period, now).fillna(False)
        converted = end.notna() & (end <= start + pd.Timedelta(days=window))
        return pd.DataFrame({"lead_id": steps.index[entered], "converted": converted[entered]})

    return rows


def new_customers(frames, period, now, window) -> pd.DataFrame:
    steps = any_mode_steps(frames, now)
    won = inside(steps.customer, period, now).fillna(False)
    days = (steps.customer - steps.lead)[won].dt.total_seconds() / 86400
    return pd.DataFrame({"lead_id": steps.index[won], "days": days.to_numpy()})


def deal_rows(frames, period, now, window) -> pd.DataFrame:
    deals = frames["deals"].copy()
    deals["created"] = inside(deals.created_at, period, now)
    closed = inside(deals.closed_at, period, now)
    deals["won"] = closed & (deals.status == "won")
    deals["lost"] = closed & (deals.status == "lost")
    deals["cycle"] = (deals.closed_at - deals.created_at).dt.total_seconds() / 86400
    return deals[deals.created | deals.won | deals.lost]


# ---------------------------------------------------------------- summaries


def _median(values: pd.Series) -> float:
    return float(values.median()) if len(values) else np.nan


def _win_rate(rows: pd.DataFrame) -> tuple[float, int]:
    won, closed = int(rows.won.sum()), int(rows.won.sum() + rows.lost.sum())
    return (won / closed if closed else np.nan), closed


def _deal_size(rows: pd.DataFrame) -> tuple[float, int]:
    priced = rows[rows.won & rows.amount.notna()]
    return (float(priced.amount.mean()) if len(priced) else np.nan), len(priced)


def _velocity(rows: pd.DataFrame) -> tuple[float, int]:
    created = int(rows.created.sum())
    rate, size = _win_rate(rows)[0], _deal_size(rows)[0]
    cycle = _median(rows.cycle[rows.won])
    if np.isnan(cycle) or cycle <= 0:
        return np.nan, created
    return created * rate * size / cycle, created


SUMMARIES: dict[str, Callable[[pd.DataFrame], tuple[float, int]]] = {
    "count": lambda rows: (float(len(rows)), len(rows)),
    "share": lambda rows: (rows.converted.mean() if len(rows) else np.nan, len(rows)),
    "median_days": lambda rows: (_median(rows.days), len(rows)),
    "pipeline_created": lambda rows: (
        float(rows.amount[rows.created].sum()),
        int(rows.created.sum()),
    ),
    "revenue_won": lambda rows: (float(rows.amount[rows.won].sum()), int(rows.won.sum())),
    "win_rate": _win_rate,
    "average_deal_size": _deal_size,
    "sales_cycle": lambda rows: (_median(rows.cycle[rows.won]), int(rows.won.sum())),
    "pipeline_velocity": _velocity,
}

#: name → (subject, rows, summary, waits for the window)
METRICS: dict[str, tuple[str, Rows, str]] = {
    "leads": ("lead", created_leads, "count"),
    "mqls": ("lead", entries("mql"), "count"),
    "sqls": ("lead", entries("sql"), "count"),
    "opportunities": ("lead", entries("opportunity"), "count"),
    "customers": ("lead", entries("customer"), "count"),
    "lead_to_mql_rate": ("lead", cohort("lead", "mql"), "share"),
    "mql_to_sql_rate": ("lead", cohort("mql", "sql"), "share"),
    "sql_to_opportunity_rate": ("lead", cohort("sql", "opportunity"), "share"),
    "opportunity_to_customer_rate": ("lead", cohort("opportunity", "customer"), "share"),
    "lead_to_customer_days": ("lead", new_customers, "median_days"),
    **{
        name: ("deal", deal_rows, name)
        for name in (
            "pipeline_created",
            "revenue_won",
            "win_rate",
            "average_deal_size",
            "sales_cycle",
            "pipeline_velocity",
        )
    },
}


def value(
    frames: Frames,
    name: str,
    period: tuple[dt.date, dt.date],
    now: dt.datetime,
    *,
    filters: Mapping[str, Sequence[str]] | None = None,
    group_by: str | None = None,
    window: int = 90,
) -> dict[str, tuple[float, int]]:
    """``{breakdown: (value, count)}`` of one metric for one period."""
    subject, rows_of, summary = METRICS[name]
    rows = rows_of(frames, period, now, window)
    key = f"{subject}_id"
    labels = lead_labels if subject == "lead" else deal_labels
    for dimension, allowed in (filters or {}).items():
        rows = rows[rows[key].map(labels(frames, dimension)).isin(list(allowed))]
    if group_by is None:
        return {"(all)": SUMMARIES[summary](rows)}
    groups = rows[key].map(labels(frames, group_by)).fillna(NONE)
    return {label: SUMMARIES[summary](part) for label, part in rows.groupby(groups)}
