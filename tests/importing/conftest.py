"""Helpers for the importer tests: write source files, a small mapping, read facts back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from ibis.backends import BaseBackend

from alinea.importing import FileMapping, Mapping
from alinea.importing.mapping import column, constant, one_of, output, present


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``folder/name`` in ``encoding`` (``utf-8-sig`` adds the BOM)."""
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def facts(con: BaseBackend, table: str, order: str | list[str]) -> list[dict[str, Any]]:
    """Stored facts of ``table`` as plain dicts, without the batch column, in ``order``."""
    frame = con.table(table).order_by(order).to_pandas().drop(columns=["batch_id"])
    return [{k: _plain(v) for k, v in r.items()} for r in frame.to_dict("records")]


def _plain(value: Any) -> Any:
    """NULLs as ``None`` (pandas gives NaN and NaT), timestamps as ``datetime``."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


def count(con: BaseBackend, table: str) -> int:
    return int(con.table(table).count().execute())


#: Leads with a rename, a value map and a number; times carry their zone or the mapping's.
LEADS = Mapping(
    name="test-leads",
    timezone="UTC",
    files=(
        FileMapping(
            "*",
            (
                output(
                    "leads",
                    lead_id=column("Id"),
                    created_at=column("Created"),
                    source=column("Source"),
                    channel=column("Source", values={"Google": "paid_search", "Web": "direct"}),
                    company=column("Company"),
                    company_size=column("Employees"),
                ),
            ),
        ),
    ),
)

#: One row per opportunity as it stands (a snapshot): a deal plus the stage changes it implies.
OPPORTUNITIES = Mapping(
    name="test-opportunities",
    timezone="UTC",
    files=(
        FileMapping(
            "*",
            (
                output(
                    "deals",
                    deal_id=column("Opp"),
                    lead_id=column("Opp"),
                    created_at=column("Engaged"),
                    closed_at=column("Closed"),
                    status=column("Stage", values={"Won": "won", "Lost": "lost", "Open": "open"}),
                    amount=column("Value"),
                    currency=constant("EUR"),
                ),
                output(
                    "stage_changes",
                    "opportunity when engaged",
                    when=(present("Engaged"),),
                    lead_id=column("Opp"),
                    stage=constant("opportunity"),
                    changed_at=column("Engaged"),
                ),
                output(
                    "stage_changes",
                    "customer when won",
                    when=(one_of("Stage", "Won"),),
                    lead_id=column("Opp"),
                    stage=constant("customer"),
                    changed_at=column("Closed"),
                ),
            ),
        ),
    ),
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "files"
    path.mkdir()
    return path
