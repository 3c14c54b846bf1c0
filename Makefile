# Two commands on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SURVEY ?= surveys/keep-it-local.yaml
HOST ?= 127.0.0.1
PORT ?= 5000
CHROMIUM ?= /usr/bin/chromium

.PHONY: run demo install constraints test test-deps browser-deps db clean bench translations

# constraints.txt holds the versions the suite last passed with, so a fresh machine installs those.
$(BIN)/consult: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	@touch $@

install: $(BIN)/consult

# After changing a dependency in pyproject.toml and a green `make test`: record what the suite passed with.
constraints: install
	{ grep '^#' constraints.txt; $(BIN)/pip freeze --exclude-editable; } > constraints.txt.new
	mv constraints.txt.new constraints.txt

db: install
	@mkdir -p instance
	$(BIN)/consult db upgrade
	$(BIN)/consult surveys load $(SURVEY) --open

run: db
	$(BIN)/consult serve --host $(HOST) --port $(PORT)

# The Keep it Local consultation filled with clearly labelled demonstration responses, codes and a
# double-coded sample; prints a demo admin's password, then serves. Needs a database without real responses.
demo: db
	$(BIN)/consult demo --survey keep-it-local --responses $(or $(RESPONSES),500)
	$(BIN)/consult serve --host $(HOST) --port $(PORT)

# Chromium (Debian's build) drives the browser tests; axe-core checks accessibility.
browser-deps:
	@test -x $(CHROMIUM) || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation; }
	@test -f node_modules/axe-core/axe.min.js || npm ci --silent --no-audit --no-fund

test-deps: install browser-deps

# The suite in TEST_WORKERS processes (pytest-xdist): each module whole on one worker, the browser tests
# together on one, every worker with its own database (tests/conftest.py).
TEST_WORKERS ?= 2
test: test-deps
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# After changing text on a public page: collect it into the catalogues (the app compiles them when it starts).
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k N_ --ignore-dirs '.*' --no-location --sort-output -o consult/translations/messages.pot .
	$(BIN)/pybabel update -i consult/translations/messages.pot -d consult/translations --ignore-obsolete -N -w 120

bench: install
	$(BIN)/python bench/submit_load.py

clean:
	rm -rf $(VENV) node_modules instance .pytest_cache
