"""docs/cli.md is generated from `--help`; this keeps it from going stale."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_cli_reference_matches_the_commands(tmp_path: Path) -> None:
    out = tmp_path / "cli.md"
    typer = Path(sys.executable).with_name("typer")
    subprocess.run(
        [typer, "alinea.cli.main", "utils", "docs", "--name", "alinea", "--output", out],
        check=True,
        capture_output=True,
    )
    current = (ROOT / "docs" / "cli.md").read_text()
    assert out.read_text() == current, "docs/cli.md is stale: run `make docs`"
