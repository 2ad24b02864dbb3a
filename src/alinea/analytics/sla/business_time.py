"""Business-time arithmetic on arrays of UTC instants: elapsed time and due times.

Two measures, both following a :class:`BusinessCalendar` (its zone, hours and holidays):

- **business hours**: working time between two instants;
- **business days**: whole working days plus the fraction of the current day's working time
  (see :mod:`alinea.analytics.sla.timeline`); "2 business days after Monday 10:00" on a 09–17
  calendar is Wednesday 10:00, and after a Saturday arrival it is Tuesday 17:00.

A due time is the earliest instant, at or after the start, by which the given amount of business
time has passed: a lead arriving on Saturday with 4 business hours to answer is due Monday 13:00
on a 09–17 calendar.

Every function is vectorised: one ``searchsorted`` per call over the calendar's working pieces,
no Python loop per instant. Missing instants (NaT/None) give NaN / NaT.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from alinea.analytics.sla.calendar import BusinessCalendar
from alinea.analytics.sla.timeline import DAY_NS, NS, WorkingTimeline, build_timeline

HOUR_NS = 3600 * NS
_NAT = np.iinfo(np.int64).min
_NS_MAX = np.iinfo(np.int64).max
_NS_PER_UNIT = {"s": NS, "ms": 1_000_000, "us": 1_000, "ns": 1}
_MAX_YEARS_AHEAD = 20


def to_utc_ns(values: Any) -> tuple[np.ndarray, np.ndarray]:
    """Int64 nanoseconds since the epoch (UTC) and a mask of missing values.

    Accepts timezone-aware pandas objects and datetimes, and numpy ``datetime64`` arrays (read as
    UTC). Naive pandas timestamps and datetimes are refused: which zone would they be in?

    >>> ns, missing = to_utc_ns([dt.datetime(2025, 1, 1, 1, tzinfo=dt.UTC), None])
    >>> int(ns[0]) // NS, missing.tolist()
    (1735693200, [False, True])
    """
    if isinstance(values, np.ndarray) and values.dtype.kind == "M":
        index = pd.DatetimeIndex(values.astype("datetime64[ns]")).tz_localize("UTC")
    else:
        if not isinstance(values, pd.Series | pd.Index):
            values = list(values) if isinstance(values, Iterable) else [values]
            if any(isinstance(v, dt.datetime) and v.tzinfo is None for v in values):
                raise ValueError("naive datetimes: give timezone-aware instants")
            values = pd.to_datetime(pd.Series(values, dtype=object), utc=True)
        index = pd.DatetimeIndex(values)
        if len(index) and index.tz is None:
            raise ValueError("naive timestamps: give timezone-aware instants")
        index = index.tz_localize("UTC") if index.tz is None else index.tz_convert("UTC")
    raw = np.asarray(index.asi8, dtype=np.int64)
    missing = raw == _NAT
    factor = _NS_PER_UNIT[index.unit]
    known = raw[~missing]
    if factor > 1 and len(known) and max(-known.min(), known.max()) > _NS_MAX // factor:
        raw = np.asarray(index.as_unit("ns").asi8)  # out of nanosecond range: raises
    # ×1000 rather than as_unit("ns"), which checks each value at a few times the cost
    return np.where(missing, 0, raw * factor), missing


def from_utc_ns(ns: np.ndarray, missing: np.ndarray | None = None) -> pd.DatetimeIndex:
    """The inverse of :func:`to_utc_ns`: timezone-aware UTC instants (NaT where ``missing``)."""
    values = np.asarray(ns, dtype=np.int64)
    if missing is not None:
        values = np.where(missing, _NAT, values)
    return pd.DatetimeIndex(values.view("datetime64[ns]")).tz_localize("UTC")


def _date(ns: int) -> dt.date:
    return dt.date(1970, 1, 1) + dt.timedelta(days=ns // DAY_NS)


def timeline_covering(calendar: BusinessCalendar, first: int, last: int) -> WorkingTimeline:
    """A timeline valid for every instant from ``first`` to ``last`` (UTC ns), built for whole
    calendar years so that repeated calls share the cache."""
    first_day = dt.date(_date(first - DAY_NS).year, 1, 1)
    last_day = dt.date(_date(last + DAY_NS).year + 1, 1, 1)
    return build_timeline(calendar, first_day, last_day)


def _due(
    calendar: BusinessCalendar,
    start: np.ndarray,
    amount: np.ndarray,
    *,
    days: bool,
) -> np.ndarray:
    """Earliest instants at or after ``start`` with ``amount`` business ns (or days) worked."""
    if not len(start):
        return start.copy()
    low, high = int(start.min()), int(start.max())
    for years in range(_MAX_YEARS_AHEAD + 1):
        line = timeline_covering(calendar, low, high + years * 366 * DAY_NS)
        if len(line.start):
            if days:
                due = line.instant_after_days(start, amount)
            else:
                due = line.instant_at(line.clock(start) + amount)
            if np.all(due < line.valid_until):
                return np.maximum(due, start)
    raise ValueError(
        f"the calendar in {calendar.timezone} has no working time to reach a due time within "
        f"{_MAX_YEARS_AHEAD} years"
    )


def due_after_ns(calendar: BusinessCalendar, start: np.ndarray, amount_ns: Any) -> np.ndarray:
    """Due instants (UTC ns) ``amount_ns`` business nanoseconds after ``start`` (UTC ns)."""
    amount = np.broadcast_to(np.asarray(amount_ns, dtype=np.int64), start.shape)
    return _due(calendar, start, amount, days=False)


def due_after_days(calendar: BusinessCalendar, start: np.ndarray, days: Any) -> np.ndarray:
    """Due instants (UTC ns) ``days`` business days after ``start`` (UTC ns)."""
    amount = np.broadcast_to(np.asarray(days, dtype=np.float64), start.shape)
    return _due(calendar, start, amount, days=True)


def _timeline_for_pairs(
    calendar: BusinessCalendar, start: np.ndarray, end: np.ndarray
) -> WorkingTimeline:
    low = int(min(start.min(), end.min()))
    high = int(max(start.max(), end.max()))
    return timeline_covering(calendar, low, high)


def elapsed_ns(calendar: BusinessCalendar, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Business ns from ``start`` to ``end`` (negative when ``end`` is earlier)."""
    if not len(start):
        return np.zeros(0, dtype=np.int64)
    line = _timeline_for_pairs(calendar, start, end)
    if not len(line.start):
        return np.zeros(len(start), dtype=np.int64)
    return line.clock(end) - line.clock(start)


