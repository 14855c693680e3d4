#!/usr/bin/env bash
# The project-owned PostgreSQL cluster: data under .pgdata/ (ignored by git), listening on
# 127.0.0.1:${JEJARING_PG_PORT:-54329} only. PostgreSQL refuses to run as root, so as root the
# cluster belongs to the unprivileged `postgres` user; a normal user runs it directly.
# Usage: scripts/db.sh start|stop|status
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PORT="${JEJARING_PG_PORT:-54329}"
DBNAME="${JEJARING_PG_DB:-jejaring}"

find_bindir() {
    for v in 17 16 15; do
        [ -x "/usr/lib/postgresql/$v/bin/initdb" ] && { echo "/usr/lib/postgresql/$v/bin"; return; }
    done
    command -v initdb >/dev/null 2>&1 && dirname "$(command -v initdb)"
}

BIN=$(find_bindir || true)
if [ -z "$BIN" ] || ! ls /usr/share/postgresql/*/extension/pg_trgm.control >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
        echo "Installing PostgreSQL (Debian packages postgresql, postgresql-contrib)..."
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-contrib >/dev/null
        BIN=$(find_bindir)
    else
        echo "PostgreSQL binaries (with contrib) are missing. Install them: sudo apt-get install postgresql postgresql-contrib" >&2
        exit 1
    fi
fi

PGHOME="$ROOT/.pgdata"
# As root the cluster belongs to `postgres`, which must be able to reach the project folder;
# where it cannot (a checkout under /root, say), the data goes to a folder of its own instead.
if [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1 && ! (cd / && runuser -u postgres -- test -x "$ROOT"); then
    PGHOME="/var/tmp/jejaring-pgdata-$(printf '%s' "$ROOT" | md5sum | cut -c1-8)"
    echo "Note: postgres cannot reach $ROOT; the database lives in $PGHOME." >&2
fi
DATA="$PGHOME/data"
RUN="$PGHOME/run"

as_owner() {
    if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

start() {
    mkdir -p "$RUN"
    if [ "$(id -u)" = 0 ]; then chown -R postgres: "$PGHOME"; fi
    if [ ! -f "$DATA/PG_VERSION" ]; then
        as_owner "$BIN/initdb" -D "$DATA" -U jejaring --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
        {
            echo "listen_addresses = '127.0.0.1'"
            echo "port = $PORT"
            echo "unix_socket_directories = '$RUN'"
            # A development and test cluster: durability traded for speed.
            echo "fsync = off"
            echo "synchronous_commit = off"
            echo "full_page_writes = off"
            echo "max_connections = 200"
            echo "shared_buffers = 256MB"
        } | as_owner tee -a "$DATA/postgresql.conf" >/dev/null
    fi
    if ! as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
        as_owner "$BIN/pg_ctl" -D "$DATA" -l "$PGHOME/server.log" -w start >/dev/null
    fi
    if ! "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U jejaring -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$DBNAME'" | grep -q 1; then
        "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U jejaring "$DBNAME"
    fi
    echo "PostgreSQL ready on 127.0.0.1:$PORT (database $DBNAME)"
}

case "${1:-start}" in
    start) start ;;
    stop) as_owner "$BIN/pg_ctl" -D "$DATA" -m fast stop ;;
    status) as_owner "$BIN/pg_ctl" -D "$DATA" status ;;
    *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
