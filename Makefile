# speerpunt — two commands: `make run` and `make test`.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed

PORT    ?= 8000
# Boundaries for the maps are read from a folder outside the package; ../shared/data/geo when present.
GEO_DIR ?= $(wildcard ../shared/data/geo)
GEO_OPT := $(if $(GEO_DIR),--geo-dir $(GEO_DIR))

.PHONY: run serve test bench lint report setup services clean lock assets

# Every dependency is installed at the exact version in constraints.txt (the lock file).
PIP_VERSION := 26.3

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet 'pip==$(PIP_VERSION)'

$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

# Re-resolve the lock file from pyproject.toml's ranges in a scratch environment, then install from it.
lock:
	rm -rf .lock-venv
	$(PY) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet 'pip==$(PIP_VERSION)'
	.lock-venv/bin/pip install --quiet '.[dev]'
	{ echo '# Exact versions of every dependency, used by make (pip install -c constraints.txt).'; \
	  echo '# Regenerate after changing pyproject.toml: make lock'; \
	  .lock-venv/bin/pip freeze --exclude-editable | grep -v '^speerpunt'; } > constraints.txt
	rm -rf .lock-venv

setup: $(STAMP)

# The main job (indicator table and Dutch report for BE21 in out/), then the web application.
run: $(STAMP)
	$(BIN)/speerpunt run --out out
	$(MAKE) --no-print-directory serve

serve: $(STAMP)
	mkdir -p out
	$(BIN)/speerpunt serve --port $(PORT) --db sqlite:///$(CURDIR)/out/speerpunt.sqlite --data be-employment $(GEO_OPT)

report: $(STAMP)
	$(BIN)/speerpunt report --data be-employment --region BE21 --reference BE --lang nl --out out

# Browser libraries (Leaflet) from assets/package-lock.json into the package's static folder. The copied
# files are committed, so `make run` and `make test` need no npm; run this after changing assets/package.json.
assets:
	bash scripts/vendor-assets

services:
	bash scripts/setup-services

test: $(STAMP)
	bash scripts/setup-services
	$(BIN)/python -m pytest -q -n 2 src tests

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/firms.py
	$(BIN)/python benchmarks/read.py

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

clean:
	rm -rf $(VENV) out .pytest_cache
