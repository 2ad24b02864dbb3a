"""The ``alinea`` command line (Typer). Sub-commands call services, selectors and analytics."""
