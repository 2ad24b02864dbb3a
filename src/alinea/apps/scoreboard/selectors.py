"""What the scoreboard page and API show, read from the analytics core (no metric is computed here).

``today`` is always a parameter: views pass ``timezone.localdate()``, tests pass a fixed day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ibis.backends import BaseBackend

from alinea.analytics.facts import Facts
from alinea.analytics.periods import Period, previous_comparable, quarter_to_date
from alinea.analytics.run import fetch
from alinea.analytics.scoreboard import monthly_trend, scoreboard

#: The scoreboard's metrics in display order, and the teams in display order.
METRICS = ("leads", "mqls", "sqls", "opportunities", "customers", "won_revenue")
TEAMS = ("marketing", "sales")
TREND_MONTHS = 12


@dataclass(frozen=True)
class ScoreboardLine:
    metric: str
    team: str
    current: float
    previous: float

    @property
    def change_pct(self) -> float | None:
        """Relative change from the previous period in percent; ``None`` when it was zero."""
        if self.previous == 0:
            return None
        return (self.current - self.previous) / self.previous * 100


@dataclass(frozen=True)
class Scoreboard:
    today: dt.date
    current: Period
    previous: Period
    lines: tuple[ScoreboardLine, ...]

    def for_team(self, team: str) -> list[ScoreboardLine]:
        return [line for line in self.lines if line.team == team]

    def line(self, metric: str) -> ScoreboardLine:
        return next(line for line in self.lines if line.metric == metric)


@dataclass(frozen=True)
class Trend:
    """Monthly values of each metric; every month of the span is present (0 when no facts)."""

    months: tuple[dt.date, ...]
    values: dict[str, tuple[float, ...]]


def scoreboard_for(*, con: BaseBackend, today: dt.date) -> Scoreboard:
    """Quarter to date (through ``today``) against the same span of the previous quarter."""
    current = quarter_to_date(today)
    previous = previous_comparable(current)
    rows = fetch(scoreboard(Facts.of(con), current=current, previous=previous))
    lines = tuple(
        ScoreboardLine(
            metric=str(row["metric"]),
            team=str(row["team"]),
            current=float(row["current"]),
            previous=float(row["previous"]),
        )
        for row in rows.to_dict("records")
    )
    return Scoreboard(today=today, current=current, previous=previous, lines=lines)


def trend_months(today: dt.date, count: int = TREND_MONTHS) -> tuple[dt.date, ...]:
    """First days of the ``count`` calendar months ending with ``today``'s month, oldest first."""
    index = today.year * 12 + today.month - 1
    return tuple(dt.date(i // 12, i % 12 + 1, 1) for i in range(index - count + 1, index + 1))


def monthly_trend_for(*, con: BaseBackend, today: dt.date, months: int = TREND_MONTHS) -> Trend:
    """Each metric per month over the last ``months`` months, through ``today``."""
    span = trend_months(today, months)
    end = today + dt.timedelta(days=1)
    rows = fetch(monthly_trend(Facts.of(con), start=span[0], end=end))
    found = {
        (_as_date(row["month"]), str(row["metric"])): float(row["value"])
        for row in rows.to_dict("records")
    }
    values = {
        metric: tuple(found.get((month, metric), 0.0) for month in span) for metric in METRICS
    }
    return Trend(months=span, values=values)


def _as_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
