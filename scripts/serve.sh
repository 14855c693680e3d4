#!/usr/bin/env bash
# `make run`: the platform as its users get it. gunicorn with several workers and DEBUG off
# (static files through WhiteNoise, collected by the Makefile first), and beside it the
# background worker (django-tasks-db's db_worker) that sends e-mail and runs other side effects,
# and the scheduler that enqueues the periodic jobs. They stop together: Ctrl-C, a signal, or any
# one exiting stops the others.
# Variables: HOST (127.0.0.1), PORT (8000), WORKERS (2 x CPUs + 1).
set -euo pipefail
cd "$(dirname "$0")/.."

HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
WORKERS="${WORKERS:-$(( $(nproc) * 2 + 1 ))}"
export DJANGO_DEBUG=false
export TASKS_BACKEND=django_tasks_db.DatabaseBackend
# Absolute links between the platform and regions (e-mails, the switcher) use this port.
export JEJARING_PORT="${JEJARING_PORT:-$PORT}"

pids=()
stop() {
    trap - INT TERM EXIT
    kill -TERM "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
}
trap stop INT TERM EXIT

.venv/bin/python manage.py db_worker --no-startup-delay &
pids+=($!)
# The periodic jobs (core/schedule.py): enqueued when due, run by the worker. No cron needed.
.venv/bin/python manage.py run_scheduler &
pids+=($!)
# --limit-request-line: gunicorn's largest (its default, 4094 bytes, answered a long search with
# its own bare 414 page): any search the search box can send (MAX_QUERY_CHARS characters, each up
# to 12 bytes percent-encoded) with every filter passes, and the page itself says when a query is
# too long (marketplace/forms.py; marketplace/tests/test_search_page.py checks the sum).
# --preload: the application is imported once, before the workers are forked (they answer as
# soon as they exist instead of each importing Django and Wagtail at once on a small machine;
# nothing opens a database connection at import, so no connection crosses the fork).
.venv/bin/gunicorn portal.wsgi:application --bind "$HOST:$PORT" --workers "$WORKERS" \
    --access-logfile - --graceful-timeout 10 --no-control-socket --limit-request-line 8190 --preload &
pids+=($!)
echo "Serving http://$HOST:$PORT with $WORKERS gunicorn workers, a task worker and the scheduler (Ctrl-C stops them all)."
# Whichever stops first (or a signal) stops the other.
wait -n "${pids[@]}" || true
