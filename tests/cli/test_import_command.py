"""`alinea import` as an operator runs it: folders and files, dry runs, problems, exit codes,
the record of each import and its rollback.

Most tests run the command in this process, on the test app database; one runs the real console
script in a fresh workspace.
"""

from __future__ import annotations

import csv
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alinea.apps.imports.models import ImportRecord
from alinea.cli.imports import PROFILE_NAMES
from alinea.cli.main import app
from alinea.importing import PROFILES
from alinea.warehouse import connect

PIPELINE = (
    "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\n"
    "O1,Moses Frase,GTXPro,Cancity,Won,2016-10-20,2017-03-01,1054.0\n"
    "O2,Moses Frase,MG Special,Isdom,Lost,2016-10-25,2017-03-11,0\n"
    "O3,Anna Snelling,GTX Basic,Cancity,Engaging,2016-11-02,,\n"
)
TEAMS = (
    "sales_agent,manager,regional_office\n"
    "Moses Frase,Dustin Brinkmann,Central\n"
    "Anna Snelling,Dustin Brinkmann,Central\n"
)


@pytest.fixture
def crm(tmp_path: Path) -> Path:
    folder = tmp_path / "crm"
    folder.mkdir()
    (folder / "sales_pipeline.csv").write_text(PIPELINE)
    (folder / "sales_teams.csv").write_text(TEAMS)
    (folder / "products.csv").write_text("product,series,sales_price\nGTX Pro,GTX,4821\n")
    return folder


pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def app_database_ready(monkeypatch: pytest.MonkeyPatch) -> None:
    """pytest-django has set up Django and the test app database already."""
    monkeypatch.setattr("alinea.cli.django.setup_django", lambda: None)


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"duckdb:///{tmp_path}/warehouse.duckdb"


def run(*args: str, command: str = "import") -> tuple[int, str]:
    result = CliRunner().invoke(app, [command, *args], env={"COLUMNS": "200"})
    return result.exit_code, result.output


def stored(url: str) -> dict[str, int]:
    con = connect(url)
    try:
        counts = {
            t: int(con.table(t).count().execute()) for t in ("deals", "people", "stage_changes")
        }
    finally:
        con.disconnect()
    return {t: n for t, n in counts.items() if n}


def test_help_lists_the_built_in_profiles() -> None:
    code, output = run("--help")
    assert code == 0
    for name in PROFILES:
        assert name in output
    assert tuple(PROFILES) == PROFILE_NAMES


def test_a_folder_is_imported(crm: Path, url: str) -> None:
    code, output = run(str(crm), "--profile", "maven-crm", "--warehouse", url)
    assert code == 0, output
    assert "Imported with maven-crm" in output
    assert stored(url) == {"deals": 3, "people": 3, "stage_changes": 4}
    [record] = ImportRecord.objects.all()
    assert (record.source, record.status, record.mapping_name) == ("cli", "imported", "maven-crm")
    assert record.counts["deals"] == {"facts": 3, "inserted": 3}
    assert sorted(f.name for f in record.files.all()) == [
        "products.csv",
        "sales_pipeline.csv",
        "sales_teams.csv",
    ]
    assert f"alinea import-rollback {record.pk}" in output


def test_an_import_is_rolled_back_from_the_command_line(crm: Path, url: str) -> None:
    assert run(str(crm), "--profile", "maven-crm", "--warehouse", url)[0] == 0
    [record] = ImportRecord.objects.all()
    code, output = run(str(record.pk), "--warehouse", url, command="import-rollback")
    assert code == 0, output
    assert "removed 3 people, 4 stage_changes, 3 deals" in output
    assert stored(url) == {}
    record.refresh_from_db()
    assert record.status == "rolled_back"
    code, output = run(str(record.pk), "--warehouse", url, command="import-rollback")
    assert code == 1
    assert "only an import that wrote facts can be rolled back" in output
    assert run("999", "--warehouse", url, command="import-rollback")[0] == 1


