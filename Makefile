# Kompetenceportalen: build, run, test and benchmark. GNU make; every target is described in
# docs/DEVELOPING.md ("Build, test and benchmark infrastructure").

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PORT ?= 5000
FLASK := $(BIN)/flask --app wsgi

export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help venv run lint test bench clean system-deps

help:
	@echo "make venv   create .venv and install the app with its dev extras"
	@echo "make run    migrate, load the demo home and serve on http://127.0.0.1:$(PORT)"
	@echo "make lint   ruff check + bandit"
	@echo "make test   system packages, lint, pytest on SQLite and on a throwaway PostgreSQL"
	@echo "make bench  page table, 1 October mix and deadline rush (benchmarks/run.py; BENCH_ARGS=...)"
	@echo "make clean  remove .venv and caches (keeps instance/)"

venv: $(STAMP)

# Re-run only when pyproject.toml is newer than the stamp.
$(STAMP): pyproject.toml
	@if [ ! -x "$(BIN)/python" ]; then \
		if ! $(PYTHON) -c "import ensurepip, venv" >/dev/null 2>&1; then \
			if [ "$$(id -u)" = 0 ]; then \
				apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv; \
			else \
				echo "python3 -m venv is not available: install python3-venv (as root)" >&2; exit 1; \
			fi; \
		fi; \
		echo "Creating $(VENV) with $$($(PYTHON) --version)"; \
		$(PYTHON) -m venv $(VENV); \
	fi
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

system-deps:
	@scripts/ensure-system-deps.sh

# `flask demo` loads the demo home only into an empty database: after `flask setup`, or on a database
# with data, it changes nothing.
run: venv
	$(FLASK) db upgrade
	$(FLASK) demo
	@if $(FLASK) guidelines --help >/dev/null 2>&1; then \
		$(FLASK) guidelines import guidelines/; \
	fi
	@echo
	@echo "Kompetenceportalen: http://127.0.0.1:$(PORT)"
	@echo "Demo logins, if the demo home is loaded (password demo1234 for all):"
	@echo "  tilbudsleder@demo.dk"
	@echo "  afdelingsleder@demo.dk"
	@echo "  medarbejder@demo.dk"
	@echo "  vikar@demo.dk"
	@echo "  minimed@demo.dk"
	@echo "  admin@demo.dk"
	@echo
	exec $(FLASK) run --host 127.0.0.1 --port $(PORT)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/bandit -c pyproject.toml -r app -q

# The whole sequence (system packages, venv, lint, pytest on SQLite, pytest on a throwaway
# PostgreSQL) lives in a script so the cluster is stopped by a trap whatever fails.
test:
	@scripts/run-tests.sh

# BENCH_ARGS: e.g. "--only mix --pg" (the 1 October mix alone, on both engines) or "--quick" (a smoke run).
bench: venv
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis build *.egg-info
	find . -name __pycache__ -type d -prune -not -path './.git/*' -exec rm -rf {} +
