#!/usr/bin/env bash
# The project-owned PostgreSQL clusters, both listening on 127.0.0.1 only, data under .pgdata/
# (ignored by git):
#   app   `make run` / `make dev`: PostgreSQL's durability defaults, password (SCRAM) login with
#         the password generated into .env (JEJARING_PG_PASSWORD); .pgdata/app, port 54330.
#   test  `make test` only: throw-away data, durability traded for speed (fsync off...), trust
#         login from 127.0.0.1; .pgdata/test, port 54339. Tests never touch the app cluster.
# PostgreSQL refuses to run as root, so as root a cluster belongs to the unprivileged `postgres`
# user; a normal user runs it directly.
# Usage: scripts/db.sh start|stop|status [app|test]
# Variables: JEJARING_PG_PORT, JEJARING_PG_DIR, JEJARING_PG_DB (app);
#            JEJARING_TEST_PG_PORT, JEJARING_TEST_PG_DIR (test).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
ACTION="${1:-start}"
CLUSTER="${2:-app}"

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
    echo "Note: postgres cannot reach $ROOT; the databases live in $PGHOME." >&2
fi

case "$CLUSTER" in
    app)
        PORT="${JEJARING_PG_PORT:-54330}"
        HOME_DIR="${JEJARING_PG_DIR:-$PGHOME/app}"
        DBNAME="${JEJARING_PG_DB:-jejaring}"
        ;;
    test)
        PORT="${JEJARING_TEST_PG_PORT:-54339}"
        HOME_DIR="${JEJARING_TEST_PG_DIR:-$PGHOME/test}"
        DBNAME=jejaring
        ;;
    *) echo "usage: $0 start|stop|status [app|test]" >&2; exit 2 ;;
