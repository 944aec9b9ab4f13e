# daylog: `make demo` runs the main job on the sample workspace, `make test` runs every check.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-dev
DEMO   := .demo

.PHONY: demo test lint typecheck pytest docs bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## demo: lint the sample team's entries, then scaffold a new entry in a scratch copy
demo: $(STAMP)
	@echo "== daylog check (sample workspace: mkdocs.yml + logs/)"
	$(BIN)/daylog -w . check
	@rm -rf $(DEMO) && mkdir -p $(DEMO) && cp -r mkdocs.yml templates logs $(DEMO)/
	@echo "== daylog new in a scratch copy ($(DEMO)/)"
	$(BIN)/daylog -w $(DEMO) new --date 2026-11-23 --author minji --no-edit
	@cat $(DEMO)/logs/minji/2026-11-23.md

## test: ruff, mypy (strict on the pure core), the README reference check, pytest
test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check daylog tests scripts benchmarks
	$(BIN)/python scripts/cli_reference.py --check

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/python -m pytest -q

## docs: regenerate the README's command reference from --help
docs: $(STAMP)
	$(BIN)/python scripts/cli_reference.py

## bench: start-up benchmark (more in benchmarks/README.md)
bench: $(STAMP)
	$(BIN)/python benchmarks/startup.py

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache .mypy_cache .ruff_cache build *.egg-info
