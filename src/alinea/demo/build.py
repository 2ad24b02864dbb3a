"""Build the demo company into a warehouse, chunk by chunk, through validated ingestion."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd
from ibis.backends import BaseBackend

from alinea.demo.chunk import simulate_chunk
from alinea.demo.company import found_company
from alinea.demo.facts import chunk_facts
from alinea.demo.people import people_frame
from alinea.demo.spend import spend_frame
from alinea.demo.timeline import Window
from alinea.warehouse import ingest_many

#: Leads per chunk. Part of the recipe: the same (leads, seed, as_of) always gives the same facts.
CHUNK_LEADS = 100_000


@dataclass(frozen=True)
class DemoSummary:
    """What ``build_demo`` wrote: rows per fact table, the days covered, the seed and lead count."""

    rows: dict[str, int]
    first_day: dt.date
    last_day: dt.date
    seed: int
    leads: int

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def fact_batches(
    *, leads: int, seed: int, as_of: dt.date
) -> tuple[Window, Iterator[tuple[int, dict[str, pd.DataFrame]]]]:
    """The history window, and the facts chunk by chunk: (leads in the chunk, frames per table).

    People and spend come with the first chunk. Frames are generated lazily, one chunk at a time.
    """
    if leads < 1:
        raise ValueError(f"leads must be at least 1, not {leads}")
    if seed < 0:
        raise ValueError(f"seed must not be negative, not {seed}")
    starts = range(0, leads, CHUNK_LEADS)
    company_seed, *chunk_seeds = np.random.SeedSequence(seed).spawn(1 + len(starts))
    rng = np.random.default_rng(company_seed)
    company = found_company(leads, seed, as_of, rng)

    def batches() -> Iterator[tuple[int, dict[str, pd.DataFrame]]]:
        for first, chunk_seed in zip(starts, chunk_seeds, strict=True):
            count = min(CHUNK_LEADS, leads - first)
            history = simulate_chunk(company, first, count, np.random.default_rng(chunk_seed))
            frames = chunk_facts(company, history)
            del history
            if first == 0:
                frames["people"] = people_frame(company.staff, company.window, rng)
                frames["spend"] = spend_frame(company.plan, company.window, rng)
            yield count, frames
            del frames

    return company.window, batches()


def build_demo(
    con: BaseBackend,
    *,
    leads: int = 20_000,
    seed: int = 7,
    as_of: dt.date,
    progress: Callable[[int], None] | None = None,
) -> DemoSummary:
    """Generate the demo company's facts for the 15 months ending at ``as_of`` into ``con``.

    Each chunk of leads is written with one ``ingest_many`` call, so a chunk lands whole or not at
    all; ``progress(n)`` is called after each chunk with the number of leads just written. The
    same ``leads``, ``seed`` and ``as_of`` always give the same facts (and re-running adds none).

    >>> from alinea.warehouse import connect
    >>> summary = build_demo(connect("duckdb://"), leads=500, as_of=dt.date(2025, 6, 30))
    >>> summary.rows["leads"], summary.first_day
    (500, datetime.date(2024, 4, 1))
    """
    window, batches = fact_batches(leads=leads, seed=seed, as_of=as_of)
    written: Counter[str] = Counter()
    for count, frames in batches:
        results = ingest_many(con, frames)
        del frames
        for name, result in results.items():
            written[name] += result.received
        if progress is not None:
            progress(count)
    return DemoSummary(
        rows=dict(written),
        first_day=window.first_day,
        last_day=window.last_day,
        seed=seed,
        leads=leads,
    )