def test_a_single_file_is_imported(crm: Path, url: str) -> None:
    code, output = run(str(crm / "sales_teams.csv"), "-p", "maven-crm", "--warehouse", url)
    assert code == 0, output
    assert stored(url) == {"people": 3}


def test_importing_again_changes_nothing(crm: Path, url: str) -> None:
    assert run(str(crm), "--profile", "maven-crm", "--warehouse", url)[0] == 0
    code, output = run(str(crm), "--profile", "maven-crm", "--warehouse", url)
    assert code == 0
    assert "Already imported" in output
    assert stored(url) == {"deals": 3, "people": 3, "stage_changes": 4}


def test_a_dry_run_writes_nothing(crm: Path, url: str) -> None:
    code, output = run(str(crm), "--profile", "maven-crm", "--dry-run", "--warehouse", url)
    assert code == 0, output
    assert "Dry run: nothing was written" in output
    assert "stage_changes" in output
    assert stored(url) == {}
    assert not ImportRecord.objects.exists()


def test_problems_are_listed_by_file_line_and_column_and_nothing_is_written(
    crm: Path, url: str, tmp_path: Path
) -> None:
    bad = PIPELINE + "O4,Moses Frase,GTX Basic,Cancity,Maybe,2016-11-02,,\n"
    (crm / "sales_pipeline.csv").write_text(bad)
    listed = tmp_path / "problems.csv"
    code, output = run(
        str(crm), "--profile", "maven-crm", "--warehouse", url, "--problems-csv", str(listed)
    )
    assert code == 1
    assert "Nothing was imported" in output
    [row] = [
        line for line in output.splitlines() if "sales_pipeline.csv" in line and "Maybe" in line
    ]
    assert "│ 5" in row
    assert "deal_stage" in row
    assert "not a value the mapping knows" in row
    assert "--skip-bad-rows imports the rest" in output
    with listed.open() as file:
        [problem] = list(csv.DictReader(file))
    assert (problem["file"], problem["line"], problem["column"], problem["value"]) == (
        "sales_pipeline.csv",
        "5",
        "deal_stage",
        "Maybe",
    )
    assert stored(url) == {}
    assert not ImportRecord.objects.exists()

    code, output = run(str(crm), "--profile", "maven-crm", "--dry-run", "--warehouse", url)
    assert code == 1
    assert "the import would be refused" in output

    code, output = run(str(crm), "-p", "maven-crm", "--skip-bad-rows", "--warehouse", url)
    assert code == 0, output
    assert "Skipped 1 rows with problems" in output
    assert stored(url)["deals"] == 3
    [record] = ImportRecord.objects.all()
    assert record.skipped_rows == 1
    assert record.skipped[0]["line"] == 5


def test_a_path_that_does_not_exist_is_a_problem(tmp_path: Path, url: str) -> None:
    code, output = run(str(tmp_path / "nowhere.csv"), "-p", "maven-crm", "--warehouse", url)
    assert code == 1
    assert "no such file or folder" in output


def test_an_unknown_profile_is_a_usage_error(crm: Path, url: str) -> None:
    code, output = run(str(crm), "--profile", "nope", "--warehouse", url)
    assert code == 2
    assert "no profile called 'nope'" in output


def test_the_console_script_imports_and_records_in_a_fresh_workspace(crm: Path, tmp_path) -> None:
    home = tmp_path / "home"
    environment = {
        **{k: v for k, v in os.environ.items() if k not in ("ALINEA_WAREHOUSE", "DATABASE_URL")},
        "ALINEA_HOME": str(home),
        "COLUMNS": "200",
    }
    alinea = str(Path(sys.executable).with_name("alinea"))
    done = subprocess.run(
        [alinea, "import", str(crm), "--profile", "maven-crm"],
        env=environment, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(home / "app.sqlite3") as app_db:
        rows = app_db.execute("select source, status, mapping_name from imports_importrecord")
        assert rows.fetchall() == [("cli", "imported", "maven-crm")]
    assert stored(f"duckdb:///{home / 'warehouse.duckdb'}") == {
        "deals": 3,
        "people": 3,
        "stage_changes": 4,
    }
