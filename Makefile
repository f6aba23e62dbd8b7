# Stochastic Thermodynamics of Learning -- two commands do everything:
#   make book   set up .venv and build the website (executing every notebook)
#   make test   set up .venv, build the website and run the test suite
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
JB     := $(VENV)/bin/jupyter-book
STAMP  := $(VENV)/.installed

.PHONY: help setup book test test-fast data bench bench-build lint clean chromium

help:
	@echo "make book   build the website into _build/html (sets up .venv first)"
	@echo "make test   build the website and run the test suite (what CI runs)"
	@echo "make data   regenerate every published sweep in full mode (slow)"
	@echo "make bench  run the performance benchmarks"
	@echo "make bench-build  time make book and make test on fresh clones (about 10 min)"
	@echo "make lint   ruff"
	@echo "make clean  remove _build and the numba caches"

# The virtual environment, the pinned requirements and the package (editable).
$(STAMP): requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

# MathJax from npm (package-lock.json), served from the built site: math renders offline.
NODE_STAMP := node_modules/.package-lock.json
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

setup: $(STAMP) $(NODE_STAMP)

# Headless Chromium from Debian's packages, for tests/test_browser.py (which skips, saying
# why, where it is missing). Installing needs root; without it the target only warns.
chromium:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } || \
	  echo "warning: could not install chromium; the browser test will be skipped"

# No progress bars in the executed notebooks of the book or in the test logs.
book test: export THERMO_PROGRESS = 0

book: $(STAMP) $(NODE_STAMP)
	$(JB) build . -W -n --keep-going
	@echo "Book built: $(CURDIR)/_build/html/index.html"

# CI: the book must build from the committed data (no silent recomputation of
# full-mode sweeps), then the tests run, including every notebook in quick mode.
test: $(STAMP) $(NODE_STAMP) chromium
	THERMO_SWEEP_COMPUTE=never $(JB) build . -W -n --keep-going
	$(PY) -m pytest

# Tests only, without building the book (the built-book tests are skipped).
test-fast: $(STAMP)
	$(PY) -m pytest -m "not notebook"

# make data [WORKERS=N] [SCHEDULER=tcp://host:8786] [FORCE=1] [DRY_RUN=1]
data: $(STAMP)
	$(PY) -m thermo sweep run all --mode full $(if $(WORKERS),--workers $(WORKERS)) \
	  $(if $(SCHEDULER),--scheduler $(SCHEDULER)) $(if $(FORCE),--force) $(if $(DRY_RUN),--dry-run)

bench: $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[bench]"
	$(PY) benchmarks/run.py

bench-build: $(STAMP)
	$(PY) benchmarks/build_times.py

lint: $(STAMP)
	$(VENV)/bin/ruff check thermo tests benchmarks chapters
	$(VENV)/bin/ruff format --check thermo tests benchmarks

clean:
	rm -rf _build chapters/figures appendix/figures test-artifacts
	find . -name __pycache__ -not -path "./.venv/*" -prune -exec rm -rf {} +
