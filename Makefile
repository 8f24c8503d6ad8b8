# The course's commands. Every target that needs Python first makes sure that .venv exists
# and matches the lock (requirements.txt); a missing or stale .venv is (re)created.
#
#   make book    write the worked-solution pages, execute the notebooks, build _build/html
#   make check   the fast tier, for everyday work (under a minute): unit, property and data
#                tests and lint (pytest -m "not slow"); no notebook runs, no book is built
#   make test    the whole test suite, as CI runs it: the fast tier, plus the book build
#                (each notebook executed once), the exercise pipeline, grading, browser checks
#   make book-student  the book without worked solutions, into _build/student/
#   make exercises     generate exercises/ and the autograder bundles from solutions/
#   make grade ASSIGNMENT=00_warmup SUBMISSIONS=dir   grade a folder of submissions
#                AFTER_DEADLINE=1: the feedback names each failed check, with its code
#   make mistakes [ASSIGNMENT=03_migration_drivers]  grade the catalogue of plausible
#                mistakes and valid alternatives (tests/mistakes/) and print what each scored
#   make lab     JupyterLab on the course
#   make data    regenerate data/ from the seed (deterministic; a test checks it)
#   make bench   run the benchmarks in benchmarks/ and record their results
#   make clean   remove _build/ and caches (keeps .venv; `rm -rf .venv` removes it)
#   make lock    re-resolve requirements.in into the pinned lock requirements.txt

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-from-lock
# The build tools of the venv itself: pip freeze leaves them out of the lock, and the
# editable install (--no-build-isolation) needs a setuptools that builds PEP 660 wheels.
# uv (from PyPI, bootstrapped with pip) installs the lock: the same packages as pip would,
# no dependency resolution (--no-deps), in seconds rather than a minute. --compile-bytecode
# writes the .pyc files at install, as pip does: without them every kernel and worker
# compiles pandas, matplotlib and statsmodels again on import (twice as slow, and for ever
# where PYTHONDONTWRITEBYTECODE is set, as on CI machines).
BUILD_TOOLS := pip==25.3 setuptools==80.9.0 uv==0.13.8
# pytest's options of both tiers: two workers, each test file in one of them (the tests that
# need the built book are in one file and share one build, see tests/conftest.py), files in
# name order, so that the longest, tests/test_book.py, starts first.
PYTEST := $(BIN)/python -m pytest -n 2 --dist loadfile --no-loadscope-reorder

# One BLAS thread per process: the tests run two notebooks at a time on two cores, and a
# GLM with many fixed effects is many times slower when BLAS threads oversubscribe them.
export OPENBLAS_NUM_THREADS ?= 1
export OMP_NUM_THREADS ?= 1

.PHONY: book check test lab clean lock strip data bench exercises grade mistakes book-student chromium

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "error: the course needs Python 3.11 or newer; found " + sys.version.split()[0] + ". Run: make PYTHON=python3.11 ...")'
	@echo "Creating $(VENV) from requirements.txt (first run or the lock changed; takes a few minutes)"
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet $(BUILD_TOOLS)
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python --no-deps -r requirements.txt
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps --no-build-isolation -e .
	touch $(STAMP)

book: $(STAMP) chromium
	$(BIN)/python -m migrationlab book

check: $(STAMP)
	$(PYTEST) -m "not slow"

test: $(STAMP) chromium
	$(PYTEST)

# The browser tests of the built site, and the PDFs of the book and its slides, drive
# Debian's Chromium (Playwright cannot download a
# browser here). Installed when missing and this runs as root with apt-get (CI, a fresh
# machine); otherwise install it yourself or set CHROMIUM to a Chromium or Chrome binary.
chromium:
	@if [ -n "$$CHROMIUM" ] || command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing Chromium for the browser tests (apt-get install chromium)"; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null \
	  || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; }; \
	else \
	  echo "error: the browser tests need Chromium: install it (e.g. sudo apt-get install chromium)"; \
	  echo "or set CHROMIUM=/path/to/chromium; see the README"; exit 1; \
	fi

lab: $(STAMP)
	$(BIN)/python -m migrationlab lab

clean:
	@if [ -x $(BIN)/python ]; then $(BIN)/python -m migrationlab clean; \
	else rm -rf _build .pytest_cache .ruff_cache; fi

strip: $(STAMP)
	$(BIN)/nbstripout --keep-id $$(git ls-files '*.ipynb')

lock:
	rm -rf _build/lock-venv
	$(PYTHON) -m venv _build/lock-venv
	_build/lock-venv/bin/python -m pip install --quiet --upgrade pip
	_build/lock-venv/bin/python -m pip install --quiet -r requirements.in
	{ echo "# Pinned lock of the course environment (Python 3.11), generated by \`make lock\` from"; \
	  echo "# requirements.in. Do not edit by hand."; \
	  _build/lock-venv/bin/python -m pip freeze --exclude-editable \
	  | grep -v -E '^(rfc3987-syntax|lark)=='; } > requirements.txt
	rm -rf _build/lock-venv
	@echo "requirements.txt updated; update the pins in environment.yml to match and run make test."

data: $(STAMP)
	$(BIN)/python -m migrationlab data

bench: $(STAMP)
	@status=0; for script in benchmarks/bench_*.py; do \
	  echo "$$ $(BIN)/python $$script"; $(BIN)/python $$script || status=1; \
	done; exit $$status

exercises: $(STAMP)
	$(BIN)/python -m migrationlab exercises

grade: $(STAMP)
	@if [ -z "$(ASSIGNMENT)" ] || [ -z "$(SUBMISSIONS)" ]; then \
	  echo "usage: make grade ASSIGNMENT=00_warmup SUBMISSIONS=path/to/folder [AFTER_DEADLINE=1]"; exit 2; fi
	$(BIN)/python -m migrationlab grade --assignment $(ASSIGNMENT) --submissions $(SUBMISSIONS) $(if $(AFTER_DEADLINE),--after-deadline)

mistakes: $(STAMP)
	$(BIN)/python -m migrationlab mistakes --hints $(ASSIGNMENT)

book-student: $(STAMP)
	$(BIN)/python -m migrationlab book --student
