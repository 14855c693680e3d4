#!/usr/bin/env bash
# Container entry point for the web and worker services.
#
# 1. Wait for PostgreSQL (DATABASE_URL).
# 2. Unless JEJARING_SETUP=0 (the worker sets it): bring the database up to date, in the
#    Makefile's `migrate` order, optionally load the demo (LOAD_DEMO=1), collect static files.
# 3. exec the command (gunicorn by default), so it runs as PID 1 and receives signals.
set -euo pipefail
cd /app

wait_for_db() {
    python - <<'PY'
import os
import sys
import time

import django

django.setup()

from django.db import connection
from django.db.utils import OperationalError

timeout = int(os.environ.get("DB_WAIT_TIMEOUT", "120"))
deadline = time.monotonic() + timeout
while True:
    try:
        connection.ensure_connection()
    except OperationalError as exc:
        if time.monotonic() > deadline:
            print(f"PostgreSQL is not reachable after {timeout}s: {exc}", file=sys.stderr)
            sys.exit(1)
        print("Waiting for PostgreSQL...", file=sys.stderr)
        time.sleep(2)
    else:
        connection.close()
        break
PY
}

wait_for_db

if [ "${JEJARING_SETUP:-1}" = "1" ]; then
    # Public schema, cache table, platform tenant, template schema, every region's schema.
    python manage.py bootstrap_platform -v 2
    if [ "${LOAD_DEMO:-0}" = "1" ]; then
        python manage.py load_demo
    fi
    # Translations are compiled at build time (see Dockerfile). Static files are collected at
    # build time too; collecting again is idempotent and keeps them current if the source in
    # /app differs from the image's (e.g. a bind mount).
    python manage.py collectstatic --noinput -v 0
fi

exec "$@"
