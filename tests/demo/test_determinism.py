"""Same leads, seed and as_of: the same facts, every run. Another seed: another company."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pandas as pd
import pytest

from alinea.warehouse import FACT_TABLES

if TYPE_CHECKING:
    from tests.demo.conftest import Builder, Demo


def _sorted(demo: Demo, table: str) -> pd.DataFrame:
    key = list(FACT_TABLES[table].key)
    return demo[table].sort_values(key).reset_index(drop=True)


@pytest.fixture(scope="module")
def twin_builds(builder: Builder) -> tuple[Demo, Demo]:
    return builder(3_000, seed=11), builder(3_000, seed=11)


@pytest.mark.parametrize("table", list(FACT_TABLES))
def test_the_same_seed_gives_identical_facts(twin_builds: tuple[Demo, Demo], table: str) -> None:
    first, second = twin_builds
    assert len(first[table]) > 0
    pd.testing.assert_frame_equal(_sorted(first, table), _sorted(second, table))


def test_another_seed_gives_another_company(
    twin_builds: tuple[Demo, Demo], builder: Builder
) -> None:
    other = builder(3_000, seed=12)
    ours = twin_builds[0]
    assert not ours["leads"]["created_at"].equals(other["leads"]["created_at"])
    assert not ours["leads"]["company"].equals(other["leads"]["company"])
    assert ours["people"]["name"].tolist() != other["people"]["name"].tolist()


def test_the_history_ends_at_as_of(builder: Builder) -> None:
    demo = builder(500, as_of=dt.date(2024, 12, 31))
    assert (demo.summary.first_day, demo.summary.last_day) == (
        dt.date(2023, 10, 1),
        dt.date(2024, 12, 31),
    )
    created = demo["leads"]["created_at"]
    assert created.max() < pd.Timestamp("2025-01-01", tz="UTC")
    assert created.min() >= pd.Timestamp("2023-10-01", tz="UTC")
