"""``alinea serve``: serve the web app on an existing workspace; ``alinea manage``: Django admin."""

from __future__ import annotations

import typer
from rich.console import Console

console = Console()

HOST = typer.Option("127.0.0.1", "--host", help="Interface to listen on.")
PORT = typer.Option(8000, "--port", help="Port to listen on.")
THREADS = typer.Option(8, "--threads", help="Worker threads of the web server.")


def serve(host: str = HOST, port: int = PORT, threads: int = THREADS) -> None:
    """Serve the web app on the workspace in ALINEA_HOME (default ./.alinea)."""
    from alinea.cli.django import setup_django

    setup_django()
    run_server(host=host, port=port, threads=threads)


def run_server(*, host: str, port: int, threads: int) -> None:
    import waitress

    from alinea.web.wsgi import application

    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    console.print(f"alinea is serving on [bold]http://{shown}:{port}/[/bold]  (Ctrl+C stops it)")
    waitress.serve(application, host=host, port=port, threads=threads, ident="alinea")


def manage(ctx: typer.Context) -> None:
    """Run a Django management command on this workspace (e.g. `alinea manage createsuperuser`)."""
    from alinea.web.management import run_django_command

    run_django_command(["alinea manage", *ctx.args])
