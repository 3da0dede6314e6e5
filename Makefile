# The two commands: `make demo` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
# The demo always uses the embedded defaults: a SQLite file under instance/ and inline jobs.
DEMO_ENV := REGISTRY_DATABASE_URL= REGISTRY_REDIS_URL=

.PHONY: demo test lint format system-deps bench clean

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
	@$(DEMO_ENV) $(FLASK) demo-accounts
	@echo "Serving on http://127.0.0.1:5000 (Ctrl-C to stop)"
	$(DEMO_ENV) $(FLASK) run --host 127.0.0.1 --port 5000

system-deps:
	@bash .ci/system-deps

test: $(VENV)/.dev system-deps
	$(BIN)/ruff check registry tests bench
	$(BIN)/ruff format --check registry tests bench
	$(BIN)/pytest

lint: $(VENV)/.dev
	$(BIN)/ruff check registry tests bench

format: $(VENV)/.dev
	$(BIN)/ruff check --fix registry tests bench
	$(BIN)/ruff format registry tests bench

clean:
	rm -rf $(VENV) instance .pytest_cache
