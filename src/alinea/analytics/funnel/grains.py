"""Period grains for cohorts and trends: week (ISO, from Monday), month and quarter, in UTC.

Each grain names an Ibis truncation unit (applied in the engine through the engine's ``Clock``;
``period`` is the first day of the period) and truncates a Python day the same way, so maturity
can be decided from ``now`` without running anything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from alinea.analytics.periods import quarter_start


@dataclass(frozen=True)
class Grain:
    """A calendar grain: ``unit`` for Ibis ``truncate``, ``start_of`` for Python days."""

    name: str
    unit: str
    start_of: Callable[[dt.date], dt.date]


def _week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


GRAINS: dict[str, Grain] = {
    "week": Grain("week", "W", _week_start),
    "month": Grain("month", "M", _month_start),
    "quarter": Grain("quarter", "Q", quarter_start),
}


def periods_ended_by(grain: Grain, moment: dt.datetime) -> dt.date:
    """Periods starting before the returned day have ended at ``moment``.

    A period ``[s, e)`` has ended when midnight UTC of ``e`` is at or before ``moment``; since
    ``e`` is the next period boundary after ``s``, that is ``s < start_of(moment's day)``.

    >>> periods_ended_by(GRAINS["month"], dt.datetime(2025, 5, 14, 9, tzinfo=dt.UTC))
    datetime.date(2025, 5, 1)
    """
    return grain.start_of(moment.astimezone(dt.UTC).date())
