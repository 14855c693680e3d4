#!/usr/bin/env bash
# PgBouncer (Debian's package, 1.18) in TRANSACTION mode in front of a project-owned PostgreSQL
# cluster (scripts/db.sh), on 127.0.0.1 only, run as an unprivileged user (as root: `postgres`,
# as db.sh does; PgBouncer refuses to run as root). Installed with apt when missing (as root).
# The platform uses it with JEJARING_DB_POOLER=transaction (core/pooled_postgresql: the search
# path travels with every statement, so no region's rows reach another region's schema).
#
# Usage: scripts/pgbouncer.sh start|stop|status [app|test|<name>]
#   app   in front of the app cluster (54330), listening on 64330, SCRAM login with the password
#         in .env (JEJARING_PG_PASSWORD), as the clients of `make cluster` use it.
#   test  in front of the test cluster (54339), listening on 64339, trust login (like that cluster).
#   <name> anything else: PGBOUNCER_PORT and PGBOUNCER_UPSTREAM_PORT must be given (the tests).
# Variables: PGBOUNCER_PORT, PGBOUNCER_UPSTREAM_PORT, PGBOUNCER_POOL_SIZE (server connections per
# database and user, default 20), PGBOUNCER_MAX_CLIENTS (default 500), PGBOUNCER_AUTH
# (trust|scram-sha-256), PGBOUNCER_DIR (its config, pid and log; default .pgdata/pgbouncer-<name>).
# The settings mirror docker/pgbouncer.ini (docker compose's pooler).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
ACTION="${1:-start}"
NAME="${2:-app}"

PGBOUNCER=$(command -v pgbouncer || true)
[ -z "$PGBOUNCER" ] && [ -x /usr/sbin/pgbouncer ] && PGBOUNCER=/usr/sbin/pgbouncer
ensure_installed() {
    [ -n "$PGBOUNCER" ] && return
    if [ "$(id -u)" = 0 ]; then
        echo "Installing PgBouncer (Debian package pgbouncer)..." >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbouncer >/dev/null
        PGBOUNCER=/usr/sbin/pgbouncer
    else
        echo "PgBouncer is missing. Install it: sudo apt-get install pgbouncer" >&2
        exit 1
    fi
}

case "$NAME" in
    app)
        PORT="${PGBOUNCER_PORT:-64330}"
        UPSTREAM="${PGBOUNCER_UPSTREAM_PORT:-${JEJARING_PG_PORT:-54330}}"
        AUTH="${PGBOUNCER_AUTH:-scram-sha-256}"
        ;;
    test)
        PORT="${PGBOUNCER_PORT:-64339}"
        UPSTREAM="${PGBOUNCER_UPSTREAM_PORT:-${JEJARING_TEST_PG_PORT:-54339}}"
        AUTH="${PGBOUNCER_AUTH:-trust}"
        ;;
    *)
        PORT="${PGBOUNCER_PORT:?Set PGBOUNCER_PORT}"
        UPSTREAM="${PGBOUNCER_UPSTREAM_PORT:?Set PGBOUNCER_UPSTREAM_PORT}"
        AUTH="${PGBOUNCER_AUTH:-trust}"
        ;;
esac
POOL_SIZE="${PGBOUNCER_POOL_SIZE:-20}"
MAX_CLIENTS="${PGBOUNCER_MAX_CLIENTS:-500}"

