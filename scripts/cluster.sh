#!/usr/bin/env bash
# `make cluster`: the platform in its multi-server shape, on this machine's loopback only.
#
#   HAProxy 127.0.0.1:$PORT (docker/haproxy.cfg: health checks on /readyz, retries and
#     redispatch to the other server when one is killed)
#    -> two gunicorn servers, 127.0.0.1:$WEB1_PORT and :$WEB2_PORT (docker/gunicorn.conf.py)
#   two task workers (django-tasks-db) and two schedulers (core/schedule.py: a job's row is
#     locked while it is decided, so each periodic job is enqueued once)
#    -> PgBouncer in transaction mode, 127.0.0.1:$POOLER_PORT (scripts/pgbouncer.sh)
#    -> the app cluster's PostgreSQL (scripts/db.sh), one database; one file store (MEDIA_ROOT,
#       EXPORT_ROOT on this machine's disk, shared by every process).
# Sessions, the subdomain handoff, caches and rate limits live in PostgreSQL, so any server may
# answer any request.
#
# Usage: scripts/cluster.sh start|stop|status|check|kill <web1|web2|worker1|...|scheduler2>
#   check tries sessions, the handoff, uploads and rate limits across the two servers
#   (scripts/cluster_check.py, with the demo's accounts).
#   kill sends SIGKILL to one component and its children (a fault to try the redispatch with);
#   `start` again restarts what is not running.
# Variables: PORT (8000), WEB1_PORT (8001), WEB2_PORT (8002), STATS_PORT (8404, HAProxy's page),
#   POOLER_PORT (64330), WEB_WORKERS (gunicorn workers per server, default 2), DEMO (1: the database
#   jejaring_demo, as `make run`; 0: jejaring), CLUSTER_DIR (pids and logs; default .cluster).
# Logs: $CLUSTER_DIR/logs/<component>.log, the app's as JSON lines with the request id and region.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
ACTION="${1:-status}"

PORT="${PORT:-8000}"
WEB1_PORT="${WEB1_PORT:-8001}"
WEB2_PORT="${WEB2_PORT:-8002}"
STATS_PORT="${STATS_PORT:-8404}"
POOLER_PORT="${POOLER_PORT:-64330}"
WORKERS="${WEB_WORKERS:-2}"
DEMO="${DEMO:-1}"
DB_PORT="${JEJARING_PG_PORT:-54330}"
DB_NAME="${JEJARING_PG_DB:-$([ "$DEMO" = 0 ] && echo jejaring || echo jejaring_demo)}"
DIR="${CLUSTER_DIR:-$ROOT/.cluster}"
LOGS="$DIR/logs"
PY="$ROOT/.venv/bin/python"
COMPONENTS="web1 web2 worker1 worker2 scheduler1 scheduler2 haproxy"

pidfile() { echo "$DIR/$1.pid"; }
# Running, and not a zombie (in a container nothing may reap a killed process at once).
alive() {
    local file pid
    file=$(pidfile "$1")
    [ -f "$file" ] || return 1
    pid=$(cat "$file")
    kill -0 "$pid" 2>/dev/null && [ "$(ps -o stat= -p "$pid" | cut -c1)" != Z ]
}

PASSWORD="${JEJARING_PG_PASSWORD:-$( [ -f .env ] && grep '^JEJARING_PG_PASSWORD=' .env | tail -n1 | cut -d= -f2- || true)}"
# The application processes' environment: DEBUG off, the database through the pooler (a
# DATABASE_URL of the caller's would bypass it, so it is dropped). The workers' liveness locks
# (core/task_recovery.py) are session locks: their connection goes to PostgreSQL directly.
APP_ENV=(
    env -u DATABASE_URL
    DJANGO_DEBUG=false
    TASKS_BACKEND=django_tasks_db.DatabaseBackend
    JEJARING_PORT="$PORT"
    JEJARING_PG_DB="$DB_NAME"
    JEJARING_PG_PORT="$POOLER_PORT"
    JEJARING_DB_POOLER=transaction
    JEJARING_API_NUM_PROXIES=1
    LOG_FORMAT=json
    JEJARING_ACCESS_LOG=1
    JEJARING_TASK_LOCK_DATABASE_URL="postgres://jejaring:$PASSWORD@127.0.0.1:$DB_PORT/$DB_NAME"
)

# Starts a command in its own session (so `kill` reaches its children), output to its log.
launch() {
    local name=$1
    shift
    if alive "$name"; then return; fi
    setsid "$@" >>"$LOGS/$name.log" 2>&1 </dev/null &
    echo $! >"$(pidfile "$name")"
}

start_web() {
    local name=$1 port=$2
    alive "$name" && return
    # Prometheus' multiprocess files of this server's workers: emptied before it starts.
    rm -rf "$DIR/metrics-$name" && mkdir -p "$DIR/metrics-$name"
    launch "$name" "${APP_ENV[@]}" PROMETHEUS_MULTIPROC_DIR="$DIR/metrics-$name" \
        "$ROOT/.venv/bin/gunicorn" portal.wsgi:application --config docker/gunicorn.conf.py \
        --bind "127.0.0.1:$port" --workers "$WORKERS" --no-control-socket
}

