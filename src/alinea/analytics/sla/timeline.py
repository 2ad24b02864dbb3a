"""A calendar's working time over a range of days, as sorted UTC pieces with running totals.

Building a timeline is the only step that looks at days one by one (the local dates of the range,
the time-zone offsets, the holidays); everything asked of it afterwards is a ``searchsorted`` over
a few thousand pieces, so a million instants cost a few vectorised passes.

How local opening hours become UTC pieces, exactly, including daylight-saving changes: the zone's
UTC offset is constant between transitions ("regimes"). Within a regime with offset ``o`` the local
wall clock reads ``u + o`` at UTC instant ``u``, so a local interval ``[a, b)`` is worked at the
UTC instants ``[a - o, b - o)`` that fall inside the regime. Intersecting every local interval with
every regime gives all worked UTC instants: a skipped hour yields nothing, a repeated hour yields
two pieces.

Two clocks are indexed, both continuous and non-decreasing in UTC time:

- the **hours clock**: business nanoseconds worked since the timeline starts (exact integers);
- the **days clock**: ``k + f`` in the ``k``-th business day after ``f`` of that day's working
  time has passed (so "one business day after Monday 10:00" is Tuesday 10:00 on a 09–17 calendar,
  and the end of one business day is the start of the next).

Times are int64 nanoseconds since the Unix epoch, UTC.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import numpy as np

from alinea.analytics.sla.calendar import BusinessCalendar

NS = 1_000_000_000
DAY_NS = 86_400 * NS
#: Business day ordinals are shifted past any day's ns (2**47 > DAY_NS) to sort (day, ns) pairs
#: as one int64; that holds for timelines of up to 2**16 business days (about 180 years).
_DAY_SHIFT = 47
_EPOCH = dt.date(1970, 1, 1)


def day_ns(day: dt.date) -> int:
    """UTC midnight of ``day`` in nanoseconds since the epoch."""
    return (day - _EPOCH).days * DAY_NS


def _offset_seconds(zone: ZoneInfo, utc_seconds: int) -> int:
    offset = dt.datetime.fromtimestamp(utc_seconds, zone).utcoffset()
    assert offset is not None
    return int(offset.total_seconds())


def _transition(zone: ZoneInfo, low: int, high: int, before: int) -> int:
    """The first UTC second in ``(low, high]`` whose offset is no longer ``before``."""
    while high - low > 1:
        middle = (low + high) // 2
        if _offset_seconds(zone, middle) == before:
            low = middle
        else:
            high = middle
    return high


def zone_regimes(zone: ZoneInfo, first: dt.date, last: dt.date) -> tuple[np.ndarray, np.ndarray]:
    """UTC starts and offsets (ns) of the constant-offset spans from ``first`` to ``last``.

    The offset is sampled at every UTC midnight and each change is located to the second; zones
    change offset at most once a day (true of every zone in the tz database since 1970).
    """
    day = 86_400
    samples = range(day_ns(first) // NS, day_ns(last) // NS + 2 * day, day)
    offsets = [_offset_seconds(zone, s) for s in samples]
    starts, values = [samples[0]], [offsets[0]]
    for i in range(1, len(samples)):
        if offsets[i] != offsets[i - 1]:
            starts.append(_transition(zone, samples[i - 1], samples[i], offsets[i - 1]))
            values.append(offsets[i])
    return np.array(starts, dtype=np.int64) * NS, np.array(values, dtype=np.int64) * NS


def _local_intervals(
    calendar: BusinessCalendar, first: dt.date, last: dt.date
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Working local intervals of each open date as (start, end, date index), in local ns."""
    days = np.arange(np.datetime64(first, "D"), np.datetime64(last, "D") + 1)
    closed = np.array(sorted(calendar.closed_dates(first.year, last.year)), dtype="datetime64[D]")
    is_open = ~np.isin(days, closed)
    weekday = (days.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday
    starts, ends, indexes = [], [], []
    for number, hours in enumerate(calendar.week):
        chosen = np.flatnonzero(is_open & (weekday == number))
        midnight = days[chosen].astype(np.int64) * DAY_NS
        for opening in hours:
            starts.append(midnight + opening.start_seconds * NS)
            ends.append(midnight + opening.end_seconds * NS)
            indexes.append(chosen)
    if not starts:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, empty
    return np.concatenate(starts), np.concatenate(ends), np.concatenate(indexes)


def _utc_pieces(
    local_start: np.ndarray,
    local_end: np.ndarray,
    date_index: np.ndarray,
    regimes: tuple[np.ndarray, np.ndarray],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Intersect every local interval with every offset regime; sorted by UTC start."""
    regime_start, offset = regimes
    regime_end = np.r_[regime_start[1:], np.iinfo(np.int64).max]
    starts, ends, dates = [], [], []
    for r_start, r_end, r_offset in zip(regime_start, regime_end, offset, strict=True):
        lo = np.maximum(local_start - r_offset, r_start)
        hi = np.minimum(local_end - r_offset, r_end)
        keep = hi > lo
        starts.append(lo[keep])
        ends.append(hi[keep])
        dates.append(date_index[keep])
    start, end, date = np.concatenate(starts), np.concatenate(ends), np.concatenate(dates)
    order = np.argsort(start, kind="stable")
    return start[order], end[order], date[order]


@dataclass(frozen=True, eq=False)
class WorkingTimeline:
    """The working time of ``calendar`` on the local dates ``first_day`` to ``last_day``.

    Answers are exact for instants from ``valid_from`` (included) to ``valid_until`` (excluded).
    """

    calendar: BusinessCalendar
    first_day: dt.date
    last_day: dt.date
    start: np.ndarray  # UTC ns, sorted, non-overlapping
    length: np.ndarray  # ns of each piece
    before: np.ndarray  # business ns of all earlier pieces
    day: np.ndarray  # business-day ordinal of each piece
    into_day: np.ndarray  # business ns of the same day before the piece
    day_length: np.ndarray  # business ns of the piece's day

    @property
    def valid_from(self) -> int:
        return day_ns(self.first_day) + DAY_NS  # every UTC offset is under a day

    @property
    def valid_until(self) -> int:
        return day_ns(self.last_day)

    @property
    def total(self) -> int:
        """Business ns in the whole timeline."""
        return int(self.before[-1] + self.length[-1]) if len(self.start) else 0

    @functools.cached_property
    def _length_of_day(self) -> np.ndarray:
        """Business ns of each business day, by ordinal (a lookup instead of a search)."""
        first_of_day = np.searchsorted(self.day, np.arange(int(self.day[-1]) + 1))
        return self.day_length[first_of_day]

    def _piece(self, instants: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Index of the last piece starting at or before each instant (clipped to 0) and the
        worked ns of that piece up to the instant."""
        index = np.searchsorted(self.start, instants, side="right") - 1
        found = np.maximum(index, 0)
        worked = np.clip(instants - self.start[found], 0, self.length[found])
        return found, np.where(index >= 0, worked, 0)

    def clocks(self, instants: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`clock` and :meth:`day_clock` of the same instants, with one search."""
        piece, worked = self._piece(instants)
        days = self.day[piece] + (self.into_day[piece] + worked) / self.day_length[piece]
        return self.before[piece] + worked, days

    def clock(self, instants: np.ndarray) -> np.ndarray:
        """Business ns worked from the start of the timeline to each instant."""
        piece, worked = self._piece(instants)
        return self.before[piece] + worked

    def instant_at(self, clock: np.ndarray) -> np.ndarray:
        """The earliest instant at which the hours clock reads ``clock`` (``valid_until`` when it
        never does within the timeline)."""
        after = self.before + self.length
        piece = np.searchsorted(after, clock, side="left")
        beyond = piece >= len(after)
        piece = np.minimum(piece, len(after) - 1)
        instant = self.start[piece] + (clock - self.before[piece])
        return np.where(beyond, self.valid_until, instant)

    def day_clock(self, instants: np.ndarray) -> np.ndarray:
        """Business days (fractional) from the start of the timeline to each instant."""
        piece, worked = self._piece(instants)
        return self.day[piece] + (self.into_day[piece] + worked) / self.day_length[piece]

    def instant_after_days(self, instants: np.ndarray, days: np.ndarray) -> np.ndarray:
        """The earliest instant (to the microsecond) at which ``days`` business days have passed
        since each instant (``valid_until`` when that is beyond the timeline).

        Unlike ``instant_at_day(day_clock(instants) + days)``, the position is split into a whole
        business day and a fraction of it before any rounding, so the answer does not depend on
        how far into the timeline the instants lie (floats of hundreds of days lose nanoseconds).
        """
        piece, worked = self._piece(instants)
        reached = (self.into_day[piece] + worked) / self.day_length[piece] + days
        whole = np.floor(reached)
        target = self.day[piece] + whole.astype(np.int64)
        return self._instant_in_day(target, reached - whole)

    def _instant_in_day(self, target: np.ndarray, fraction: np.ndarray) -> np.ndarray:
        """The earliest instant at which business day ``target`` is ``fraction`` worked; a
        fraction of 0 is reached at the end of the previous business day."""
        days = int(self.day[-1]) + 1
        length = self._length_of_day[np.clip(target, 0, days - 1)]
        offset = np.ceil(np.round(fraction * length / 1_000, 3)).astype(np.int64) * 1_000
        previous = (offset == 0) & (target > 0)
        target = np.where(previous, target - 1, target)
        last_length = self._length_of_day[np.clip(target, 0, days - 1)]
        offset = np.where(previous, last_length, offset)
        # pieces ordered by (business day, ns of the day worked at the piece's end), as one int64
        key = (self.day << _DAY_SHIFT) + self.into_day + self.length
        piece = np.searchsorted(key, (target << _DAY_SHIFT) + offset, side="left")
        beyond = (target >= days) | (piece >= len(key))
        piece = np.minimum(piece, len(key) - 1)
        into = np.clip(offset - self.into_day[piece], 0, self.length[piece])
        return np.where(beyond, self.valid_until, self.start[piece] + into)

    def instant_at_day(self, position: np.ndarray) -> np.ndarray:
        """The earliest instant (to the microsecond) at which the days clock reads ``position``
        (``valid_until`` when it never does within the timeline)."""
        day_end = self.day + (self.into_day + self.length) / self.day_length
        piece = np.searchsorted(day_end, position, side="left")
        beyond = piece >= len(day_end)
        piece = np.minimum(piece, len(day_end) - 1)
        into = (position - self.day[piece]) * self.day_length[piece] - self.into_day[piece]
        micros = np.ceil(np.round(into / 1_000, 3)).astype(np.int64) * 1_000
        instant = self.start[piece] + np.clip(micros, 0, self.length[piece])
        return np.where(beyond, self.valid_until, instant)


def _day_index(start: np.ndarray, length: np.ndarray, date: np.ndarray) -> dict[str, np.ndarray]:
    new_day = np.r_[True, date[1:] != date[:-1]] if len(date) else np.empty(0, dtype=bool)
    day = np.cumsum(new_day) - 1
    before = np.cumsum(length) - length
    first_of_day = np.flatnonzero(new_day)
    return {
        "before": before,
        "day": day,
        "into_day": before - before[first_of_day][day],
        "day_length": np.add.reduceat(length, first_of_day)[day] if len(date) else length,
    }


@functools.lru_cache(maxsize=256)
def build_timeline(
    calendar: BusinessCalendar, first_day: dt.date, last_day: dt.date
) -> WorkingTimeline:
    """The working timeline of ``calendar`` on local dates ``first_day`` to ``last_day``.

    >>> calendar = BusinessCalendar.weekdays("Europe/Madrid", "09:00-17:00")
    >>> line = build_timeline(calendar, dt.date(2025, 3, 24), dt.date(2025, 4, 6))
    >>> len(line.start), line.total // (3600 * NS)  # two weeks of 5 × 8 hours
    (10, 80)
    """
    local_start, local_end, date_index = _local_intervals(calendar, first_day, last_day)
    regimes = zone_regimes(calendar.zone, first_day - dt.timedelta(days=2), last_day)
    start, end, date = _utc_pieces(local_start, local_end, date_index, regimes)
    if np.any(np.diff(date) < 0):
        raise ValueError(
            f"time zone {calendar.timezone}: a daylight-saving change moves the wall clock back "
            "across midnight into working hours; such zones are not supported"
        )
    if np.any(start[1:] < end[:-1]):
        raise AssertionError("working pieces overlap")  # local intervals are disjoint
    length = end - start
    return WorkingTimeline(
        calendar, first_day, last_day, start, length, **_day_index(start, length, date)
    )