DIR="${PGBOUNCER_DIR:-$ROOT/.pgdata/pgbouncer-$NAME}"
# As root PgBouncer runs as `postgres`, which must reach its folder (as in scripts/db.sh).
if [ -z "${PGBOUNCER_DIR:-}" ] && [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1 \
    && ! (cd / && runuser -u postgres -- test -x "$ROOT"); then
    DIR="/var/tmp/jejaring-pgbouncer-$(printf '%s' "$ROOT" | md5sum | cut -c1-8)-$NAME"
fi
PIDFILE="$DIR/pgbouncer.pid"

as_owner() {
    if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

app_password() {
    if [ -n "${JEJARING_PG_PASSWORD:-}" ]; then echo "$JEJARING_PG_PASSWORD"; return; fi
    [ -f .env ] && grep '^JEJARING_PG_PASSWORD=' .env | tail -n1 | cut -d= -f2-
}

write_config() {
    mkdir -p "$DIR"
    local password=""
    [ "$AUTH" != trust ] && password=$(app_password)
    # The user list: the app's role. With SCRAM, PgBouncer logs the client in and then logs in
    # to PostgreSQL with the same password; with trust (test cluster), names only.
    (umask 077 && printf '"%s" "%s"\n' "${PGBOUNCER_USER:-jejaring}" "$password" >"$DIR/userlist.txt")
    cat >"$DIR/pgbouncer.ini" <<EOF
; Written by scripts/pgbouncer.sh: edit the script, not this file.
[databases]
; Every database of the upstream cluster; the server connections' time zone is UTC, as Django
; (USE_TZ) expects, so no client needs a session-level SET TIME ZONE.
* = host=127.0.0.1 port=$UPSTREAM timezone=UTC

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $PORT
unix_socket_dir =
auth_type = $AUTH
auth_file = $DIR/userlist.txt
admin_users = ${PGBOUNCER_USER:-jejaring}
stats_users = ${PGBOUNCER_USER:-jejaring}
; A server connection serves one transaction at a time, then the next client's.
pool_mode = transaction
default_pool_size = $POOL_SIZE
reserve_pool_size = 0
max_client_conn = $MAX_CLIENTS
; Nothing to reset between clients: the platform keeps no session state (core/pooled_postgresql).
server_reset_query =
server_check_delay = 10
; A client waits this long for a server connection before its query is refused.
query_wait_timeout = 30
ignore_startup_parameters = extra_float_digits
log_connections = 0
log_disconnections = 0
logfile = $DIR/pgbouncer.log
pidfile = $PIDFILE
EOF
    if [ "$(id -u)" = 0 ]; then chown -R postgres: "$DIR"; fi
}

# Running, and not a zombie (in a container nothing may reap a killed process at once).
running() {
    [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null \
        && [ "$(ps -o stat= -p "$(cat "$PIDFILE")" | cut -c1)" != Z ]
}

start() {
    ensure_installed
    if running; then
        echo "PgBouncer ($NAME) is already running on 127.0.0.1:$PORT (pid $(cat "$PIDFILE"))."
        return
    fi
    write_config
    as_owner "$PGBOUNCER" -q -d "$DIR/pgbouncer.ini"
    for _ in $(seq 1 50); do
        if running && (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
            echo "PgBouncer ($NAME, transaction mode, pool $POOL_SIZE) on 127.0.0.1:$PORT -> 127.0.0.1:$UPSTREAM"
            return
        fi
        sleep 0.1
    done
    echo "PgBouncer did not start; its log: $DIR/pgbouncer.log" >&2
    tail -n 20 "$DIR/pgbouncer.log" >&2 || true
    exit 1
}

stop() {
    if running; then
        # SIGTERM: immediate shutdown (SIGINT would wait for every client to leave).
        kill -TERM "$(cat "$PIDFILE")"
        for _ in $(seq 1 50); do running || break; sleep 0.1; done
        echo "PgBouncer ($NAME) stopped."
    else
        echo "PgBouncer ($NAME) is not running."
    fi
}

case "$ACTION" in
    start) start ;;
    stop) stop ;;
    status)
        if running; then
            echo "PgBouncer ($NAME) running on 127.0.0.1:$PORT (pid $(cat "$PIDFILE"))"
        else
            echo "PgBouncer ($NAME) not running"; exit 3
        fi
        ;;
    *) echo "usage: $0 start|stop|status [app|test|<name>]" >&2; exit 2 ;;
esac
