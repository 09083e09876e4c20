# Lotse — the two commands: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LOTSE := $(BIN)/lotse
PORT ?= 8000
FAMILIES ?= 200

.DEFAULT_GOAL := help
.PHONY: help install demo serve test lint typecheck migrations-check translations-check \
	pytest test-postgres bench fuzz messages clean deploy-test loadtest

help:
	@echo "make demo   - install, load the demo city and serve it on http://127.0.0.1:$(PORT)"
	@echo "make test   - lint, types, migrations and translations checks, the whole test suite"
	@echo "make bench  - performance measurements, printed as a table"
	@echo "make fuzz   - property tests with many more examples, schemathesis over the API"
	@echo "make messages - update the translation catalogues after changing texts"
	@echo "make deploy-test - two app nodes behind nginx on PostgreSQL: smoke test, one node killed"
	@echo "make loadtest - mixed caseworker load on the 100k-person city, one node killed halfway"

# --- installation (stamp files make a second run take seconds) ---------------------------------
$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Lotse needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

locale/.compiled: $(VENV)/.installed $(wildcard locale/*/LC_MESSAGES/django.po)
	$(LOTSE) compilemessages --ignore=.venv --ignore=node_modules -v0
	touch $@

install: $(VENV)/.installed node_modules/.installed locale/.compiled

# --- the demo -------------------------------------------------------------------------------------
demo: install
	@mkdir -p var
	$(LOTSE) migrate --no-input -v0
	$(LOTSE) seed_demo --families $(FAMILIES) --print-logins
	@echo ""
	@echo "Lotse runs on http://127.0.0.1:$(PORT)/ — stop it with Ctrl+C."
	$(LOTSE) runserver 127.0.0.1:$(PORT) --skip-checks

# --- checks and tests ---------------------------------------------------------------------------
lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed
	$(BIN)/mypy .

migrations-check: $(VENV)/.installed
	LOTSE_ENV=test $(LOTSE) makemigrations --check --dry-run

translations-check: $(VENV)/.installed
	LOTSE_ENV=test $(LOTSE) check_translations

# Two workers (the machine's cores); PYTEST_WORKERS=0 runs everything in one process.
PYTEST_WORKERS ?= 2
pytest: install
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

test: lint typecheck migrations-check translations-check pytest

messages: $(VENV)/.installed
	LOTSE_ENV=test $(LOTSE) check_translations --update-only

BENCH_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/lotse_bench
bench: install
	LOTSE_ENV=test $(LOTSE) bench
	@if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then \
		LOTSE_ENV=test LOTSE_TEST_DATABASE_URL=$(BENCH_POSTGRES_URL) $(LOTSE) bench; \
	else echo "PostgreSQL is not reachable on 127.0.0.1:5432: measured on SQLite only."; fi

# The property tests with the hypothesis profile "fuzz", then schemathesis over every API
# operation with FUZZ_EXAMPLES examples each (tests/fuzz, marker "fuzz"; not in `make test`).
FUZZ_EXAMPLES ?= 500
fuzz: install
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest -m "not browser and not fuzz" -q -p no:cacheprovider $(PYTEST_ARGS) \
		$$(grep -rl --include='test_*.py' -e '@given' -e 'RuleBasedStateMachine' lotse tests)
	LOTSE_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest -m fuzz -q -p no:cacheprovider -n 2 $(PYTEST_ARGS) tests/fuzz

# --- production deployment (deploy/README.md) ---------------------------------------------------
# nginx (and wrk for the load test) come from Debian; installed here when missing (needs root).
define debian_package
	@command -v $(1) >/dev/null 2>&1 || test -x /usr/sbin/$(1) || { \
		echo "== installing $(2) from Debian"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) >/dev/null; }
endef

# A fresh PostgreSQL database on 127.0.0.1:5432, the demo city, two gunicorn app nodes behind
# nginx (https, self-signed), the smoke test through the proxy, one node killed mid-load;
# everything torn down afterwards. About two minutes.
deploy-test: install
	$(call debian_package,nginx,nginx)
	$(BIN)/python deploy/test/deploy_test.py $(DEPLOY_TEST_ARGS)

# The same deployment on a copy of the 100k-person city (built once and kept in the database
# lotse_loadtest_city; LOADTEST_ARGS=--rebuild-city builds it anew), a mixed caseworker load
# with wrk, then again with one node killed halfway. Not in CI: about ten minutes, the first
# run longer (building the city).
loadtest: install
	$(call debian_package,nginx,nginx)
	$(call debian_package,wrk,wrk)
	$(BIN)/python deploy/test/loadtest.py $(LOADTEST_ARGS)

clean:
	rm -rf $(VENV) node_modules var locale/.compiled
