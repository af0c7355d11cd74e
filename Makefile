# cong: the two commands are `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 6543
INI ?= development.ini
STAMP := $(VENV)/.installed

.PHONY: serve test lint format bench i18n i18n-extract clean system-packages

$(STAMP): setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip 'setuptools<81' wheel
	$(BIN)/pip install -q -e '.[test,i18n]'
	touch $(STAMP)

## compile the message catalogs (.po -> .mo)
i18n: $(STAMP)
	$(BIN)/pybabel compile -f -D cong -d core/locale

## extract UI messages into core/locale/cong.pot and merge them into the catalogs
i18n-extract: $(STAMP)
	$(BIN)/python etc/i18n_extract.py

## serve the portal with demo content on http://127.0.0.1:$(PORT)
serve: $(STAMP) i18n
	$(BIN)/cong -c $(INI) demo --if-empty
	$(BIN)/pserve $(INI) http_port=$(PORT)

## Debian packages: Pango, HarfBuzz's subsetter and fonts with every Vietnamese letter
## for the PDFs of printable forms (docs/decisions/0027), chromium for the browser tests
PRINT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation2 fonts-dejavu-core
system-packages:
	@missing=$$(for package in $(PRINT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q 'ok installed' || echo $$package; done; \
	  command -v chromium >/dev/null 2>&1 || echo chromium); \
	[ -z "$$missing" ] || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; }

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m etc.import_cycles --check

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## run the whole test suite (lint, unit, functional, browser) with coverage, in
## TEST_WORKERS processes (one per CPU by default; TEST_WORKERS=0: in this process)
TEST_WORKERS ?= auto
test: $(STAMP) i18n system-packages lint
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadscope --cov=core --cov=catalog --cov=subsites --cov=plugins --cov-report=term:skip-covered

## benchmarks: print figures (not part of `make test`); BENCH_ITEMS sizes the catalog's
## province, kept in BENCH_DIR for the news pages' benchmark and the next run (the
## articles it learns from are read from ../shared/data); BENCH_DOSSIERS sizes the
## one-stop desks' province, kept in $(VENV)/bench-onestop; BENCH_DOCUMENTS and BENCH_LEGAL
## size the document offices' province (registers, legal library), in $(VENV)/bench-documents;
## the backup benchmark copies the catalog's province into $(VENV)/bench-backup (adds
## BENCH_FILES files, kept for the next run) and restores it, rebuilding its index
BENCH_ITEMS ?= 200000
BENCH_DIR ?= $(VENV)/bench-province
BENCH_DOSSIERS ?= 1000000
BENCH_DOCUMENTS ?= 200000
BENCH_LEGAL ?= 20000
BENCH_FILES ?= 2000
bench: $(STAMP) i18n
	$(BIN)/python -m tests.bench.page_view
	$(BIN)/python -m tests.bench.subsites
	$(BIN)/python -m tests.bench.catalog --items $(BENCH_ITEMS) --subsites 300 --dir $(BENCH_DIR)
	$(BIN)/python -m tests.bench.news --items $(BENCH_ITEMS) --subsites 300 --dir $(BENCH_DIR)
	$(BIN)/python -m tests.bench.backup --items $(BENCH_ITEMS) --subsites 300 --files $(BENCH_FILES) --dir $(VENV)/bench-backup --from $(BENCH_DIR)
	$(BIN)/python -m tests.bench.services --dir $(VENV)/bench-services
	$(BIN)/python -m tests.bench.concurrent_writes --writers 20 --creates 50
	$(BIN)/python -m tests.bench.retract --items 10000
	$(BIN)/python -m tests.bench.encryption --items 2000 --views 500 --saves 200
	$(BIN)/python -m tests.bench.audit --writes 500 --rounds 5 --records 100000
	$(BIN)/python -m plugins.onestop.tests.bench --dossiers $(BENCH_DOSSIERS) --units 300 --dir $(VENV)/bench-onestop
	$(BIN)/python -m plugins.documents.tests.bench --documents $(BENCH_DOCUMENTS) --legal $(BENCH_LEGAL) --units 300 --dir $(VENV)/bench-documents

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .coverage htmlcov