esac
case "$HOME_DIR" in /*) ;; *) HOME_DIR="$ROOT/$HOME_DIR" ;; esac
DATA="$HOME_DIR/data"
RUN="$HOME_DIR/run"

as_owner() {
    if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# The app cluster's password, from the environment or .env (scripts/env.sh generates it).
password() {
    if [ -n "${JEJARING_PG_PASSWORD:-}" ]; then echo "$JEJARING_PG_PASSWORD"; return; fi
    [ -f .env ] || scripts/env.sh >/dev/null
    grep -q '^JEJARING_PG_PASSWORD=' .env || scripts/env.sh >/dev/null
    grep '^JEJARING_PG_PASSWORD=' .env | tail -n1 | cut -d= -f2-
}

init_cluster() {
    mkdir -p "$HOME_DIR"
    if [ "$(id -u)" = 0 ]; then chown postgres: "$HOME_DIR"; fi
    if [ "$CLUSTER" = app ]; then
        # The password reaches initdb through a file only its owner can read, removed at once.
        local pwfile="$HOME_DIR/.initdb-pw"
        (umask 077 && password >"$pwfile")
        if [ "$(id -u)" = 0 ]; then chown postgres: "$pwfile"; fi
        as_owner "$BIN/initdb" -D "$DATA" -U jejaring --auth=scram-sha-256 --pwfile="$pwfile" \
            --encoding=UTF8 --locale=C.UTF-8 >/dev/null
        rm -f "$pwfile"
        {
            echo "listen_addresses = '127.0.0.1'"
            echo "port = $PORT"
            echo "unix_socket_directories = '$RUN'"
            # PostgreSQL's durability defaults (fsync, synchronous_commit, full_page_writes) stay.
            echo "max_connections = 100"
        } | as_owner tee -a "$DATA/postgresql.conf" >/dev/null
    else
        as_owner "$BIN/initdb" -D "$DATA" -U jejaring --auth=trust --encoding=UTF8 \
            --locale=C.UTF-8 >/dev/null
        {
            echo "listen_addresses = '127.0.0.1'"
            echo "port = $PORT"
            echo "unix_socket_directories = '$RUN'"
            # The test cluster only: its data is thrown away, so durability is traded for speed.
            echo "fsync = off"
            echo "synchronous_commit = off"
            echo "full_page_writes = off"
            echo "max_connections = 200"
            echo "shared_buffers = 256MB"
        } | as_owner tee -a "$DATA/postgresql.conf" >/dev/null
    fi
}

# Memory and planner settings of the app cluster, sized for this machine at every start (into
# $DATA/jejaring-tuning.conf, included from postgresql.conf; a running cluster reloads it, and
# shared_buffers changes at the next restart: make stop-db && make db). PostgreSQL's defaults
# are for a tiny machine (128 MB of shared_buffers; the 1M-listing search index is 1.5 GB).
#   shared_buffers       25% of RAM, between 128 MB and 2 GB (the OS cache holds the rest);
#   effective_cache_size 50% of RAM: what the planner may assume cached (shared + OS);
#   work_mem             RAM / (4 x max_connections), between 4 and 32 MB: a sort or bitmap
#                        per query node, enough to keep a common word's bitmap exact;
#   maintenance_work_mem 5% of RAM up to 512 MB (index builds, VACUUM);
#   random_page_cost 1.1, effective_io_concurrency 200: SSD storage, where a random read
#                        costs about a sequential one (the default 4 is for spinning disks);
#   jit off: an OLTP app's queries last milliseconds; JIT compilation costs ~90 ms whenever
#                        a plan's estimate passes jit_above_cost, more than it ever saves here.
# JEJARING_PG_MEMORY_MB overrides the RAM measured (a machine shared with other services).
write_tuning() {
    local mem_kb mem_mb shared work maint
    mem_kb=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo 2>/dev/null || echo 0)
    mem_mb=${JEJARING_PG_MEMORY_MB:-$(( ${mem_kb:-0} / 1024 ))}
    [ "$mem_mb" -gt 0 ] || mem_mb=2048
    shared=$(( mem_mb / 4 )); [ $shared -lt 128 ] && shared=128; [ $shared -gt 2048 ] && shared=2048
    work=$(( mem_mb / 400 )); [ $work -lt 4 ] && work=4; [ $work -gt 32 ] && work=32
    maint=$(( mem_mb / 20 )); [ $maint -lt 64 ] && maint=64; [ $maint -gt 512 ] && maint=512
    {
        echo "# Written by scripts/db.sh at every start for a machine of ${mem_mb} MB; edits are lost."
        echo "shared_buffers = ${shared}MB"
        echo "effective_cache_size = $(( mem_mb / 2 ))MB"
        echo "work_mem = ${work}MB"
        echo "maintenance_work_mem = ${maint}MB"
        echo "random_page_cost = 1.1"
        echo "effective_io_concurrency = 200"
        echo "jit = off"
    } | as_owner tee "$DATA/jejaring-tuning.conf" >/dev/null
    grep -q "jejaring-tuning.conf" "$DATA/postgresql.conf" ||
        echo "include_if_exists = 'jejaring-tuning.conf'" | as_owner tee -a "$DATA/postgresql.conf" >/dev/null
}

start() {
    if [ -f "$PGHOME/data/PG_VERSION" ] && [ -z "${JEJARING_QUIET_OLD_CLUSTER:-}" ]; then
        echo "Note: $PGHOME/data is the old single cluster (trust login, no durability) and is no" \
             "longer used; see README (Configuration) to stop and remove it." >&2
    fi
    mkdir -p "$RUN"
    if [ "$(id -u)" = 0 ]; then chown -R postgres: "$HOME_DIR"; fi
    if [ ! -f "$DATA/PG_VERSION" ]; then
        init_cluster
    fi
    [ "$CLUSTER" = app ] && write_tuning
    if ! as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
        as_owner "$BIN/pg_ctl" -D "$DATA" -l "$HOME_DIR/server.log" -w start >/dev/null
    elif [ "$CLUSTER" = app ]; then
        as_owner "$BIN/pg_ctl" -D "$DATA" reload >/dev/null
    fi
    if [ "$CLUSTER" = app ]; then
        PGPASSWORD=$(password)
        export PGPASSWORD
    fi
    local exists
    if ! exists=$("$BIN/psql" -h 127.0.0.1 -p "$PORT" -U jejaring -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$DBNAME'"); then
        echo "Cannot log in to the $CLUSTER cluster on 127.0.0.1:$PORT (data in $DATA)." >&2
        [ "$CLUSTER" = app ] && echo "Its password is JEJARING_PG_PASSWORD in .env; was .env replaced?" >&2
        exit 1
    fi
    if [ "$exists" != 1 ]; then
        "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U jejaring "$DBNAME"
    fi
    echo "PostgreSQL ($CLUSTER) ready on 127.0.0.1:$PORT (database $DBNAME)"
}

case "$ACTION" in
    start) start ;;
    stop) as_owner "$BIN/pg_ctl" -D "$DATA" -m fast stop ;;
    status) as_owner "$BIN/pg_ctl" -D "$DATA" status ;;
    *) echo "usage: $0 start|stop|status [app|test]" >&2; exit 2 ;;
esac
