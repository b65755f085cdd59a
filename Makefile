# Two commands do everything on a fresh machine with Python 3.11 and make:
#   make demo   runs Rashomon on the bundled examples
#   make test   runs lint, types, tests and the quality gates (the same as CI)

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt 2>/dev/null | cksum | cut -d' ' -f1)
SHARED ?= ../shared
DEMO_DB := out/demo.db

.PHONY: demo test install lint types unit eval bench clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev,eval,postgres]'
	rm -f $(VENV)/.installed-*
	touch $@

demo: $(STAMP)
	@mkdir -p out
	$(BIN)/rashomon ingest examples --outlets examples/outlets.csv --db $(DEMO_DB) --quiet
	$(BIN)/rashomon compare examples --outlets examples/outlets.csv --format html -o out/demo.html
	$(BIN)/rashomon compare examples --outlets examples/outlets.csv --format text
	@echo "The same comparison as a self-contained web page: out/demo.html"

lint: $(STAMP)
	$(BIN)/ruff check src tests eval bench

types: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest

# Quality gates on the real datasets in ../shared/eval; each skips (exit 0) where it is absent.
eval: $(STAMP)
	$(BIN)/python eval/seeds.py $(SHARED)/corpus/seeds --check
	$(BIN)/python eval/robustness.py $(SHARED) --check
	$(BIN)/python eval/polnear.py $(SHARED)/eval/polnear --split dev --check
	$(BIN)/python eval/labels.py $(SHARED) --check
	$(BIN)/python eval/stories.py $(SHARED)/eval --check
	$(BIN)/python eval/alignment.py $(SHARED) --check
	$(BIN)/python eval/trust.py $(SHARED) --check

test: lint types unit eval

bench: $(STAMP)
	$(BIN)/python bench/annotate.py
	$(BIN)/python bench/stories.py
	$(BIN)/python bench/compare.py
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/web.py

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
