# The commands the README names. `make run` and `make test` each set everything up first.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
NAME ?=

# `make run HOST=0.0.0.0 PORT=9000 WORKERS=4 DEMO=0`
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= $(shell echo $$(( $$(nproc) * 2 + 1 )))
# DEMO=1 (the default) serves the demo regions and accounts from their own database,
# jejaring_demo; DEMO=0 serves the clean platform in the database `jejaring`, which the demo
# loader never touches (create the first staff account with `manage.py create_staff`).
DEMO ?= 1
export HOST PORT WORKERS
# Absolute links (e-mails, the demo's printed addresses) use this port: the demo loaded by
# `make run PORT=9000` (or `make dev`, `make demo`) links to :9000, like the server it runs.
export JEJARING_PORT ?= $(PORT)
export JEJARING_PG_DB ?= $(if $(filter 0,$(DEMO)),jejaring,jejaring_demo)
# The test cluster (scripts/db.sh): separate data directory and port; pytest uses nothing else.
JEJARING_TEST_PG_PORT ?= 54339
export JEJARING_TEST_PG_PORT
TEST_DATABASE_URL := postgres://jejaring@127.0.0.1:$(JEJARING_TEST_PG_PORT)/jejaring

# A step's announcement: the time and what is being done (make run reports its progress).
, := ,
step = @printf '==> %s  %s\n' "$$(date +%T)" "$(1)"

.PHONY: html-checker run dev test bench setup venv env db test-db migrate messages data demo static lint \
	tasks-drained \
	browser stop-db pgbouncer pooler backup restore pgbackrest haproxy cluster

# Each step says what it does and when it starts; what has not changed since the last run is
# skipped (the packages, the compiled catalogues, the collected static files), and the static
# files are collected while the database is migrated and the demo loaded (make -j).
run: venv env db
	@$(MAKE) --no-print-directory -j3 data static
	$(call step,Serving: gunicorn$(,) the task worker and the scheduler on http://$(HOST):$(PORT)/)
	@scripts/serve.sh

# The auto-reloading development server with DEBUG on (tasks run inline, e-mail to the console).
dev: setup data
	DJANGO_DEBUG=true JEJARING_PORT=$(PORT) $(MANAGE) runserver $(HOST):$(PORT)

# Never touches the app cluster: pytest runs on the throw-away test cluster only, in one process
# per core (pytest-xdist; each worker clones its own database from the one template, see
# tests/db_template.py). `make test TEST_WORKERS=0` runs in one process; the 25 slowest tests
# are listed at the end.
TEST_WORKERS ?= auto
test: venv test-db messages browser html-checker pgbouncer pgbackrest haproxy lint
	JEJARING_REQUIRE_TEST_TOOLS=1 DATABASE_URL=$(TEST_DATABASE_URL) $(VENV)/bin/pytest \
		-n $(TEST_WORKERS) --durations=25 $(PYTEST_ARGS)

bench: setup demo static tasks-drained
	@if [ -n "$(NAME)" ]; then $(PY) bench/run.py $(NAME); else $(PY) bench/run.py; fi

setup: venv env db migrate messages

# The virtual environment is rebuilt only when pyproject.toml or constraints.txt changes.
# constraints.txt pins every transitive dependency to the set the suite passed with
# (regenerate: .venv/bin/pip freeze --exclude-editable > constraints.txt).
venv: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml constraints.txt
	@command -v msgfmt >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; }
	@# WeasyPrint (the semester report's PDF) needs Pango.
	@dpkg -s libpango-1.0-0 libpangoft2-1.0-0 >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null; } || { echo "WeasyPrint needs Pango: apt-get install libpango-1.0-0 libpangoft2-1.0-0 (as root)" >&2; exit 1; }
	$(call step,Python packages: installing the pinned set into $(VENV) (the first time about 2 minutes))
	test -d $(VENV) || python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q --progress-bar off -e ".[dev]" -c constraints.txt
	touch $@

# .env (ignored, mode 600): the secret key and the database password, generated once.
env:
	@scripts/env.sh

