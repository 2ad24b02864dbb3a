"""Run a Django management command in-process: ``alinea manage migrate`` and friends."""

from __future__ import annotations

import os

from django.core.management import execute_from_command_line

SETTINGS_MODULE = "alinea.web.settings"


def run_django_command(argv: list[str]) -> None:
    """Run ``argv`` like ``manage.py`` would; ``argv[0]`` is the program name shown in help.

    >>> run_django_command(["alinea manage", "check"])  # doctest: +SKIP
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    execute_from_command_line(argv)
