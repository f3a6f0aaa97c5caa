# make run   – set everything up (virtualenv, packages, SQLite, demo data) and serve on :8000
# make test  – the whole test suite (SQLite, or PostgreSQL when DATABASE_URL is set)

SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# A Python >= 3.12: $(PYTHON) if given, else the first on PATH, else pyenv's installed versions.
PYTHON ?= $(shell for c in python3.13 python3.12 python3 python; do \
	  p=$$(command -v $$c 2>/dev/null) && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; exit 0; }; \
	done; \
	for p in $$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
	  $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; exit 0; }; \
	done)

.PHONY: help python-check run test setup venv system-deps browser-deps messages lint format check clean bench-render bench-deps bench-public bench-scale bench-load bench-distribution

help:
	@echo "make run    set up and serve the newsroom with demo data at http://$(HOST):$(PORT)/"
	@echo "make test   run the whole test suite"

python-check:
	@if [ -z "$(PYTHON)" ]; then \
	  echo "No Python 3.12 or newer was found: install Python 3.12 (for example 'apt-get install python3.12' or 'pyenv install 3.12'), or run make with PYTHON=/path/to/python3.12."; \
	  exit 1; fi

# WeasyPrint needs Pango and HarfBuzz (with its subsetter); gettext compiles the translations.
system-deps:
	@missing=""; \
	ldconfig -p | grep -q 'libpango-1.0.so.0' || missing="$$missing libpango-1.0-0"; \
	ldconfig -p | grep -q 'libpangoft2-1.0.so.0' || missing="$$missing libpangoft2-1.0-0"; \
	ldconfig -p | grep -q 'libharfbuzz-subset.so.0' || missing="$$missing libharfbuzz-subset0"; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing system libraries:$$missing"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing) >/dev/null; \
	  else \
	    echo "Missing system libraries. Run: sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

# Debian's Chromium for the browser tests (Playwright cannot download browsers here).
browser-deps:
	@if ! command -v chromium >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Chromium for the browser tests"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils) >/dev/null; \
	  else \
	    echo "The browser tests need Chromium. Run: sudo apt-get install -y chromium"; exit 1; \
	  fi; \
	fi

$(VENV)/.installed: requirements.txt requirements-dev.txt | python-check
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install -q --upgrade pip
	@$(PY) -m pip install -q -r requirements-dev.txt
	@touch $@

venv: $(VENV)/.installed

messages: venv system-deps
	@if find locale releases -name '*.po' 2>/dev/null | grep -q .; then \
	  DJANGO_SETTINGS_MODULE=config.settings.dev $(PY) manage.py compilemessages --ignore '.venv' -v 0; fi

setup: venv system-deps messages
	@mkdir -p var
	@$(PY) manage.py migrate --noinput -v 0
	@$(PY) manage.py load_demo

run: setup
	@echo ""
	@echo "  Newsroom:  http://$(HOST):$(PORT)/"
	@echo "  Admin:     http://$(HOST):$(PORT)/admin/"
	@echo "  Logins:    writer / writer-demo-2024   reviewer / reviewer-demo-2024"
	@echo "             publisher / publisher-demo-2024   admin / admin-demo-2024"
	@echo "  Worker:    manage.py db_worker runs beside the server (email alerts, webhooks; mail shows on this console)"
	@echo ""
	@$(PY) manage.py distribution_sweep --schedule >/dev/null
	@$(PY) manage.py db_worker --no-reload & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	  $(PY) manage.py runserver $(HOST):$(PORT)

test: venv system-deps browser-deps messages
	@$(PY) -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

lint:
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .

format:
	@$(VENV)/bin/ruff check --fix .
	@$(VENV)/bin/ruff format .

check: venv
	@DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py check
	@DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run

bench-render: venv system-deps
	@DJANGO_SETTINGS_MODULE=config.settings.test $(PY) bench/bench_render.py

# The production benchmarks drive gunicorn with wrk and start their own redis-server.
bench-deps:
	@missing=""; \
	command -v wrk >/dev/null || missing="$$missing wrk"; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing for the benchmarks:$$missing"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing) >/dev/null; \
	  else \
	    echo "The benchmarks need:$$missing. Run: sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

# Production settings, gunicorn, PostgreSQL (SMOKE_POSTGRES_URL), Redis: release page, PDF, index vs static copies.
bench-public: venv system-deps bench-deps
	@$(PY) bench/bench_public.py $(BENCH_ARGS)

# 100,000 synthetic releases in PostgreSQL (BENCH_DATABASE_URL, default .../newsroom_bench): latency and queries.
bench-scale: venv system-deps
	@$(PY) bench/bench_scale.py $(BENCH_ARGS)

# 50 clients for 60 s on a mixed workload, then 100 pollers at a publication moment, under production settings.
bench-load: venv system-deps bench-deps
	@$(PY) bench/bench_load.py $(BENCH_ARGS)

# One release to 10,000 subscribers through a local SMTP server: messages per second, the worker's peak memory.
bench-distribution: venv system-deps
	@$(PY) bench/bench_distribution.py

clean:
	rm -rf $(VENV) var/db.sqlite3* var/media var/staticfiles
