# Baromètre — the two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
DATABASE_URL_PG ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: run setup install system-deps npm-deps test test-sqlite test-postgres lint typecheck bench bench-r clean messages

# The background worker (console jobs, e-mails) runs beside the server and stops with it.
run: setup
	$(BIN)/barometre manage db_worker --queue-name '*' --verbosity 0 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT; \
	  DEBUG=$${DEBUG:-1} $(BIN)/barometre serve --host 127.0.0.1 --port 8000

setup: install
	$(BIN)/barometre manage migrate --no-input
	$(BIN)/barometre demo

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q uv==0.13.8
	$(BIN)/uv pip sync -q requirements.lock --python $(PY)
	$(BIN)/uv pip install -q --no-deps -e . --python $(PY)
	touch $(STAMP)

install: $(STAMP) locale/en/LC_MESSAGES/django.mo

# Extract the interface strings, then fill English from locale/en/translations.yaml (reviewed source).
messages: $(STAMP)
	cd src/barometre && DJANGO_SETTINGS_MODULE=barometre.web.settings ../../$(PY) -c "import django; django.setup(); \
	  from django.core.management import call_command; \
	  call_command('makemessages', locale=['en'], no_location=True, ignore_patterns=['static/*', 'core/report/*'])"
	$(PY) scripts/po_fill.py locale/en/LC_MESSAGES/django.po locale/en/translations.yaml

locale/en/LC_MESSAGES/django.mo: locale/en/LC_MESSAGES/django.po
	msgfmt --check -o $@ $<

system-deps:
	bash scripts/install-system-deps.sh

npm-deps:
	bash scripts/install-npm-deps.sh

lint: install
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

typecheck: install
	$(BIN)/mypy

test: install system-deps npm-deps
	bash scripts/test.sh

test-sqlite: install
	DATABASE_URL= bash scripts/test.sh sqlite

test-postgres: install
	DATABASE_URL=$(DATABASE_URL_PG) bash scripts/test.sh postgres

bench: install
	$(PY) -m benchmarks.run

bench-r: install
	bash scripts/install-r.sh
	$(PY) -m benchmarks.run --with-r

clean:
	rm -rf $(VENV) var node_modules
