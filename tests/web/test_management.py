from __future__ import annotations

import pytest

from alinea.web.management import run_django_command


def test_run_django_command(capsys: pytest.CaptureFixture[str]) -> None:
    run_django_command(["alinea manage", "check"])
    assert "System check identified no issues" in capsys.readouterr().out


def test_run_django_command_reports_unknown_commands(capsys) -> None:
    with pytest.raises(SystemExit):
        run_django_command(["alinea manage", "no-such-command"])
    assert "Unknown command: 'no-such-command'" in capsys.readouterr().err