db: env
	$(call step,PostgreSQL: starting the project's own cluster)
	@scripts/db.sh start app

test-db:
	@scripts/db.sh start test

stop-db:
	@scripts/db.sh stop app; scripts/db.sh stop test

migrate: venv db
	$(call step,Database: migrating the platform and every region (the first time about a minute))
	@$(MANAGE) bootstrap_platform

# The translations: each catalogue compiled when its .po is newer than its .mo (msgfmt, as
# Django's compilemessages runs it).
PO_FILES := $(shell find . \( -path ./.venv -o -path ./node_modules -o -path ./.pgdata \
	-o -path ./static_collected -o -path ./media \) -prune -o -path '*/LC_MESSAGES/*.po' -print)
messages: $(PO_FILES:.po=.mo)
%.mo: %.po | $(VENV)/.installed
	@msgfmt --check-format -o $@ $<

# Demo data unless DEMO=0.
data: migrate messages
	@if [ "$(DEMO)" != 0 ]; then $(MAKE) --no-print-directory demo; fi

# The demo's side effects (its e-mails, the signature checks of its 126 documents: a child
# process each) are queued for the task worker that `make run` starts, as a real upload's are,
# instead of holding up the first page for minutes; `make bench` runs them out first.
demo:
	$(call step,Demo: loading the demo regions$(,) accounts and agreements (the first time about a minute))
	@TASKS_BACKEND=django_tasks_db.DatabaseBackend $(MANAGE) load_demo

# The queued tasks run out (the demo's), so that no benchmark measures the worker catching up.
tasks-drained:
	$(call step,Tasks: running what is queued before measuring)
	@TASKS_BACKEND=django_tasks_db.DatabaseBackend $(MANAGE) db_worker --batch --no-startup-delay -v 0

# Static files for DEBUG off (WhiteNoise's compressed manifest storage), collected again only
# when a static file, the settings or the packages changed (the stamp in .make/).
STATIC_SOURCES := $(shell find . \( -path ./.venv -o -path ./node_modules -o -path ./.pgdata \
	-o -path ./static_collected -o -path ./media \) -prune -o -path '*/static/*' -type f -print)
static: .make/static.stamp
.make/static.stamp: $(VENV)/.installed $(STATIC_SOURCES) portal/settings/__init__.py
	$(call step,Static files: collecting and compressing them (the first time about a minute))
	@DJANGO_DEBUG=false $(MANAGE) collectstatic --noinput -v 0
	@mkdir -p .make && touch $@
	$(call step,Static files: ready)

# Backups of the app cluster with pgBackRest (WAL archived continuously once set up) and of the
# uploaded files (scripts/backup.sh; README, Operations). `make backup` (TYPE=full forces a full
# one); `make restore` to the latest state, `make restore TARGET="2026-12-07 10:00:00+07"` to a
# point in time; DRY_RUN=1 only says what it would do, YES=1 skips the confirmation.
TYPE ?= incr
backup: env db
	@scripts/backup.sh backup $(TYPE)

restore: env
	@scripts/backup.sh restore "$(or $(TARGET),latest)" $(if $(filter 1,$(DRY_RUN)),--dry-run) $(if $(filter 1,$(YES)),--yes)

# pgBackRest from Debian, for the backup and restore test.
pgbackrest:
	@command -v pgbackrest >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbackrest >/dev/null; } || { echo "Install pgBackRest: sudo apt-get install pgbackrest" >&2; exit 1; }

# Debian's Chromium for the browser journeys (Playwright drives it; it downloads no browser).
browser:
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || { echo "Install Chromium: sudo apt-get install chromium" >&2; exit 1; }

# Debian's PgBouncer: the pooler tests (core/tests/test_pooler.py) start their own in front of the
# test cluster, in transaction mode; `make cluster` runs one in front of the app cluster.
pgbouncer:
	@command -v pgbouncer >/dev/null || test -x /usr/sbin/pgbouncer || { [ "$$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbouncer >/dev/null; } || { echo "Install PgBouncer: sudo apt-get install pgbouncer" >&2; exit 1; }

# Debian's HAProxy: tests/test_compose.py checks docker/haproxy.cfg with it; `make cluster` runs it.
haproxy:
	@command -v haproxy >/dev/null || test -x /usr/sbin/haproxy || { [ "$$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null; } || { echo "Install HAProxy: sudo apt-get install haproxy" >&2; exit 1; }

# PgBouncer in transaction mode on 127.0.0.1:64330 in front of the app cluster (scripts/pgbouncer.sh;
# `scripts/pgbouncer.sh stop app` stops it). The platform uses it with JEJARING_DB_POOLER=transaction
# and JEJARING_PG_PORT=64330.
pooler: db
	@scripts/pgbouncer.sh start app

# The multi-server shape on this machine's loopback (scripts/cluster.sh): HAProxy on $(PORT) in front
# of two gunicorn servers (8001, 8002), two task workers, two schedulers, PgBouncer in transaction
# mode (64330) in front of the app cluster. `scripts/cluster.sh status|stop` (README, Operations).
cluster: setup data static pgbouncer haproxy
	@scripts/cluster.sh start

# The Nu Html Checker (vnu.jar, pinned in package.json) validates the main pages in the tests;
# it needs a Java runtime and npm (Node.js).
html-checker: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	@command -v java >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; } || { echo "Install Java: sudo apt-get install default-jre-headless" >&2; exit 1; }
	@command -v npm >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; } || { echo "Install npm: sudo apt-get install npm" >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# ruff's checks and formatting, the layers (.importlinter: helpers < accounts < tenants <
# features < URL confs), and the types of core/, tenants/ and each feature's policy, actions and
# selectors (mypy with django-stubs; the files are named in pyproject.toml).
lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy
