"""``alinea demo``: build the demo company's workspace and serve it."""

from __future__ import annotations

import datetime as dt
import json
import os
import time

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from alinea import workspace
from alinea.cli.serve import HOST, PORT, THREADS, run_server

console = Console()


def demo(
    leads: int = typer.Option(20_000, "--leads", min=100, help="Number of leads to generate."),
    seed: int = typer.Option(7, "--seed", help="Random seed; same seed, same company."),
    as_of: str = typer.Option(
        "", "--as-of", help="Last day of the history (YYYY-MM-DD); default: today (UTC)."
    ),
    serve: bool = typer.Option(True, "--serve/--no-serve", help="Serve the web app afterwards."),
    rebuild: bool = typer.Option(False, "--rebuild", help="Regenerate even if already built."),
    host: str = HOST,
    port: int = PORT,
    threads: int = THREADS,
) -> None:
    """Build a demo workspace (a B2B company's facts and team logins) and serve it."""
    last_day = _parse_day(as_of) if as_of else dt.datetime.now(dt.UTC).date()
    wanted = {"leads": leads, "seed": seed, "as_of": last_day.isoformat()}
    wanted["warehouse"] = workspace.warehouse_url()
    marker = workspace.home() / "demo.json"
    if not rebuild and marker.exists() and json.loads(marker.read_text()) == wanted:
        console.print(f"Demo workspace already built in {workspace.home()} ({leads:,} leads).")
    else:
        marker.unlink(missing_ok=True)
        _build_warehouse(leads=leads, seed=seed, as_of=last_day)
        marker.write_text(json.dumps(wanted))

    from alinea.cli.django import setup_django

    if serve:  # the embedded alerts worker writes its e-mails to ALINEA_HOME/sent-email
        os.environ.setdefault("ALINEA_EMAIL_BACKEND", "filebased")
    setup_django()
    from alinea.apps.accounts.services import demo_accounts_setup

    logins = demo_accounts_setup()
    _agreements_setup()
    console.print(f"Demo logins (password for all: [bold]{logins[0].password}[/bold]):")
    for login in logins:
        console.print(f"  {login.username:<8} {login.team:<11} {login.role}")
    if serve:
        from alinea.cli.worker import start_embedded_alerts  # SLA alerts in this process

        start_embedded_alerts()
        run_server(host=host, port=port, threads=threads)


def _agreements_setup() -> None:
    """The agreements the demo company ships with: one call per app that has some."""
    from alinea.apps.definitions.services import demo_definitions_setup
    from alinea.apps.goals.services import demo_goals_setup
    from alinea.apps.imports.services import demo_imports_setup
    from alinea.apps.reviews.services import demo_reviews_setup
    from alinea.apps.sla.services import demo_sla_setup

    demo_sla_setup()
    demo_definitions_setup()
    demo_goals_setup()
    demo_reviews_setup()
    demo_imports_setup()


def _parse_day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(
            f"{text!r} is not a date (YYYY-MM-DD)", param_hint="--as-of"
        ) from None


def _build_warehouse(*, leads: int, seed: int, as_of: dt.date) -> None:
    from alinea.demo import build_demo
    from alinea.warehouse import connect, reset_tables

    con = connect()
    reset_tables(con)
    started = time.perf_counter()
    columns = (
        TextColumn("Generating the demo company"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("leads"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("demo", total=leads)
        summary = build_demo(
            con,
            leads=leads,
            seed=seed,
            as_of=as_of,
            progress=lambda n: progress.advance(task, n),
        )
    con.disconnect()
    rows = sum(summary.rows.values())
    console.print(
        f"Built {rows:,} facts for {leads:,} leads in {time.perf_counter() - started:.1f} s "
        f"({summary.first_day} → {summary.last_day})."
    )
