"""Entry point of the ``alinea`` console script."""

from __future__ import annotations

import typer

from alinea.cli import demo, imports, qualify, serve, tokens, worker

app = typer.Typer(
    name="alinea",
    help="Sales and marketing alignment on your own data.",
    no_args_is_help=True,
    add_completion=False,
)
app.command("demo")(demo.demo)
app.command("serve")(serve.serve)
app.command("import")(imports.import_files)
app.command("import-rollback")(imports.rollback_import)
app.command(
    "manage",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
)(serve.manage)
app.add_typer(tokens.app, name="token")
app.command("worker")(worker.worker)
app.command("qualify")(qualify.qualify)


if __name__ == "__main__":
    app()
