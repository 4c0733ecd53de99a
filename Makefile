# clusterhub: two commands on a fresh machine (Python 3.11+ and make): `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: install run serve migrate demo test lint test-pg test-concurrency test-browser check-deploy prod prod-check backup restore-check bench clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: $(UV) uv.lock pyproject.toml
	$(UV) sync --frozen --python $(PYTHON) --quiet
	@touch $@

# The nb and uk catalogues compiled for Django (pure Python: no GNU gettext needed).
MO := $(patsubst %.po,%.mo,$(wildcard src/clusterhub/locale/*/LC_MESSAGES/django.po))
$(MO): %.mo: %.po $(VENV)/.synced
	$(PY) -m clusterhub translations_compile

install: $(VENV)/.synced $(MO)

migrate: install
	$(PY) -m clusterhub migrate --no-input
	$(PY) -m clusterhub createcachetable

demo: migrate
	$(PY) -m clusterhub load_demo

# Web server and task worker side by side; Ctrl-C stops both.
run: demo
	@$(PY) -m clusterhub worker --queue-name '*' --no-reload & worker=$$!; \
	trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	echo "clusterhub: serving on http://$(HOST):$(PORT)/ (task worker pid $$worker)"; \
	$(PY) -m clusterhub runserver $(HOST):$(PORT) --noreload

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy
	$(PY) -m clusterhub makemigrations --check --dry-run

test: lint
	$(VENV)/bin/pytest -q -p no:cacheprovider $(PYTEST_ARGS)

# The same suite against PostgreSQL (the database the server on 127.0.0.1 provides).
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test
test-pg: install
	DATABASE_URL=$(PG_TEST_URL) $(VENV)/bin/pytest -q -p no:cacheprovider $(PYTEST_ARGS)

# Only the real-thread races (tests/concurrency, marker `concurrency`), on SQLite then on
# PostgreSQL. `make test` and `make test-pg` already include them; this is the quick loop.
test-concurrency: install
	$(VENV)/bin/pytest -q -p no:cacheprovider -m concurrency --durations=5 tests/concurrency
	DATABASE_URL=$(PG_TEST_URL) $(VENV)/bin/pytest -q -p no:cacheprovider -m concurrency \
	  --durations=5 tests/concurrency

# The browser journey (tests/e2e, marker `browser`; `make test` leaves it out): a live server
# and task worker on a fresh SQLite database, driven by Playwright in Debian's Chromium
# (CHROMIUM=/usr/bin/chromium; apt-get install chromium). Screenshots of every key page, phone
# and desktop, land in var/e2e-screenshots/ (or E2E_SCREENSHOTS). Fails if Chromium is missing.
CHROMIUM ?= /usr/bin/chromium
test-browser: install
	@test -x $(CHROMIUM) || { echo "test-browser: no Chromium at $(CHROMIUM) (apt-get install chromium)" >&2; exit 1; }
	E2E_CHROMIUM=$(CHROMIUM) $(VENV)/bin/pytest -q -p no:cacheprovider -m browser --durations=3 tests/e2e $(PYTEST_ARGS)

check-deploy: install
	DJANGO_PROFILE=production DEBUG=false SECRET_KEY=$$($(PY) -c 'import secrets;print(secrets.token_urlsafe(50))') \
	ALLOWED_HOSTS=clusterhub.example.org $(PY) -m clusterhub check --deploy --fail-level WARNING

# The production profile (docs/deploy.md): PostgreSQL, the Redis cache, gunicorn with several
# workers, whitenoise and the task worker as its own process. On this machine over plain http:
# `make prod LOCAL_HTTP=1 DEMO=1`. DATABASE_URL, REDIS_URL, SECRET_KEY, ALLOWED_HOSTS, BIND,
# WEB_CONCURRENCY and TASK_WORKERS come from the environment (defaults in deploy/prod.sh).
prod: install
	PY=$(PY) deploy/prod.sh

# The whole production chain end to end, then a backup restored and verified (CI runs it).
prod-check: install
	PY=$(PY) deploy/prod_check.sh

# pg_dump of DATABASE_URL into var/backups/ (or FILE=...), and the check that a dump restores.
backup: install
	deploy/backup.sh $(FILE)

restore-check: install
	$(PY) deploy/restore_check.py $(DUMP)

bench: install
	$(PY) bench/programme_page.py
	$(PY) bench/matching.py
	$(PY) bench/scheduling.py
	$(PY) bench/timetabling.py
	$(PY) bench/scale.py

clean:
	rm -rf $(VENV) $(TOOLS) var
