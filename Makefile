# socialmetrics: the two set-up commands of the README are `make demo` and `make test`.
# Both need only Python 3.11+ (with venv) and make; everything else is installed into .venv
# from the lock file (uv.lock) by a pinned uv living in .tools/.

PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: install demo test lint format bench clean help new-platform docs i18n

help:
	@echo "make demo   - install, generate the demo agency and load it (DuckDB)"
	@echo "make test   - install and run the test suite"
	@echo "make lint   - ruff and mypy"
	@echo "make bench  - ingest, query and report benchmarks at 20 clients (see benchmarks/README.md)"
	@echo "make new-platform NAME=tiktok - start a platform folder from the template"
	@echo "make docs   - regenerate the generated tables of docs/ (settings, specs)"
	@echo "make i18n   - extract the report's texts, update every catalog, compile them"

$(UV):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "socialmetrics needs Python 3.11 or newer")'
	@$(PYTHON) -m venv $(TOOLS) || { echo "python venv is missing: on Debian/Ubuntu run 'apt-get install python3-venv'"; exit 1; }
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

install: $(VENV)/.installed

demo: install
	$(BIN)/socialmetrics demo --out socialmetrics-demo

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check src tests benchmarks hatch_build.py
	$(BIN)/ruff format --check src tests benchmarks hatch_build.py
	$(BIN)/mypy

format: install
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

bench: install
	$(UV) sync --frozen --python $(PYTHON) --group bench
	$(BIN)/python benchmarks/bench_ingest.py --clients 20
	$(BIN)/python benchmarks/bench_queries.py --clients 20
	$(BIN)/python benchmarks/bench_report.py --clients 20

docs: install
	$(BIN)/python -m socialmetrics.docgen docs/configuration.md docs/platforms.md docs/warehouse.md

i18n: install
	$(BIN)/python -m socialmetrics.report.catalogs all

new-platform: install
	@test -n "$(NAME)" || { echo "usage: make new-platform NAME=<platform id>"; exit 2; }
	$(BIN)/socialmetrics dev new-platform $(NAME) --samples tests/files

clean:
	rm -rf $(VENV) $(TOOLS) socialmetrics-demo .pytest_cache .mypy_cache .ruff_cache
