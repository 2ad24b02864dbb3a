"""Test-only driver, run in a subprocess by ``test_staging``: stage people and leads, then commit,
stopping inside the commit's transaction right after the first fact table is written.

It says it got there by writing the flag file given as its second argument, then waits to be
killed. The production ``Staging`` knows nothing of this: the pause is patched in here.

    python killed_commit.py WAREHOUSE_URL FLAG_FILE
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pyarrow as pa

from alinea.warehouse import IngestResult, connect
from alinea.warehouse.schema import FactTable
from alinea.warehouse.staging import Staging

ROWS = 20_000


def pause_after_first_insert(flag: Path) -> None:
    """Make ``Staging._insert`` announce itself in ``flag`` and then wait for the kill."""
    insert = Staging._insert

    def insert_then_wait(self: Staging, spec: FactTable) -> IngestResult:
        result = insert(self, spec)
        written = flag.with_suffix(".tmp")
        written.write_text(spec.name)
        written.replace(flag)  # appears whole: the test reads it once it exists
        time.sleep(120)
        return result

    Staging._insert = insert_then_wait


def main(url: str, flag: Path) -> None:
    pause_after_first_insert(flag)
    con = connect(url)
    n = ROWS
    people = {
        "person_id": [f"p{i}" for i in range(n)], "name": ["x"] * n,
        "team": ["sales"] * n, "role": ["ae"] * n,
    }  # fmt: skip
    leads = {"lead_id": [f"l{i}" for i in range(n)], "created_at": ["2025-01-01T00:00:00Z"] * n}
    with Staging(con, "killed") as staging:
        staging.add("people", pa.table(people))
        staging.add("leads", pa.table(leads))
        staging.commit()


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
