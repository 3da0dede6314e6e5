# The two commands: `make demo` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
# The demo always uses the embedded defaults: a SQLite file under instance/ and inline jobs.
DEMO_ENV := REGISTRY_DATABASE_URL= REGISTRY_REDIS_URL= REGISTRY_ENV=development REGISTRY_REQUIRE_2FA_ROLES=
PORT ?= 5000
# `make test` runs the suite a second time with the clock this far ahead (a leap day, too),
# so a test that depends on the day it runs fails now rather than on that day.
FUTURE_TODAY ?= 2032-02-29

.PHONY: demo demo-reset test mutation lint format system-deps bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.runtime

demo: $(VENV)/.runtime
	$(DEMO_ENV) $(FLASK) db upgrade
	$(DEMO_ENV) $(FLASK) seed-demo --scale small
	$(DEMO_ENV) $(FLASK) reminders run
	@$(DEMO_ENV) $(FLASK) demo-accounts
	@echo "Serving on http://127.0.0.1:$(PORT) (Ctrl-C to stop)"
	$(DEMO_ENV) $(FLASK) run --host 127.0.0.1 --port $(PORT)

# Forget the demo database; the next `make demo` builds and seeds it anew.
demo-reset:
	rm -f instance/registry.db

system-deps:
	@bash .ci/system-deps

test: $(VENV)/.dev system-deps
	$(BIN)/ruff check registry tests bench
	$(BIN)/ruff format --check registry tests bench
	$(BIN)/pytest
	@echo "== the suite again with the clock at $(FUTURE_TODAY) (real-process journeys excluded) =="
	REGISTRY_TEST_TODAY=$(FUTURE_TODAY) $(BIN)/pytest -q --ignore=tests/e2e

# Mutation testing of the rule modules (bench/mutation.sh): prints the score and the survivors.
mutation: $(VENV)/.dev
	bash bench/mutation.sh

lint: $(VENV)/.dev
	$(BIN)/ruff check registry tests bench

format: $(VENV)/.dev
	$(BIN)/ruff check --fix registry tests bench
	$(BIN)/ruff format registry tests bench

clean:
	rm -rf $(VENV) instance .pytest_cache mutants mutants.log
