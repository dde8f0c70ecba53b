# A newcomer's two commands: `make report` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

RAW       ?= data/raw
PROCESSED ?= data/processed
REPORT    ?= report
EXPORT    ?= data/export

# Test processes (pytest-xdist); each test module runs whole on one of them.
TEST_WORKERS ?= 2
PARALLEL  := -n $(TEST_WORKERS) --dist loadscope

.PHONY: all setup report extract export docs lab lint test test-fast bench bench-report lock clean distclean gold-texts evaluate train

all: report

# Create the virtual environment and install the pinned, hashed lock. The lock
# holds every package, so pip installs exactly it (--no-deps) and checks that
# it is consistent (pip check).
$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements.lock
	$(BIN)/pip check
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

setup: $(STAMP)

# Extract events from data/raw into data/processed (no report).
extract: $(STAMP)
	$(BIN)/ultimatum extract $(RAW) --out $(PROCESSED)

# The events of data/processed as PLOVER JSON lines and a CAMEO-coded TSV, in data/export.
export: $(STAMP)
	$(BIN)/ultimatum export --processed $(PROCESSED) --out $(EXPORT)

# Rewrite docs/DATA_DICTIONARY.md from src/ultimatum/data_dictionary.csv (a test checks they agree).
docs: $(STAMP)
	$(BIN)/python -m ultimatum.dictionary docs/DATA_DICTIONARY.md

# Run the notebooks headless and render report/report.html and report/report.pdf.
report: $(STAMP)
	$(BIN)/ultimatum report --raw $(RAW) --out $(REPORT) --processed $(PROCESSED)

# Open the notebooks in JupyterLab (the project's environment is their kernel).
lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

# Lint (ruff) and type checks (mypy); both read their settings from pyproject.toml.
lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

# Lint and type checks first, then unit tests, notebooks executed end to end,
# report built into a temporary folder.
test: lint
	$(BIN)/python -m pytest -q $(PARALLEL)

# The inner loop: lint and type checks, then every test not marked slow (no
# notebooks, report build, CLI runs, whole corpora, Dask or long hypothesis
# searches).
test-fast: lint
	$(BIN)/python -m pytest -q $(PARALLEL) -m "not slow"

# Put back the texts of the real-article gold sets (fetched from their URLs;
# GOLD_TEXTS=DIR copies them from a folder instead; with no page at hand,
# FROM_GOLD=1 rebuilds them from the annotations).
# See tests/gold/real/README.md.
gold-texts: $(STAMP)
	$(BIN)/ultimatum gold-texts $(if $(GOLD_TEXTS),--from $(GOLD_TEXTS)) $(if $(FROM_GOLD),--from-gold)

# Measure the extractor on every gold set whose texts are present; updates
# tests/gold/results.csv, which the report's accuracy section reads.
evaluate: $(STAMP)
	$(BIN)/ultimatum evaluate

# Retrain the event classifier and choose the extractor by cross-validation on
# the real development set (needs its texts: make gold-texts). Writes
# src/ultimatum/learn/model/ (weights, metrics, data card).
train: $(STAMP)
	$(BIN)/python -m ultimatum.learn.train

# Throughput and memory benchmark (see benchmarks/README.md).
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_extract.py

# Wall time of `ultimatum report` on the seeds: cold, warm, and after a narrative edit.
bench-report: $(STAMP)
	$(BIN)/python benchmarks/bench_report.py

# Re-resolve the lock from requirements.in (needs network access to PyPI).
lock:
	$(PYTHON) -m pip install --quiet uv
	$(PYTHON) -m uv pip compile requirements.in --python-version 3.11 --generate-hashes -o requirements.lock

clean:
	rm -rf $(PROCESSED)/*.csv $(PROCESSED)/.cache $(PROCESSED)/.ultimatum $(REPORT)/* $(REPORT)/.ultimatum $(EXPORT)

distclean: clean
	rm -rf $(VENV)
