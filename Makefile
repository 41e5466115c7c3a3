# Two commands do all set-up on a fresh machine with Python 3.11:  make run  and  make test.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
UV_VERSION := 0.13.9
PORT ?= 8000
export PORT  # the settings build the default SITE_URL (links in e-mails) from it
MANAGE := $(PY) manage.py
CHROMIUM := /usr/bin/chromium

export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help install run test lint chromium messages clean

help:
	@echo "make run    set up, migrate, load the demo network and serve http://127.0.0.1:$(PORT)"
	@echo "make test   the whole suite (browser tests included)"
	@echo "make lint   ruff, mypy, makemigrations --check"
	@echo "make messages  update and compile the Dutch translation"

$(VENV)/.installed: pyproject.toml uv.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Python 3.11 is needed; set PYTHON=/path/to/python3.11")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@test -x $(UV) || $(PY) -m pip install --quiet "uv==$(UV_VERSION)"
	$(UV) sync --frozen --quiet
	@touch $@

install: $(VENV)/.installed

run: export DJANGO_DEBUG := true
run: install
	$(MANAGE) migrate --noinput
	@if command -v msgfmt >/dev/null; then $(MANAGE) compilemessages --ignore=.venv -v0; \
	  else echo "msgfmt not found: using the compiled translations committed in locale/"; fi
	$(MANAGE) seed_demo
	$(MANAGE) collectstatic --noinput -v0
	@echo
	@echo "  Leerecosysteem runs at http://127.0.0.1:$(PORT)/  (stop with Ctrl-C)"
	@echo "  Log in with a demo login above, password klooz-demo; start with coordinator@example.org"
	@echo
	$(MANAGE) runserver 127.0.0.1:$(PORT)

chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests..."; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null || \
	      { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; }; \
	  else \
	    echo "The browser tests need Chromium at $(CHROMIUM). Install it with: sudo apt-get install chromium"; exit 1; \
	  fi; \
	fi

test: install chromium
	$(PY) -m pytest -n auto --dist loadfile

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy .
	DJANGO_SETTINGS_MODULE=config.settings_test $(MANAGE) makemigrations --check --dry-run

messages: install
	$(MANAGE) makemessages -l nl --ignore=.venv --ignore=var --no-obsolete
	$(MANAGE) compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var/staticfiles
