"""The facts the funnel reads, with answers cached until the warehouse changes.

Facts only change when something is ingested (or a batch is rolled back), and both change the
number of rows of some fact table. So an answer is cached under the question (a frozen parameter
object), the warehouse's address and the row count of every fact table; one cheap query per request
reads those counts. Expressions still run only through ``alinea.analytics.run``.
"""

from __future__ import annotations

import hashlib
import threading
import weakref
from collections.abc import Callable, Hashable
from functools import cached_property
from typing import TypeVar, cast

import ibis
import ibis.expr.types as ir
import pandas as pd
from django.core.cache import cache
from ibis.backends import BaseBackend

from alinea.analytics.facts import Facts
from alinea.analytics.run import fetch

CACHE_SECONDS = 60 * 60
_PREFIX = "alinea.funnel"
_MISSING = object()
T = TypeVar("T")


class FactSource:
    """One warehouse connection: its ``facts`` and ``fetch`` with a cache in front."""

    def __init__(self, con: BaseBackend, address: str) -> None:
        self.con = con
        self.address = address
        self.facts, self._counts = _opened(con)

    @cached_property
    def version(self) -> tuple[int, ...]:
        """The row count of every fact table, read in one query."""
        frame = fetch(self._counts).sort_values("position")
        return tuple(int(rows) for rows in frame["rows"])

    def fetch(self, key: Hashable, build: Callable[[], ir.Table]) -> pd.DataFrame:
        """The rows of ``build()``, from the cache when this question was answered on the same
        facts before. ``key`` must identify the question completely (e.g. a frozen dataclass)."""
        name = self._cache_name(key)
        found = cache.get(name)
        if isinstance(found, pd.DataFrame):
            return found
        rows = fetch(build())
        cache.set(name, rows, CACHE_SECONDS)
        return rows

    def remember(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()`` (any picklable value derived from these facts), cached like ``fetch``."""
        name = self._cache_name(("remember", key))
        found = cache.get(name, _MISSING)
        if found is not _MISSING:
            return cast(T, found)
        value = compute()
        cache.set(name, value, CACHE_SECONDS)
        return value

    def _cache_name(self, key: Hashable) -> str:
        text = repr((self.address, self.version, key))
        return f"{_PREFIX}:{hashlib.sha256(text.encode()).hexdigest()}"


#: Per open connection: its fact tables and the query counting their rows. Building them reads
#: every table's schema, which is worth doing once per connection rather than once per request.
#: Keyed by identity (backends compare equal when they point at the same database), and the entry
#: checks that it still belongs to this very connection object.
_OPENED: dict[int, tuple[weakref.ref[BaseBackend], Facts, ir.Table]] = {}
_OPENING = threading.Lock()


def _opened(con: BaseBackend) -> tuple[Facts, ir.Table]:
    found = _OPENED.get(id(con))
    if found is not None and found[0]() is con:
        return found[1], found[2]
    facts = Facts.of(con)
    counts = [
        table.aggregate(rows=ibis._.count()).mutate(position=index)
        for index, table in enumerate(facts.tables().values())
    ]
    counted = ibis.union(*counts)
    with _OPENING:
        for key in [k for k, (ref, _, _) in _OPENED.items() if ref() is None]:
            del _OPENED[key]
        _OPENED[id(con)] = (weakref.ref(con), facts, counted)
    return facts, counted
