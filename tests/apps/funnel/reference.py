"""The funnel's numbers computed again with pandas, from the rows the tests ingest.

Only the documented rules are used ("any" mode, cohort basis, conversion window, top-N bucketing,
stalls with a fixed threshold, linear percentiles); nothing is imported from alinea.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

STAGES = ("lead", "mql", "sql", "opportunity", "customer")
LIFECYCLE = ("subscriber", *STAGES)
EDGES = (0, 1, 2, 3, 7, 14, 30, 60, 90, 180, 365)
DAY = pd.Timedelta(days=1)


def _utc(values: Any) -> pd.Series:
    return pd.to_datetime(values, utc=True)


class Reference:
    """``rows`` as ingested; ``now``, the period [start, end] (days, end included), window."""

    def __init__(
        self,
        rows: dict[str, list[dict[str, Any]]],
        *,
        now: dt.datetime,
        start: dt.date,
        end: dt.date,
        window_days: int,
    ) -> None:
        self.now = pd.Timestamp(now)
        self.start = pd.Timestamp(start, tz="UTC")
        self.end = pd.Timestamp(end, tz="UTC") + DAY
        self.window = pd.Timedelta(days=window_days)
        changes = pd.DataFrame(rows["stage_changes"])
        changes["changed_at"] = _utc(changes["changed_at"])
        self.changes = changes[changes.changed_at < self.now]
        self.leads = pd.DataFrame(rows["leads"])

    def steps(self) -> pd.DataFrame:
        """Per lead of the period: the time it reached each step (NaT if not counted)."""
        known = self.changes[self.changes.stage.isin(STAGES)]
        firsts = known.pivot_table(
            index="lead_id", columns="stage", values="changed_at", aggfunc="min"
        )
        firsts = firsts.reindex(columns=list(STAGES))
        steps = pd.DataFrame(index=firsts.index)
        for k, stage in enumerate(STAGES):
            steps[stage] = firsts[list(STAGES[k:])].min(axis=1)
        late = steps.sub(steps["lead"], axis=0) > self.window
        steps = steps.mask(late)
        in_period = (steps["lead"] >= self.start) & (steps["lead"] < self.end)
        return steps[in_period]

    def counts(self, by: pd.Series | None = None) -> dict[Any, list[int]]:
        """Leads at each step, overall (key None) or per value of ``by`` (indexed by lead)."""
        steps = self.steps()
        if by is None:
            return {None: [int(steps[s].notna().sum()) for s in STAGES]}
        labels = by.reindex(steps.index)
        return {
            value: [int(steps.loc[labels == value, s].notna().sum()) for s in STAGES]
            for value in sorted(labels.unique())
        }

    def channel_labels(self, top_n: int) -> pd.Series:
        """Each lead's channel, "(none)" when missing, "(other)" beyond the top ``top_n``."""
        channels = self.leads.set_index("lead_id")["channel"].fillna("(none)")
        volume = channels.value_counts().reset_index()
        volume.columns = ["value", "leads"]
        kept = volume.sort_values(["leads", "value"], ascending=[False, True]).head(top_n)
        return channels.where(channels.isin(kept["value"]), "(other)")

    def monthly(self) -> dict[dt.date, list[int]]:
        """Leads at each step per cohort month (month of reaching step 1)."""
        steps = self.steps()
        months = steps["lead"].dt.tz_localize(None).dt.to_period("M").dt.start_time.dt.date
        return {
            month: [int(steps.loc[months == month, s].notna().sum()) for s in STAGES]
            for month in sorted(months.unique())
        }

    def days_between(self, first: str, second: str) -> pd.Series:
        steps = self.steps()
        both = steps[steps[first].notna() & steps[second].notna()]
        return (both[second] - both[first]) / DAY

    def histogram(self, first: str, second: str) -> list[int]:
        days = self.days_between(first, second)
        bounds = [*EDGES[1:], float("inf")]
        lowers = EDGES
        return [
            int(((days >= lo) & (days < hi)).sum()) for lo, hi in zip(lowers, bounds, strict=True)
        ]

    def stalled(self, threshold_days: float) -> pd.DataFrame:
        """Leads whose latest change (ties: later lifecycle stage last) is into a watched stage
        and older than the threshold; columns lead_id, stage, age_days."""
        known = self.changes[self.changes.stage.isin(LIFECYCLE)].copy()
        known["position"] = known.stage.map(LIFECYCLE.index)
        latest = known.sort_values(["lead_id", "changed_at", "position"]).groupby("lead_id").tail(1)
        # the hand facts hold no rejected disposition and no lost deal, which would close a lead out
        latest = latest[latest.stage.isin(("mql", "sql", "opportunity"))].copy()
        latest["age_days"] = (self.now - latest.changed_at) / DAY
        stalled = latest[latest.age_days > threshold_days]
        return stalled[["lead_id", "stage", "age_days"]].reset_index(drop=True)
