"""``alinea token``: API tokens for scripts and integrations."""

from __future__ import annotations

import typer
from rich.console import Console

app = typer.Typer(help="Create API tokens.", no_args_is_help=True)
console = Console()


@app.command("create")
def create(
    username: str = typer.Argument(..., help="The user the token acts as."),
    name: str = typer.Option("cli", "--name", help="A label to recognise the token by."),
) -> None:
    """Create an API token for USERNAME and print it once."""
    from alinea.cli.django import setup_django

    setup_django()
    from django.contrib.auth import get_user_model

    from alinea.apps.accounts.services import api_token_create

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        console.print(f"[red]No user called {username!r}.[/red]")
        raise typer.Exit(1)
    token = api_token_create(actor=None, user=user, name=name)
    console.print("Token (shown once; send it as `Authorization: Bearer <token>`):")
    print(token)
