# The few commands a newcomer needs. `make demo` and `make test` each set everything up first.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.8
SETUP := $(VENV)/.setup-done
PO := $(wildcard src/alinea/*/locale/*/LC_MESSAGES/django.po src/alinea/apps/*/locale/*/LC_MESSAGES/django.po)
MO := $(PO:.po=.mo)

.PHONY: setup demo serve test lint docs bench clean

setup: $(SETUP) $(MO)

$(SETUP): pyproject.toml uv.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv==$(UV_VERSION)
	$(BIN)/uv sync --frozen --quiet
	touch $@

%.mo: %.po
	@command -v msgfmt >/dev/null || scripts/system-packages gettext
	msgfmt --check -o $@ $<

demo: setup
	$(BIN)/alinea demo

serve: setup
	$(BIN)/alinea serve

lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	@command -v chromium >/dev/null || scripts/system-packages chromium
	$(BIN)/pytest
	DATABASE_URL=postgresql://postgres@127.0.0.1:5432/alinea $(BIN)/pytest tests/apps tests/web

docs: setup
	$(BIN)/typer alinea.cli.main utils docs --name alinea --output docs/cli.md

bench: setup
	$(BIN)/python benchmarks/demo_generation.py
	$(BIN)/python benchmarks/funnel.py
	$(BIN)/python benchmarks/imports.py
	$(BIN)/python benchmarks/sla.py
	$(BIN)/python benchmarks/scoring.py

clean:
	rm -rf $(VENV) .alinea
