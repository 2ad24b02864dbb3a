"""``alinea import``: preview and import files into the warehouse, with a progress bar."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

if TYPE_CHECKING:
    from alinea.apps.imports.models import ImportRecord as StoredImport
    from alinea.importing import Preview, Step

console = Console()
SHOWN_PROBLEMS = 50
#: The built-in profiles (``alinea.importing.PROFILES``; a test keeps the two equal). Named here so
#: that ``alinea --help`` does not load the importer.
PROFILE_NAMES = (
    "hubspot-contacts",
    "hubspot-deals",
    "salesforce-leads",
    "salesforce-opportunities",
    "maven-crm",
    "x-education",
)
_NAMES = ", ".join(PROFILE_NAMES)

PATHS = typer.Argument(..., help="Files, or folders of files, to import.")
PROBLEMS_CSV = typer.Option(
    None, "--problems-csv", help="Write every problem found to this CSV file."
)

_PHASES = {
    "checking": "Checking",
    "reading": "Reading",
    "verifying": "Verifying",
    "committing": "Committing",
}


def import_files(
    paths: list[Path] = PATHS,
    profile: str = typer.Option(
        ..., "--profile", "-p", help=f"Built-in profile ({_NAMES}) or a mapping .json file."
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Show the facts and problems; write nothing."
    ),
    skip_bad_rows: bool = typer.Option(
        False, "--skip-bad-rows", help="Import the good rows and leave out rows with problems."
    ),
    timezone: str | None = typer.Option(
        None, "--timezone", help="Time zone of times written without one (e.g. Europe/Madrid)."
    ),
    date_format: str | None = typer.Option(
        None, "--date-format", help="Order of dates like 03-04-2018: dd-mm-yyyy or mm/dd/yyyy."
    ),
    decimal: str | None = typer.Option(
        None, "--decimal", help="Decimal mark of numbers: ',' or '.' (default: detected)."
    ),
    delimiter: str | None = typer.Option(
        None, "--delimiter", help="Delimiter of CSV files (default: detected)."
    ),
    encoding: str | None = typer.Option(
        None, "--encoding", help="Encoding of text files (default: detected)."
    ),
    sheet: str | None = typer.Option(
        None, "--sheet", help="Sheet of Excel files (default: first)."
    ),
    problems_csv: Path | None = PROBLEMS_CSV,
    warehouse: str | None = typer.Option(
        None, "--warehouse", help="Warehouse URL (default: ALINEA_WAREHOUSE or the workspace's)."
    ),
) -> None:
    """Import files exported from a CRM or a spreadsheet into the warehouse.

    Built-in profiles: hubspot-contacts, hubspot-deals, salesforce-leads,
    salesforce-opportunities, maven-crm, x-education.

    Everything is checked first; the import writes every fact of every file or nothing. With
    problems it stops and lists them (exit code 1), unless --skip-bad-rows is given and every
    problem is a bad row. Importing the same files again changes nothing.
    """
    from alinea.importing import (
        ImportRefused,
        MappingError,
        ReadOptions,
        preview,
        resolve_mapping,
    )
    from alinea.warehouse import connect

    try:
        mapping = resolve_mapping(profile).with_overrides(
            timezone=timezone, date_format=date_format, decimal=decimal
        )
    except MappingError as error:
        raise typer.BadParameter(str(error), param_hint="--profile") from None
    options = ReadOptions(delimiter=_unescape(delimiter), encoding=encoding, sheet=sheet)
    if not dry_run:
        from alinea.cli.django import setup_django

        setup_django()  # the import is recorded in the app database
        from alinea.apps.imports.services import import_run
    con = connect(warehouse)
    try:
        with _ProgressBar() as bar:
            if dry_run:
                shown = preview(
                    paths, mapping, con=con, options=options,
                    skip_bad_rows=skip_bad_rows, progress=bar.step,
                )  # fmt: skip
            else:
                recorded = import_run(
                    actor=None, actor_name=_user() or "", con=con, paths=list(paths),
                    mapping=mapping, source="cli", skip_bad_rows=skip_bad_rows,
                    options=options, progress=bar.step,
                )  # fmt: skip
    except ImportRefused as refused:
        _show_preview(refused.preview, problems_csv)
        console.print(f"[red]Nothing was imported:[/red] {refused.why}.")
        raise typer.Exit(1) from None
    finally:
        con.disconnect()
    if dry_run:
        _show_preview(shown, problems_csv)
        _dry_run_verdict(shown, skip_bad_rows=skip_bad_rows)
    else:
        _show_record(recorded)


class _ProgressBar:
    """A rich progress bar fed by the importer's ``Step`` reports: one bar per phase and file."""

    def __init__(self) -> None:
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.fields[amount]}"),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )
        self.tasks: dict[tuple[str, str | None], TaskID] = {}

    def __enter__(self) -> _ProgressBar:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def step(self, step: Step) -> None:
        key = (step.phase, step.file)
        if key not in self.tasks:
            label = _PHASES[step.phase] + (f" {step.file}" if step.file else "")
            self.tasks[key] = self.progress.add_task(label, total=max(step.total, 1), amount="")
        # per-file phases count bytes or rows, by format; the one-step phases (verify, commit) none
        amount = f"{step.done / max(step.total, 1):>4.0%}" if step.file else ""
        self.progress.update(
            self.tasks[key], completed=step.done, total=max(step.total, 1), amount=amount
        )


