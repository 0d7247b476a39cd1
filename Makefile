# Two commands do all the set-up on a fresh machine with Python 3.11+:
#   make run    installs kinoclub into .venv and starts the bot (needs KINOCLUB_TOKEN)
#   make test   installs kinoclub with its test tools into .venv, lints, and runs the whole suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench playground clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/kinoclub run

$(VENV)/.installed-playground: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[playground]'
	touch $@ $(VENV)/.installed

# The bot in a simulated Discord server, no token needed; e.g. make playground ARGS='--script'
playground: $(VENV)/.installed-playground
	$(BIN)/kinoclub playground $(ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .

test: lint
	$(BIN)/python -m pytest -q

# The whole suite at 10k, 100k and 1M films (~15 min); make bench ARGS=--quick is CI's 10-second size
bench: $(VENV)/.installed-dev
	$(BIN)/python -m benchmarks $(ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
