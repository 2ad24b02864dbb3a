"""``alinea qualify``: move the leads the active definitions qualify now into their stage.

The same service runs after every import and on each tick of ``alinea worker``
(:func:`qualify_tick`); this command runs it once, or only shows what it would write.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import duckdb
import typer
from ibis.backends import BaseBackend
from rich.console import Console
from rich.table import Table

from alinea import workspace
from alinea.warehouse import connect

if TYPE_CHECKING:
    from alinea.apps.definitions.applying import Applied

console = Console()
#: Leads listed per stage in a dry run.
SHOWN_LEADS = 20


def qualify_with(con: BaseBackend, *, now: dt.datetime, dry_run: bool = False) -> list[Applied]:
    """Apply every active definition on an open warehouse (Django set up), as the system."""
    from alinea.apps.definitions.applying import definitions_apply

    return definitions_apply(actor=None, con=con, now=now, dry_run=dry_run)


def summary(applied: list[Applied]) -> str:
    """One line: how many leads each active version moved."""
    if not applied:
        return "qualify: no active definition"
    parts = [f"{a.definition.label}: {a.moved} leads" for a in applied]
    return "qualify: " + ", ".join(parts)


def _anything_active() -> bool:
    from alinea.apps.definitions.selectors import active_definitions

    return active_definitions().exists()


def qualify_on(con: BaseBackend, *, now: dt.datetime | None = None) -> str:
    """One scheduled run on an open warehouse; returns what happened, one line."""
    if not _anything_active():
        return summary([])
    try:
        return summary(qualify_with(con, now=now or dt.datetime.now(dt.UTC)))
    except Exception as exc:  # a scheduled loop outlives one bad run; the next run retries
        return f"qualify failed: {exc}"


def qualify_tick(url: str, *, now: dt.datetime | None = None) -> str:
    """One scheduled run on the warehouse at ``url``, opened only when a definition is active
    and only for the run; a DuckDB file held by another process is reported (and retried next
    tick), not fatal."""
    if not _anything_active():
        return summary([])
    try:
        con = connect(url, create=False)
    except duckdb.IOException as exc:
        return f"qualify: warehouse busy ({str(exc).splitlines()[0]}); retrying next tick"
    try:
        return qualify_on(con, now=now)
    finally:
        con.disconnect()


def _table(applied: list[Applied], dry_run: bool) -> Table:
    table = Table("version", "stage", "leads" if dry_run else "moved", "first leads")
    for a in applied:
        shown = ", ".join(a.lead_ids[:SHOWN_LEADS]) + (" …" if a.moved > SHOWN_LEADS else "")
        table.add_row(a.definition.label, a.definition.stage, str(a.moved), shown)
    return table


def qualify(
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Show the leads each active definition would move; write nothing."
    ),
) -> None:
    """Qualify leads now: write a stage change for every lead an active definition qualifies."""
    from alinea.cli.django import setup_django

    setup_django()
    now = dt.datetime.now(dt.UTC)
    con = connect(workspace.warehouse_url())
    try:
        applied = qualify_with(con, now=now, dry_run=dry_run)
    finally:
        con.disconnect()
    if not applied:
        console.print("No definition is active: nothing to qualify.")
        return
    console.print(_table(applied, dry_run))
    total = sum(a.moved for a in applied)
    if dry_run:
        console.print(
            f"Dry run at {now:%Y-%m-%d %H:%M:%S} UTC: {total} stage changes, none written."
        )
    else:
        console.print(f"{total} stage changes written at {now:%Y-%m-%d %H:%M:%S} UTC.")
