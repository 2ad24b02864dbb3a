"""Start Django for commands that need the app database."""

from __future__ import annotations

import os


def setup_django() -> None:
    """Configure Django from ``alinea.web.settings`` and bring the app database up to date."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alinea.web.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
