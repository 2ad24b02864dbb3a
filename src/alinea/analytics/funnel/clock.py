"""Reading instants fast on each engine: microseconds since the epoch, and calendar periods.

Funnel arithmetic (windows, days between steps) is done on integer microseconds since
1970-01-01 UTC, which is exact and cheap everywhere. How to get those integers, and how to find the
calendar period of an instant, differs by engine: DuckDB's time-zone-aware arithmetic and
truncation go through its ICU calendar and cost several times more than reading the integer
(``epoch_us``) and truncating a plain timestamp. ``CLOCKS`` holds the engine-specific ways; every
other engine uses the portable Ibis expressions of ``PORTABLE``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import ibis
import ibis.expr.datatypes as dtypes
import ibis.expr.types as ir

from alinea.analytics.facts import Facts

MICROS_PER_DAY = 86_400_000_000
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_UTC_TIMESTAMP = dtypes.Timestamp(timezone="UTC", scale=6)


@dataclass(frozen=True)
class Clock:
    """How one engine turns an instant into microseconds, and into the first day of its period.

    ``period_start(instant, micros, unit)`` gets both forms of the same instant and uses the
    cheaper one; ``unit`` is an Ibis truncation unit (``"W"``, ``"M"``, ``"Q"``).
    """

    micros: Callable[[ir.TimestampValue], ir.IntegerValue]
    period_start: Callable[[ir.TimestampValue, ir.IntegerValue, str], ir.DateValue]


@ibis.udf.scalar.builtin(name="epoch_us")
def _duckdb_epoch_us(instant: _UTC_TIMESTAMP) -> dtypes.int64:  # type: ignore[valid-type]
    """DuckDB's microseconds since the epoch of a TIMESTAMPTZ (no calendar involved)."""


def _portable_micros(instant: ir.TimestampValue) -> ir.IntegerValue:
    return (instant.epoch_seconds() * 1_000_000).round().cast("int64")


def _portable_period(
    instant: ir.TimestampValue, micros: ir.IntegerValue, unit: str
) -> ir.DateValue:
    return instant.truncate(unit).date()


def _duckdb_period(instant: ir.TimestampValue, micros: ir.IntegerValue, unit: str) -> ir.DateValue:
    # epoch_ms(BIGINT) is a plain (UTC) TIMESTAMP, which truncates without the ICU calendar
    return (micros // 1000).as_timestamp("ms").truncate(unit).date()


PORTABLE = Clock(micros=_portable_micros, period_start=_portable_period)

CLOCKS: dict[str, Clock] = {
    "duckdb": Clock(micros=_duckdb_epoch_us, period_start=_duckdb_period),
}


def clock_of(facts: Facts) -> Clock:
    """The clock of the engine the facts live on."""
    return CLOCKS.get(ibis.get_backend(facts.stage_changes).name, PORTABLE)


def instant(now: dt.datetime) -> ir.TimestampScalar:
    """``now`` as a UTC timestamp literal; naive datetimes are refused (time is explicit)."""
    _check_aware(now)
    return ibis.literal(now.astimezone(dt.UTC), type=_UTC_TIMESTAMP)


def micros_at(moment: dt.datetime | dt.date) -> int:
    """Microseconds since the epoch of an aware datetime, or of midnight UTC of a day.

    >>> micros_at(dt.date(1970, 1, 2))
    86400000000
    """
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime.combine(moment, dt.time(), dt.UTC)
    _check_aware(moment)
    return (moment - _EPOCH) // dt.timedelta(microseconds=1)


def days_from_micros(start: ir.IntegerValue, end: ir.IntegerValue) -> ir.FloatingValue:
    """``end − start`` (both in microseconds) in days, as a float."""
    return (end - start).cast("float64") / MICROS_PER_DAY


def _check_aware(moment: dt.datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"instants must be timezone-aware (UTC), got {moment!r}")