def _show_preview(shown: Preview, problems_csv: Path | None) -> None:
    table = Table(title=f"Facts found with {shown.mapping}")
    for heading in ("fact table", "facts", "new", "already stored"):
        table.add_column(heading, justify="left" if heading == "fact table" else "right")
    for count in shown.counts.values():
        new = "" if count.new is None else f"{count.new:,}"
        present = "" if count.already_present is None else f"{count.already_present:,}"
        table.add_row(count.table, f"{count.facts:,}", new, present)
    console.print(table)
    for note in shown.notes:
        console.print(f"  note: {note}")
    if shown.problem_count:
        _show_problems(shown)
    if problems_csv is not None:
        _write_problems(shown, problems_csv)


def _show_problems(shown: Preview) -> None:
    table = Table(title=f"{shown.problem_count:,} problems", show_lines=False)
    for heading in ("file", "line", "column", "value", "reason"):
        table.add_column(heading, overflow="fold")
    for problem in shown.problems[:SHOWN_PROBLEMS]:
        line = "" if problem.line is None else str(problem.line)
        value = "" if problem.value is None else repr(problem.value)
        table.add_row(problem.file, line, problem.column or "", value, problem.reason)
    console.print(table)
    if shown.problem_count > SHOWN_PROBLEMS:
        more = shown.problem_count - SHOWN_PROBLEMS
        console.print(f"… and {more:,} more problems (--problems-csv FILE writes them all)")
    if shown.skippable:
        console.print(
            f"Every problem is a bad row ({shown.skipped_rows:,} rows); "
            "--skip-bad-rows imports the rest."
        )


def _write_problems(shown: Preview, path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["file", "line", "column", "value", "reason", "table"])
        for p in shown.problems:
            writer.writerow([p.file, p.line, p.column, p.value, p.reason, p.table])
    console.print(f"Problems written to {path}")


def _dry_run_verdict(shown: Preview, *, skip_bad_rows: bool) -> None:
    if shown.ok:
        console.print("Dry run: nothing was written. The import would write every row.")
        return
    if skip_bad_rows and shown.skippable:
        console.print(
            f"Dry run: nothing was written. The import would skip {shown.skipped_rows:,} rows."
        )
        return
    console.print("[red]Dry run: nothing was written; the import would be refused.[/red]")
    raise typer.Exit(1)


def _show_record(record: StoredImport) -> None:
    if record.status == "already_imported":
        console.print(
            f"Already imported (batch {record.batch_id}): these files with this mapping are in "
            "the warehouse; nothing changed."
        )
        return
    table = Table(title=f"Imported with {record.mapping_name} (import {record.pk})")
    for heading in ("fact table", "facts", "written", "already stored"):
        table.add_column(heading, justify="left" if heading == "fact table" else "right")
    for name, result in record.counts.items():
        facts, inserted = int(result["facts"]), int(result["inserted"])
        table.add_row(name, f"{facts:,}", f"{inserted:,}", f"{facts - inserted:,}")
    console.print(table)
    if record.skipped_rows:
        console.print(f"Skipped {record.skipped_rows:,} rows with problems.")
    if record.status == "unchanged":
        console.print("Every fact was already in the warehouse; nothing changed.")
    else:
        console.print(f"Undo the whole import with: alinea import-rollback {record.pk}")


def rollback_import(
    record_id: int = typer.Argument(..., help="The import's number (shown when it was made)."),
    warehouse: str | None = typer.Option(
        None, "--warehouse", help="Warehouse URL (default: ALINEA_WAREHOUSE or the workspace's)."
    ),
) -> None:
    """Roll back a whole import: remove every fact it wrote from the warehouse."""
    from alinea.cli.django import setup_django

    setup_django()
    from django.core.exceptions import ValidationError

    from alinea.apps.imports.models import ImportRecord as Recorded
    from alinea.apps.imports.services import import_rollback
    from alinea.warehouse import connect

    record = Recorded.objects.filter(pk=record_id).first()
    if record is None:
        console.print(f"[red]No import number {record_id}.[/red]")
        raise typer.Exit(1)
    con = connect(warehouse)
    try:
        done = import_rollback(actor=None, actor_name=_user() or "", record=record, con=con)
    except ValidationError as error:
        console.print(f"[red]{' '.join(error.messages)}[/red]")
        raise typer.Exit(1) from None
    finally:
        con.disconnect()
    removed = ", ".join(f"{n:,} {t}" for t, n in done.removed.items()) or "no facts"
    console.print(f"Rolled back import {done.pk} (batch {done.batch_id}): removed {removed}.")


def _user() -> str | None:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None


def _unescape(delimiter: str | None) -> str | None:
    """``\\t`` or ``tab`` on the command line means a tab."""
    if delimiter in ("\\t", "tab", "TAB"):
        return "\t"
    return delimiter
