# The commands the README names. `make run` and `make test` each set everything up first.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
NAME ?=

.PHONY: run test bench setup venv db migrate messages demo lint browser stop-db

run: setup demo
	$(MANAGE) runserver 0.0.0.0:8000

test: setup browser lint
	$(VENV)/bin/pytest $(PYTEST_ARGS)

bench: setup
	@if [ -n "$(NAME)" ]; then $(PY) bench/run.py $(NAME); else $(PY) bench/run.py; fi

setup: venv db migrate messages

# The virtual environment is rebuilt only when pyproject.toml or constraints.txt changes.
# constraints.txt pins every transitive dependency to the set the suite passed with
# (regenerate: .venv/bin/pip freeze --exclude-editable > constraints.txt).
venv: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml constraints.txt
	@command -v msgfmt >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; }
	test -d $(VENV) || python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e ".[dev]" -c constraints.txt
	touch $@

db:
	@scripts/db.sh start

stop-db:
	@scripts/db.sh stop

migrate:
	$(MANAGE) bootstrap_platform

messages:
	@$(MANAGE) compilemessages -v 0 --ignore=.venv --ignore=.pgdata --ignore=node_modules

demo:
	$(MANAGE) load_demo

# Debian's Chromium for the browser journeys (Playwright drives it; it downloads no browser).
browser:
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || { echo "Install Chromium: sudo apt-get install chromium" >&2; exit 1; }

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
