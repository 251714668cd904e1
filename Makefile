# One Front Door: `make run` runs the whole service, `make test` runs every test.
# Both set up the virtual environment from the pinned lock first (only when the lock changed).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# The browser tests drive Debian's chromium (Playwright's own browser downloads are not used).
CHROMIUM := /usr/bin/chromium

.PHONY: run test lint format train bench eval-nlu translations clean browser

# Compiled catalogs (.mo) are built from the reviewed sources (.po), never committed.
CATALOGS := $(wildcard locales/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGS:.po=.mo)

run: $(INSTALLED) $(COMPILED)
	$(BIN)/python -m server.launch

test: $(INSTALLED) $(COMPILED) browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(INSTALLED)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

train: $(INSTALLED)
	$(BIN)/python -m server.launch --prepare-only

# Performance against stock Rasa on this machine (docs/deployment.md); takes several minutes.
bench: $(INSTALLED) $(COMPILED)
	$(BIN)/python -m bench.service_bench --pauses 0,3

# NLU quality (docs/triage.md): the frozen set (data/eval/), the model before this work and
# now side by side, then cross-validation; several minutes. ARGS=--dev: the development set.
eval-nlu: $(INSTALLED) $(COMPILED)
	$(BIN)/python -m bench.eval_nlu $(ARGS)

# After changing any English text: refresh the template and every catalog (docs/languages.md).
translations: $(INSTALLED)
	PYTHONPATH=. $(BIN)/pybabel extract --no-location --omit-header --width 100 -F babel.cfg -o locales/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching --width 100 -i locales/messages.pot -d locales -D messages

locales/%/LC_MESSAGES/messages.mo: locales/%/LC_MESSAGES/messages.po $(INSTALLED)
	$(BIN)/pybabel compile --statistics -i $< -o $@

browser:
	test -x $(CHROMIUM) || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium)

$(INSTALLED): requirements/lock.txt requirements/rasa.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --no-deps --disable-pip-version-check -r requirements/lock.txt
	# rasa and rasa-sdk declare Python <3.11; their real dependencies are pinned in the lock.
	$(BIN)/python -m pip install --quiet --no-deps --ignore-requires-python --disable-pip-version-check -r requirements/rasa.txt
	touch $@

clean:
	rm -rf $(VENV) models instance .pytest_cache .ruff_cache