def elapsed_days(calendar: BusinessCalendar, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Business days from ``start`` to ``end`` (negative when ``end`` is earlier)."""
    if not len(start):
        return np.zeros(0, dtype=np.float64)
    line = _timeline_for_pairs(calendar, start, end)
    if not len(line.start):
        return np.zeros(len(start), dtype=np.float64)
    return line.day_clock(end) - line.day_clock(start)


def elapsed_since(
    calendar: BusinessCalendar, start: np.ndarray, ends: Sequence[np.ndarray]
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Business ns and business days from ``start`` to each array of ``ends`` (negative when
    earlier): :func:`elapsed_ns` and :func:`elapsed_days` at once, placing ``start`` on the
    timeline a single time."""
    if not len(start):
        return [(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)) for _ in ends]
    line = _timeline_for_pairs(calendar, start, np.concatenate([e.ravel() for e in ends]))
    if not len(line.start):
        none = np.zeros(len(start), dtype=np.int64), np.zeros(len(start), dtype=np.float64)
        return [none for _ in ends]
    ns_start, days_start = line.clocks(start)
    out = []
    for end in ends:
        ns_end, days_end = line.clocks(end)
        out.append((ns_end - ns_start, days_end - days_start))
    return out


def business_hours_between(calendar: BusinessCalendar, start: Any, end: Any) -> np.ndarray:
    """Business hours from each ``start`` to the matching ``end`` (NaN where either is missing).

    >>> utc = dt.UTC
    >>> cal = BusinessCalendar.weekdays("America/New_York", "09:00-17:00")
    >>> friday_4pm = dt.datetime(2025, 3, 7, 21, tzinfo=utc)  # 16:00 EST
    >>> monday_10am = dt.datetime(2025, 3, 10, 14, tzinfo=utc)  # 10:00 EDT, after the DST change
    >>> business_hours_between(cal, [friday_4pm], [monday_10am]).tolist()
    [2.0]
    """
    s, s_missing = to_utc_ns(start)
    e, e_missing = to_utc_ns(end)
    hours = elapsed_ns(calendar, s, e) / HOUR_NS
    return np.where(s_missing | e_missing, np.nan, hours)


def business_days_between(calendar: BusinessCalendar, start: Any, end: Any) -> np.ndarray:
    """Business days (fractional) from each ``start`` to the matching ``end``.

    >>> cal = BusinessCalendar.weekdays("Europe/Madrid", "09:00-17:00")
    >>> monday_10 = dt.datetime(2025, 6, 2, 8, tzinfo=dt.UTC)  # 10:00 CEST
    >>> business_days_between(cal, [monday_10], [monday_10 + dt.timedelta(days=2)]).tolist()
    [2.0]
    """
    s, s_missing = to_utc_ns(start)
    e, e_missing = to_utc_ns(end)
    return np.where(s_missing | e_missing, np.nan, elapsed_days(calendar, s, e))


def add_business_hours(calendar: BusinessCalendar, start: Any, hours: Any) -> pd.DatetimeIndex:
    """When ``hours`` business hours after each ``start`` have passed (the due time).

    >>> cal = BusinessCalendar.weekdays("Europe/Madrid", "09:00-13:00", "14:00-18:00")
    >>> saturday_night = dt.datetime(2025, 3, 29, 23, tzinfo=dt.UTC)
    >>> add_business_hours(cal, [saturday_night], 5)[0].isoformat()  # Monday 15:00 CEST
    '2025-03-31T13:00:00+00:00'
    """
    s, missing = to_utc_ns(start)
    amount = np.rint(np.asarray(hours, dtype=np.float64) * HOUR_NS).astype(np.int64)
    return from_utc_ns(due_after_ns(calendar, s, amount), missing)


def add_business_days(calendar: BusinessCalendar, start: Any, days: Any) -> pd.DatetimeIndex:
    """When ``days`` business days after each ``start`` have passed (the due time).

    >>> cal = BusinessCalendar.weekdays("Europe/Madrid", "09:00-17:00", country="ES")
    >>> christmas_eve_10 = dt.datetime(2025, 12, 24, 9, tzinfo=dt.UTC)  # Wednesday 10:00 CET
    >>> add_business_days(cal, [christmas_eve_10], 1)[0].isoformat()  # the 25th is a holiday
    '2025-12-26T09:00:00+00:00'
    """
    s, missing = to_utc_ns(start)
    return from_utc_ns(due_after_days(calendar, s, days), missing)
