# Two commands do all set-up on a fresh machine with Python 3.11, 3.12 or 3.13:  make run  and  make test.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# The Python versions we test, newest first. make takes the first of python3.13, python3.12,
# python3.11 and python3 on the PATH that runs and is one of them, or the one given as PYTHON=...
# Each copy on the PATH is run, not only looked up: a pyenv shim is there even for a version that
# pyenv has not activated, fails when run, and may hide a working /usr/bin/python3.13 behind it.
# (pyproject.toml allows any newer Python too; make holds to the versions CI runs the suite on.)
PYTHON_VERSIONS := 3.13 3.12 3.11
PYTHON_PROBE := import sys; v = "%d.%d" % sys.version_info[:2]; \
  print(sys.executable, v, sys.version.split()[0]) if v in sys.argv[1:] else sys.exit(1)
PYTHON_WANTED := $(strip $(PYTHON))
PYTHON_CANDIDATES := $(or $(PYTHON_WANTED),$(addprefix python,$(PYTHON_VERSIONS)) python3)
PYTHON_FOUND := $(shell for name in $(PYTHON_CANDIDATES); do for p in $$(type -ap "$$name"); do \
  "$$p" -c '$(PYTHON_PROBE)' $(PYTHON_VERSIONS) 2>/dev/null && break 2; done; done)
override PYTHON := $(word 1,$(PYTHON_FOUND))
PYTHON_VERSION := $(word 2,$(PYTHON_FOUND))
comma := ,
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

.PHONY: help python install run test lint chromium messages clean

help:
	@echo "make run    set up, migrate, load the demo network and serve http://127.0.0.1:$(PORT)"
	@echo "make test   the whole suite (browser tests included)"
	@echo "make lint   ruff (check and format), mypy, import contracts, makemigrations --check"
	@echo "make messages  update and compile the Dutch translation"
	@echo "make python    which Python make uses (the newest of $(PYTHON_VERSIONS) found; PYTHON=... for another)"

python:
ifeq ($(PYTHON),)
	@echo "Leerecosysteem runs on Python $(subst $() ,$(comma) ,$(PYTHON_VERSIONS)), and make found none:"
ifneq ($(PYTHON_WANTED),)
	@echo "  PYTHON=$(PYTHON_WANTED) says: $$("$(PYTHON_WANTED)" --version 2>&1 | head -n 1)"
else
	@echo "  none of $(PYTHON_CANDIDATES) on the PATH is one of them"
endif
	@echo "Install one, for example:  sudo apt-get install python3 python3-venv   (Debian 13 gives 3.13, Ubuntu 24.04 3.12)"
	@echo "or name one that is elsewhere:  make run PYTHON=/path/to/python3.12"
	@exit 1
else
	@echo "Python $(word 3,$(PYTHON_FOUND)) at $(PYTHON)$(if $(PYTHON_WANTED),, (the newest supported on the PATH; PYTHON=... for another))"
endif

# The stamp names the Python version, so choosing another version (a newer Python installed, or
# PYTHON=...) re-runs this recipe, which then rebuilds .venv rather than leave it on the old one.
# The same version elsewhere (/usr/bin/python3.12 or pyenv's) keeps the venv as it is.
$(VENV)/.installed-$(PYTHON_VERSION): pyproject.toml uv.lock | python
	@built="$$($(PY) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)"; \
	  if [ -e $(VENV) ] && [ "$$built" != $(PYTHON_VERSION) ]; then \
	    echo "$(VENV) was built with Python $${built:-that is gone}: rebuilding it with $(PYTHON_VERSION)"; rm -rf $(VENV); fi
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); exit 1; }
	@test -x $(UV) || $(PY) -m pip install --quiet "uv==$(UV_VERSION)"
	$(UV) sync --frozen --quiet
	@touch $@

install: $(VENV)/.installed-$(PYTHON_VERSION)

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
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(VENV)/bin/lint-imports --no-cache
	DJANGO_SETTINGS_MODULE=config.settings_test $(MANAGE) makemigrations --check --dry-run

messages: install
	$(MANAGE) makemessages -l nl --ignore=.venv --ignore=var --no-obsolete
	$(MANAGE) compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var/staticfiles
