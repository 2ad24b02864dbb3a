"""The measured inputs of the alignment plan: stage rates, cycle times and average deal size.

Rates and deal numbers come from the metric catalog over a look-back period; the days between
lead, MQL, SQL and opportunity are the median conversion times of the leads that reached the
later stage in that period (``alinea.analytics.funnel.timing``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import ibis
from ibis import _

from alinea.analytics.facts import Facts
from alinea.analytics.funnel.spec import FunnelSpec
from alinea.analytics.funnel.timing import conversion_times
from alinea.analytics.metrics import MetricQuery, metric_value
from alinea.analytics.periods import Period
from alinea.analytics.planning import CycleDays, FunnelRates
from alinea.analytics.run import fetch

RATE_METRICS: dict[str, str] = {
    "lead_to_mql": "lead_to_mql_rate",
    "mql_to_sql": "mql_to_sql_rate",
    "sql_to_opportunity": "sql_to_opportunity_rate",
    "win_rate": "win_rate",
}
STEP_TIMES: dict[str, tuple[str, str]] = {
    "lead_to_mql": ("lead", "mql"),
    "mql_to_sql": ("mql", "sql"),
    "sql_to_opportunity": ("sql", "opportunity"),
}


@dataclass(frozen=True)
class MeasuredFunnel:
    """What the facts say over ``period``; a value is ``None`` when the facts cannot tell."""

    period: Period
    values: dict[str, float | None]

    def missing(self) -> list[str]:
        return [name for name, value in self.values.items() if value is None or value <= 0]

    def rates(self) -> FunnelRates:
        self._check()
        return FunnelRates(**{name: self._get(name) for name in RATE_METRICS})

    def cycle_days(self) -> CycleDays:
        self._check()
        days = {name: self._get(f"{name}_days") for name in STEP_TIMES}
        return CycleDays(**days, opportunity_to_close=self._get("opportunity_to_close_days"))

    @property
    def average_deal_size(self) -> float | None:
        return self.values.get("average_deal_size")

    def _get(self, name: str) -> float:
        value = self.values[name]
        assert value is not None
        return value

    def _check(self) -> None:
        if self.missing():
            raise ValueError(
                f"cannot plan from {self.period.start} to {self.period.last_day}: no measured "
                f"{', '.join(self.missing())}"
            )


def measure_funnel(
    facts: Facts, period: Period, *, now: dt.datetime, window_days: int = 90
) -> MeasuredFunnel:
    """Rates, cycle times and average deal size over ``period`` (two queries)."""
    query = MetricQuery(period=period, now=now, window_days=window_days)
    metrics = {**RATE_METRICS, "average_deal_size": "average_deal_size"}
    metrics["opportunity_to_close_days"] = "sales_cycle"
    parts = [
        metric_value(facts, name, query).select("value", key=ibis.literal(key))
        for key, name in metrics.items()
    ]
    for key, (start, end) in STEP_TIMES.items():
        spec = FunnelSpec(stages=(start, end), basis="event", grain=None, period=period)
        times = conversion_times(facts, spec, now, from_stage=start, to_stage=end)
        parts.append(times.select(value=times.median_days, key=ibis.literal(f"{key}_days")))
    rows = fetch(ibis.union(*parts)).to_dict("records")
    values: dict[str, float | None] = dict.fromkeys([*metrics, *(f"{k}_days" for k in STEP_TIMES)])
    for row in rows:
        value = row["value"]
        values[str(row["key"])] = None if value is None or value != value else float(value)
    return MeasuredFunnel(period, values)


@dataclass(frozen=True)
class Capacity:
    """Sales capacity as the assignments show it: ``reps`` who were assigned leads in the period,
    and ``per_rep_per_week``, the median over those reps of their busiest week (distinct leads
    assigned in one seven-day week) — what a rep has shown they can work."""

    reps: int
    per_rep_per_week: float | None


def measure_capacity(facts: Facts, period: Period, *, now: dt.datetime) -> Capacity:
    """Reps and the leads each can work a week, from the assignments in ``period`` before ``now``.

    Weeks are counted from ``period.start`` (days 0–6 are week 0, and so on).
    """
    assigned = facts.assignments
    start = ibis.timestamp(dt.datetime.combine(period.start, dt.time(), dt.UTC))
    end = ibis.timestamp(dt.datetime.combine(period.end, dt.time(), dt.UTC))
    rows = assigned.filter(
        (assigned.assigned_at >= start)
        & (assigned.assigned_at < end)
        & (assigned.assigned_at < ibis.timestamp(now))
    )
    week = (rows.assigned_at.epoch_seconds() - start.epoch_seconds()) // (7 * 86_400)
    weekly = rows.mutate(week=week).group_by(["rep_id", "week"]).aggregate(n=_.lead_id.nunique())
    peaks = weekly.group_by("rep_id").aggregate(peak=_.n.max())
    found = fetch(peaks.aggregate(reps=_.count(), per_rep=_.peak.median())).to_dict("records")
    reps = int(found[0]["reps"]) if found else 0
    per_rep = found[0]["per_rep"] if found and reps else None
    return Capacity(reps, None if per_rep is None else float(per_rep))