start_haproxy() {
    alive haproxy && return
    command -v haproxy >/dev/null || [ -x /usr/sbin/haproxy ] || {
        if [ "$(id -u)" = 0 ]; then
            echo "Installing HAProxy (Debian package haproxy)..."
            apt-get update -qq
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null
        else
            echo "HAProxy is missing. Install it: sudo apt-get install haproxy" >&2
            exit 1
        fi
    }
    local haproxy
    haproxy=$(command -v haproxy || echo /usr/sbin/haproxy)
    local -a run=()
    # Never as root: as root, HAProxy runs as Debian's `haproxy` user (it only needs loopback
    # ports above 1024), reading a copy of its configuration.
    local cfg="$ROOT/docker/haproxy.cfg"
    if [ "$(id -u)" = 0 ] && id haproxy >/dev/null 2>&1; then
        mkdir -p "$DIR/haproxy"
        cp "$cfg" "$DIR/haproxy/haproxy.cfg"
        chown -R haproxy: "$DIR/haproxy"
        cfg="$DIR/haproxy/haproxy.cfg"
        run=(runuser -u haproxy --)
    fi
    launch haproxy env JEJARING_LISTEN="127.0.0.1:$PORT" JEJARING_WEB1="127.0.0.1:$WEB1_PORT" \
        JEJARING_WEB2="127.0.0.1:$WEB2_PORT" JEJARING_STATS="127.0.0.1:$STATS_PORT" \
        "${run[@]}" "$haproxy" -W -db -f "$cfg"
}

wait_ready() {
    local url=$1 seconds=$2
    for _ in $(seq 1 $((seconds * 2))); do
        if curl -fsS -o /dev/null -m 2 -H "Host: localhost" "$url" 2>/dev/null; then return 0; fi
        sleep 0.5
    done
    return 1
}

start() {
    mkdir -p "$LOGS"
    scripts/db.sh start app
    PGBOUNCER_UPSTREAM_PORT="$DB_PORT" PGBOUNCER_PORT="$POOLER_PORT" scripts/pgbouncer.sh start app
    start_web web1 "$WEB1_PORT"
    start_web web2 "$WEB2_PORT"
    for n in 1 2; do
        launch "worker$n" "${APP_ENV[@]}" "$PY" manage.py db_worker --no-startup-delay
        launch "scheduler$n" "${APP_ENV[@]}" "$PY" manage.py run_scheduler
    done
    start_haproxy
    local failed=0
    for web in "web1 $WEB1_PORT" "web2 $WEB2_PORT"; do
        set -- $web
        if ! wait_ready "http://127.0.0.1:$2/readyz" 90; then
            echo "$1 (127.0.0.1:$2) is not ready; its log: $LOGS/$1.log" >&2
            tail -n 20 "$LOGS/$1.log" >&2 || true
            failed=1
        fi
    done
    if [ "$failed" = 1 ] || ! wait_ready "http://127.0.0.1:$PORT/readyz" 30; then
        echo "The cluster did not become ready (logs in $LOGS)." >&2
        exit 1
    fi
    cat <<EOF
Cluster ready on http://localhost:$PORT (regions at http://<slug>.localhost:$PORT), database $DB_NAME:
  HAProxy 127.0.0.1:$PORT (statistics http://127.0.0.1:$STATS_PORT/) -> web1 127.0.0.1:$WEB1_PORT, web2 127.0.0.1:$WEB2_PORT ($WORKERS workers each)
  2 task workers, 2 schedulers; PgBouncer (transaction mode) 127.0.0.1:$POOLER_PORT -> PostgreSQL 127.0.0.1:$DB_PORT
  Logs: $LOGS/   Stop: scripts/cluster.sh stop
EOF
}

stop_one() {
    local name=$1
    if alive "$name"; then
        local pid
        pid=$(cat "$(pidfile "$name")")
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        kill -KILL -- "-$pid" 2>/dev/null || true
    fi
    rm -f "$(pidfile "$name")"
}

stop() {
    for name in haproxy scheduler1 scheduler2 worker1 worker2 web1 web2; do stop_one "$name"; done
    PGBOUNCER_PORT="$POOLER_PORT" scripts/pgbouncer.sh stop app
    echo "Cluster stopped (the PostgreSQL cluster keeps running: scripts/db.sh stop app)."
}

status() {
    local code=0
    for name in $COMPONENTS; do
        if alive "$name"; then
            printf '%-11s running (pid %s)\n' "$name" "$(cat "$(pidfile "$name")")"
        else
            printf '%-11s stopped\n' "$name"
            code=3
        fi
    done
    PGBOUNCER_PORT="$POOLER_PORT" scripts/pgbouncer.sh status app || code=3
    for web in "web1 $WEB1_PORT" "web2 $WEB2_PORT" "haproxy $PORT"; do
        set -- $web
        printf '%-11s /readyz: %s\n' "$1" \
            "$(curl -sS -m 3 -H 'Host: localhost' "http://127.0.0.1:$2/readyz" 2>&1 | head -c 300)"
    done
    return $code
}

case "$ACTION" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    check) PORT="$PORT" WEB1_PORT="$WEB1_PORT" WEB2_PORT="$WEB2_PORT" "$PY" scripts/cluster_check.py ;;
    kill)
        name="${2:?which component: web1, web2, worker1, worker2, scheduler1, scheduler2}"
        if alive "$name"; then
            # The whole session: gunicorn's master and its workers, at once.
            kill -KILL -- "-$(cat "$(pidfile "$name")")"
            rm -f "$(pidfile "$name")"
            echo "Killed $name."
        else
            echo "$name is not running." >&2
            exit 1
        fi
        ;;
    *) echo "usage: $0 start|stop|status|check|kill <component>" >&2; exit 2 ;;
esac
