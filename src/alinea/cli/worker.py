"""``alinea worker``: the scheduled work — SLA alerts and applying the active stage definitions
(no extra server: the app database holds the claims).

Every ``--interval`` seconds it opens the warehouse, computes the SLA clocks at the current time,
sends the alerts due (see ``alinea.apps.sla.alerts``) and closes the warehouse again; when a stage
definition is active it also moves the leads that definition qualifies (``alinea qualify``), with
the warehouse opened for writing only for that run.

DuckDB lets one process write a file while no other process may open it. The worker only reads:
it opens the file read-only for the length of a tick and closes it, so ``alinea demo``/imports
are only ever blocked for that moment. While another process holds the file (``alinea serve``
keeps it open), the tick reports that the warehouse is busy and tries again next time; to run
alerts beside the web app on a DuckDB warehouse, use ``alinea worker --serve`` (the web app and
the alerts loop in one process, sharing the file).
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

import duckdb
import ibis
import typer
from ibis.backends import BaseBackend
from rich.console import Console

from alinea import workspace
from alinea.cli.qualify import qualify_on, qualify_tick
from alinea.cli.serve import HOST, PORT, THREADS
from alinea.warehouse import connect

console = Console()
WEBHOOK_ENV = "ALINEA_SLA_WEBHOOK_URL"


class WarehouseBusy(RuntimeError):
    """Another process holds the DuckDB file."""


@contextmanager
def read_only_warehouse(url: str) -> Iterator[BaseBackend]:
    """The warehouse opened for reading, closed on exit; ``WarehouseBusy`` if a DuckDB file is
    locked by another process."""
    parts = urlsplit(url)
    path = unquote(parts.netloc + parts.path)
    try:
        if parts.scheme == "duckdb" and path not in ("", ":memory:"):
            if not Path(path).exists():
                raise WarehouseBusy(f"the warehouse file {path} does not exist yet")
            con = ibis.duckdb.connect(path, read_only=True)
        else:
            con = connect(url, create=False)
    except duckdb.IOException as exc:
        raise WarehouseBusy(str(exc).splitlines()[0]) from None
    try:
        yield con
    finally:
        con.disconnect()


def run_tick(url: str, *, webhook: str, now: dt.datetime | None = None) -> str:
    """One tick on a warehouse opened read-only for the tick; returns what happened, one line."""
    from alinea.apps.sla.alerts import alerts_tick

    now = now or dt.datetime.now(dt.UTC)
    try:
        with read_only_warehouse(url) as con:
            result = alerts_tick(con, now=now, webhook=webhook)
    except WarehouseBusy as exc:
        return (
            f"warehouse busy ({exc}); retrying next tick. With DuckDB, `alinea worker --serve` "
            "runs the web app and the alerts in one process."
        )
    return (
        f"{result.sent} alerts sent, {result.skipped} already sent, {result.retried} retried, "
        f"{result.failed} failed, at {now:%Y-%m-%d %H:%M:%S} UTC"
    )


def start_embedded_alerts(
    *, interval: float = 60.0, webhook: str = "", qualify: bool = False
) -> tuple[threading.Event, threading.Thread]:
    """Run the alerts loop in a daemon thread of this process (the web app's: it shares the
    warehouse connection, so a DuckDB file is no obstacle); set the returned event to stop it.
    ``webhook`` defaults to ``$ALINEA_SLA_WEBHOOK_URL``; with ``qualify`` each tick also applies
    the active stage definitions. ``alinea demo`` calls this (alerts only) when it serves, so a
    new user sees alerts without a second command."""
    stop = threading.Event()
    webhook = webhook or os.environ.get(WEBHOOK_ENV, "")
    thread = threading.Thread(
        target=_serve_loop,
        args=(interval, webhook, stop, qualify),
        name="sla-alerts",
        daemon=True,
    )
    thread.start()
    return stop, thread


def _serve_loop(interval: float, webhook: str, stop: threading.Event, qualify: bool) -> None:
    from alinea.apps.sla.alerts import alerts_tick
    from alinea.web.warehouse import get_warehouse

    while not stop.is_set():
        try:
            if qualify:
                console.print(qualify_on(get_warehouse()))
            result = alerts_tick(get_warehouse(), now=dt.datetime.now(dt.UTC), webhook=webhook)
            console.print(
                f"alerts: {result.sent} sent, {result.skipped} already sent, "
                f"{result.retried} retried, {result.failed} failed"
            )
        except Exception as exc:  # the loop must outlive one bad tick
            console.print(f"[red]alerts tick failed:[/red] {exc}")
        stop.wait(interval)


def worker(
    interval: float = typer.Option(60.0, "--interval", min=1, help="Seconds between ticks."),
    once: bool = typer.Option(False, "--once", help="Run one tick and exit."),
    webhook: str = typer.Option(
        "", "--webhook", help=f"Slack-compatible webhook URL (default: ${WEBHOOK_ENV})."
    ),
    serve: bool = typer.Option(
        False, "--serve", help="Also serve the web app from this process (for DuckDB files)."
    ),
    host: str = HOST,
    port: int = PORT,
    threads: int = THREADS,
) -> None:
    """Send SLA alerts: warn owners before a breach, tell owner and team lead when it happens."""
    from alinea.cli.django import setup_django

    setup_django()
    webhook = webhook or os.environ.get(WEBHOOK_ENV, "")
    if serve:
        from alinea.cli.serve import run_server

        stop, _thread = start_embedded_alerts(interval=interval, webhook=webhook, qualify=True)
        try:
            run_server(host=host, port=port, threads=threads)
        finally:
            stop.set()
        return
    url = workspace.warehouse_url()
    while True:
        console.print(qualify_tick(url))
        console.print(run_tick(url, webhook=webhook))
        if once:
            return
        time.sleep(interval)
