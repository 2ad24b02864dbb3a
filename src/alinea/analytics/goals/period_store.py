"""Keep the metric's value of past periods between evaluations.

A period is *mature* once facts after ``now`` can no longer change its value; with the same facts
(the same ``data_version``) a mature period's value never changes, whatever ``now`` is. So the
weeks and quarters before a goal's period are measured once and read back afterwards; only the
periods still open are measured again. The store is anything with ``get_many``/``set_many``
(Django's cache in the web app, a dict-backed store in tests).

>>> store = DictStore()
>>> store.set_many({"a": 1})
>>> store.get_many(["a", "b"])
{'a': 1}
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

from alinea.analytics.facts import Facts
from alinea.analytics.goals.series import PeriodValue, measure_periods
from alinea.analytics.metrics.query import Filters
from alinea.analytics.periods import Period


class PeriodStore(Protocol):
    def get_many(self, keys: Iterable[str]) -> dict[str, Any]: ...

    def set_many(self, data: dict[str, Any]) -> Any: ...


class DictStore:
    """A ``PeriodStore`` in a dict (tests, scripts)."""

    def __init__(self) -> None:
        self.data: dict[str, Any] = {}

    def get_many(self, keys: Iterable[str]) -> dict[str, Any]:
        return {key: self.data[key] for key in keys if key in self.data}

    def set_many(self, data: Mapping[str, Any]) -> None:
        self.data.update(data)


def period_key(
    metric: str, period: Period, *, filters: Filters, window_days: int, version: str
) -> str:
    """The store key of one metric value: metric, segment, window, period and facts version."""
    text = f"{metric}|{filters!r}|{window_days}|{period.start}|{period.end}|{version}"
    return "goals:period:" + hashlib.sha256(text.encode()).hexdigest()


def measure_periods_kept(
    facts: Facts,
    metric: str,
    periods: Sequence[Period],
    *,
    now: dt.datetime,
    filters: Filters,
    window_days: int,
    store: PeriodStore,
    version: str,
) -> list[PeriodValue]:
    """``measure_periods``, reading mature periods from ``store`` and keeping new mature ones."""
    keys = [
        period_key(metric, p, filters=filters, window_days=window_days, version=version)
        for p in periods
    ]
    kept = store.get_many(keys)
    missing = [i for i, key in enumerate(keys) if not isinstance(kept.get(key), PeriodValue)]
    measured = measure_periods(
        facts, metric, [periods[i] for i in missing], now=now, filters=filters,
        window_days=window_days,
    )  # fmt: skip
    found: dict[int, PeriodValue] = {i: kept[keys[i]] for i in range(len(keys)) if i not in missing}
    found.update(zip(missing, measured, strict=True))
    new = {keys[i]: found[i] for i in missing if found[i].mature}
    if new:
        store.set_many(new)
    return [found[i] for i in range(len(periods))]
