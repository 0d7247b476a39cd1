# Two commands do all the set-up on a fresh machine with Python 3.11+:
#   make run    installs kinoclub into .venv and starts the bot (needs KINOCLUB_TOKEN)
#   make test   installs kinoclub with its test tools into .venv, lints, and runs the whole suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench playground clean messages language

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

# Translations (README, "Adding a language"). Collect every marked string and every command string into
# the templates, then carry them into each language's catalogs (new ones come untranslated: make test says which).
messages: $(VENV)/.installed-dev
	$(BIN)/pybabel -q extract -F bot/locale/babel.cfg -k N_ -k counted:2,3 -k pgettext:1c,2 -k NC_:1c,2 --no-location \
		--sort-output --project kinoclub -o bot/locale/kinoclub.pot bot cogs
	$(BIN)/python -m bot.ui.translator
	$(BIN)/pybabel -q update -D kinoclub -i bot/locale/kinoclub.pot -d bot/locale --no-fuzzy-matching
	$(BIN)/pybabel -q update -D commands -i bot/locale/commands.pot -d bot/locale --no-fuzzy-matching

# A new language's catalogs: make language CODE=uk
language: $(VENV)/.installed-dev
	@test -n "$(CODE)" || { echo "make language CODE=xx (an ISO 639 code, e.g. uk)"; exit 2; }
	$(BIN)/pybabel init -D kinoclub -i bot/locale/kinoclub.pot -d bot/locale -l $(CODE)
	$(BIN)/pybabel init -D commands -i bot/locale/commands.pot -d bot/locale -l $(CODE)
