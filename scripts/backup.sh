#!/usr/bin/env bash
# Backups of the app cluster (scripts/db.sh) with pgBackRest, and of the uploaded files.
#
#   scripts/backup.sh backup [full|incr|diff]   `make backup`: the first backup is full, the
#                                                next ones incremental (TYPE=full forces one)
#   scripts/backup.sh restore [TARGET] [--yes|--dry-run]
#                                                `make restore TARGET="2026-12-07 10:00:00+07"`
#                                                (a point in time) or latest (the default)
#   scripts/backup.sh setup | info | check | files-verify [snapshot]
#
# What it does:
# - `setup` (run by `backup` first, idempotent): writes the pgBackRest configuration into the
#   repository folder, creates the stanza and turns on WAL archiving in the cluster
#   (archive_mode, archive_command = pgbackrest archive-push, archive_timeout), restarting the
#   cluster once when archive_mode was off. From then on every WAL segment is pushed to the
#   repository as PostgreSQL completes it (and at least every archive_timeout seconds when
#   anything was written): that is what makes a restore to any second possible.
# - `backup`: pgBackRest's backup (full if the repository has none, else incremental: only the
#   files changed since the last backup), expiring old ones per the retention below; then a
#   snapshot of the uploaded files (MEDIA_ROOT, and EXPORT_ROOT: the regions' exports, a deleted
#   region's final one included) as files/<UTC time>/files.tar with a SHA-256 manifest of every
#   file in it (SHA256SUMS) and of the tar itself. The files are snapshotted after the database,
#   so a snapshot holds every file the backed-up rows refer to.
# - `restore`: stops the app cluster, moves its data folder aside (data.before-restore-<time>,
#   kept: remove it once the restore is checked), restores with pgBackRest to TARGET (recovery
#   replays the archived WAL up to that time, then the cluster is promoted) or to the end of the
#   archived WAL, starts it, and puts back the uploaded files from the file snapshot closest to
#   TARGET (the first taken at or after it, else the newest), checking every file's SHA-256; the
#   current files are moved aside likewise. It asks for confirmation unless --yes; --dry-run
#   only says what it would do. Stop the application servers and workers first.
#
# Variables (defaults):
#   JEJARING_BACKUP_DIR            .pgdata/backup   the repository (pgBackRest's and the files')
#   JEJARING_BACKUP_STANZA         jejaring
#   JEJARING_BACKUP_RETENTION_FULL 2                full backups kept (with their incrementals
#                                                   and the WAL to replay from the oldest)
#   JEJARING_BACKUP_FILES_KEEP     14               file snapshots kept
#   JEJARING_ARCHIVE_TIMEOUT       60               seconds: the most recent writes a lost
#                                                   machine can take with it
#   JEJARING_PG_DIR, JEJARING_PG_PORT, JEJARING_PG_DB, JEJARING_PG_PASSWORD: as scripts/db.sh
#   MEDIA_ROOT (media/), EXPORT_ROOT (exports/): as the settings (also read from .env)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
ACTION="${1:-backup}"
shift || true

STANZA="${JEJARING_BACKUP_STANZA:-jejaring}"
RETENTION_FULL="${JEJARING_BACKUP_RETENTION_FULL:-2}"
FILES_KEEP="${JEJARING_BACKUP_FILES_KEEP:-14}"
ARCHIVE_TIMEOUT="${JEJARING_ARCHIVE_TIMEOUT:-60}"

env_value() {  # a variable from the environment, else from .env, else $2
    local name=$1 default=$2 value=${!1:-}
    if [ -z "$value" ] && [ -f .env ]; then
        value=$(grep "^$name=" .env | tail -n1 | cut -d= -f2- || true)
    fi
    echo "${value:-$default}"
}
absolute() { case "$1" in /*) echo "$1" ;; *) echo "$ROOT/$1" ;; esac; }

# The app cluster's folders, found as scripts/db.sh finds them.
PGHOME="$ROOT/.pgdata"
if [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1 && ! (cd / && runuser -u postgres -- test -x "$ROOT"); then
    PGHOME="/var/tmp/jejaring-pgdata-$(printf '%s' "$ROOT" | md5sum | cut -c1-8)"
fi
PG_DIR=$(absolute "${JEJARING_PG_DIR:-$PGHOME/app}")
PG_PORT="${JEJARING_PG_PORT:-54330}"
PG_DB="${JEJARING_PG_DB:-jejaring}"
DATA="$PG_DIR/data"
RUN="$PG_DIR/run"
REPO=$(absolute "${JEJARING_BACKUP_DIR:-$PGHOME/backup}")
CONF="$REPO/pgbackrest.conf"
MEDIA=$(absolute "$(env_value MEDIA_ROOT media)")
EXPORTS=$(absolute "$(env_value EXPORT_ROOT exports)")

find_bindir() {
    for v in 17 16 15; do
        [ -x "/usr/lib/postgresql/$v/bin/pg_ctl" ] && { echo "/usr/lib/postgresql/$v/bin"; return; }
    done
    command -v pg_ctl >/dev/null 2>&1 && dirname "$(command -v pg_ctl)"
}
BIN=$(find_bindir || true)
[ -n "$BIN" ] || { echo "PostgreSQL is not installed (scripts/db.sh installs it)." >&2; exit 1; }

as_owner() {
    if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}
owned_dir() {  # a folder the cluster's owner can write to
    mkdir -p "$@"
    if [ "$(id -u)" = 0 ]; then chown postgres: "$@"; fi
}

ensure_pgbackrest() {
    command -v pgbackrest >/dev/null && return
    if [ "$(id -u)" = 0 ]; then
        echo "Installing pgBackRest (Debian package pgbackrest)..." >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbackrest >/dev/null
    else
        echo "pgBackRest is missing. Install it: sudo apt-get install pgbackrest" >&2
        exit 1
    fi
}

password() {
    local value
    value=$(env_value JEJARING_PG_PASSWORD "")
    [ -n "$value" ] || { echo "No JEJARING_PG_PASSWORD (in .env or the environment)." >&2; exit 1; }
    echo "$value"
}

psql_app() {
    PGPASSWORD=$(password) "$BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U jejaring -d "$PG_DB" \
        -v ON_ERROR_STOP=1 -qtAX "$@"
}

pgbr() { as_owner env PGPASSFILE="$REPO/pgpass" pgbackrest --config="$CONF" --stanza="$STANZA" "$@"; }

write_config() {
    owned_dir "$REPO" "$REPO/repo" "$REPO/log" "$REPO/lock" "$REPO/spool"
    # pgBackRest logs in to read the cluster's state (as jejaring, by password from this file).
    # (over the socket folder, which names the host in a password file).
    local pw
    pw=$(password)
    (umask 077 && printf '%s:%s:*:jejaring:%s\n' "${RUN//:/\\:}" "$PG_PORT" "$pw" \
        "127.0.0.1" "$PG_PORT" "$pw" >"$REPO/pgpass")
    local tmp
    tmp=$(mktemp)
    cat >"$tmp" <<EOF
# Written by scripts/backup.sh (each run): edit the script's variables, not this file.
[global]
repo1-path=$REPO/repo
repo1-retention-full-type=count
repo1-retention-full=$RETENTION_FULL
log-path=$REPO/log
lock-path=$REPO/lock
spool-path=$REPO/spool
log-level-console=warn
log-level-file=info
compress-type=zst
process-max=2
start-fast=y

[$STANZA]
pg1-path=$DATA
pg1-port=$PG_PORT
pg1-user=jejaring
pg1-database=$PG_DB
pg1-socket-path=$RUN
EOF
    mv "$tmp" "$CONF"
    chmod 644 "$CONF"
    if [ "$(id -u)" = 0 ]; then chown postgres: "$CONF" "$REPO/pgpass"; fi
}

cluster_running() { as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

setup() {
    ensure_pgbackrest
    [ -f "$DATA/PG_VERSION" ] || { echo "No cluster in $DATA (scripts/db.sh start app)." >&2; exit 1; }
    cluster_running || { echo "The cluster in $DATA is not running (scripts/db.sh start app)." >&2; exit 1; }
    write_config
    local command="pgbackrest --config=$CONF --stanza=$STANZA archive-push %p"
    local mode current_command
    mode=$(psql_app -c "SHOW archive_mode")
    current_command=$(psql_app -c "SHOW archive_command")
    if [ "$current_command" != "$command" ] || [ "$mode" = off ]; then
        psql_app -c "ALTER SYSTEM SET archive_command = '$command'" \
            -c "ALTER SYSTEM SET archive_mode = 'on'" \
            -c "ALTER SYSTEM SET archive_timeout = '${ARCHIVE_TIMEOUT}s'" \
            -c "SELECT pg_reload_conf()" >/dev/null
        if [ "$mode" = off ]; then
            echo "Turning on WAL archiving: restarting the cluster once..." >&2
            as_owner "$BIN/pg_ctl" -D "$DATA" -l "$PG_DIR/server.log" -m fast -w restart >/dev/null
        fi
    fi
    pgbr stanza-create >/dev/null  # idempotent: checks an existing stanza against the cluster
    pgbr check >/dev/null
}

snapshot_files() {
    local label=$1 dir="$REPO/files/$1"
    owned_dir "$REPO/files"
    mkdir -p "$dir.part"
    # Names inside the tar are relative: media/..., exports/... (links to the real folders).
    local stage
    stage=$(mktemp -d)
    [ -d "$MEDIA" ] && ln -s "$MEDIA" "$stage/media"
    [ -d "$EXPORTS" ] && ln -s "$EXPORTS" "$stage/exports"
    # Every file (not a partial upload or export being written), once, in a fixed order.
    (cd "$stage" && find -L . -mindepth 2 -type f ! -name '*.part' -printf '%P\0' | sort -z) \
        >"$stage.list"
    (cd "$stage" && xargs -0 -r sha256sum <"$stage.list") >"$dir.part/SHA256SUMS"
    (cd "$stage" && tar --dereference --null -T "$stage.list" -cf "$dir.part/files.tar")
    rm -rf "$stage" "$stage.list"
    (cd "$dir.part" && sha256sum files.tar >files.tar.sha256)
    date -u +%s >"$dir.part/taken_at"
    mv "$dir.part" "$dir"
    # Keep the newest FILES_KEEP snapshots.
    ls -1d "$REPO"/files/*/ 2>/dev/null | grep -v '\.part/$' | sort | head -n -"$FILES_KEEP" \
        | xargs -r rm -rf
    echo "$dir"
}

verify_files() {  # a snapshot folder: the tar's checksum, then every file's, extracted in $2
    local dir=$1 into=$2
    (cd "$dir" && sha256sum --quiet -c files.tar.sha256)
    mkdir -p "$into"
    tar -xf "$dir/files.tar" -C "$into"
    # A platform with no uploads yet has an empty list: nothing to check (sha256sum refuses an
    # empty list, which stopped the restore after the database, before the files).
    if [ -s "$dir/SHA256SUMS" ]; then
        (cd "$into" && sha256sum --quiet --strict -c "$dir/SHA256SUMS")
    fi
}

backup() {
    local type="${1:-incr}"
    setup
    local started=$SECONDS
    pgbr backup --type="$type"
    local db_seconds=$((SECONDS - started))
    local label
    label=$(date -u +%Y%m%dT%H%M%SZ)
    local files_dir
    files_dir=$(snapshot_files "$label")
    local nfiles
    nfiles=$(wc -l <"$files_dir/SHA256SUMS")
    local last
    last=$(pgbr info --output=json | python3 -c "$(cat <<'PY'
import json, sys
b = json.load(sys.stdin)[0]["backup"][-1]
size, stored = b["info"]["size"] / 1e6, b["info"]["repository"]["delta"] / 1e6
print(f"{b['label']} ({b['type']}, {size:.1f} MB of data, {stored:.1f} MB stored)")
PY
)")
    echo "Database backup $last in ${db_seconds}s; files: $nfiles in $files_dir" \
         "($(( SECONDS - started ))s in all). Repository: $REPO"
}

snapshot_for() {  # the file snapshot for a target epoch (empty: latest)
    local target=${1:-} best="" newest=""
    for dir in $(ls -1d "$REPO"/files/*/ 2>/dev/null | grep -v '\.part/$' | sort); do
        dir=${dir%/}
        newest=$dir
        if [ -n "$target" ] && [ -z "$best" ] && [ "$(cat "$dir/taken_at")" -ge "$target" ]; then
            best=$dir
        fi
    done
    echo "${best:-$newest}"
}

restore() {
    local target="" yes=0 dry=0
    for arg in "$@"; do
        case "$arg" in
            --yes) yes=1 ;;
            --dry-run) dry=1 ;;
            latest | "") ;;
            *) target=$arg ;;
        esac
    done
    ensure_pgbackrest
    [ -f "$CONF" ] || { echo "No backup configuration in $REPO: nothing was ever backed up there." >&2; exit 1; }
    write_config
    local target_epoch="" options=()
    if [ -n "$target" ]; then
        target_epoch=$(date -d "$target" +%s) || { echo "Not a time: $target" >&2; exit 2; }
        options=(--type=time "--target=$target" --target-action=promote)
    fi
    local snapshot
    snapshot=$(snapshot_for "$target_epoch")
    echo "Restore of the app cluster ($DATA, port $PG_PORT) from $REPO"
    echo "  to:     ${target:-the end of the archived WAL (latest)}"
    echo "  backups in the repository:"
    pgbr info | sed 's/^/    /'
    echo "  files:  ${snapshot:-no file snapshot} -> $MEDIA, $EXPORTS"
    echo "  the current data folder and files are moved aside (*.before-restore-<time>), not deleted."
    if [ "$dry" = 1 ]; then
        echo "Dry run: nothing changed."
        return
    fi
    if [ "$yes" != 1 ]; then
        if [ ! -t 0 ]; then
            echo "Refusing without confirmation: run with --yes (make restore YES=1)." >&2
            exit 1
        fi
        read -r -p "Stop the application servers first. Type 'restore' to go on: " answer
        [ "$answer" = restore ] || { echo "Nothing changed."; exit 1; }
    fi
    local started=$SECONDS stamp
    stamp=$(date -u +%Y%m%dT%H%M%SZ)
    if cluster_running; then as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null; fi
    if [ -d "$DATA" ]; then mv "$DATA" "$DATA.before-restore-$stamp"; fi
    owned_dir "$PG_DIR" "$RUN"
    owned_dir "$DATA"
    chmod 700 "$DATA"
    pgbr restore "${options[@]}"
    # The restored settings name the backed-up cluster's port, socket folder and repository:
    # this cluster's instead (the same when restoring in place; a copy elsewhere must neither
    # collide with the original nor archive into its repository).
    as_owner sed -i -e "s|^port = .*|port = $PG_PORT|" \
        -e "s|^unix_socket_directories = .*|unix_socket_directories = '$RUN'|" "$DATA/postgresql.conf"
    as_owner sed -i -e "s|^archive_command = .*|archive_command = 'pgbackrest --config=$CONF --stanza=$STANZA archive-push %p'|" \
        "$DATA/postgresql.auto.conf"
    as_owner "$BIN/pg_ctl" -D "$DATA" -l "$PG_DIR/server.log" -w -t 300 start >/dev/null
    local waited=0
    until [ "$(psql_app -c 'SELECT pg_is_in_recovery()' 2>/dev/null)" = f ]; do
        sleep 1
        waited=$((waited + 1))
        [ "$waited" -lt 600 ] || { echo "The cluster is still recovering after 600 s; see $PG_DIR/server.log" >&2; exit 1; }
    done
    local db_seconds=$((SECONDS - started))
    if [ -n "$snapshot" ]; then
        local into
        into=$(mktemp -d "$ROOT/.restore-files.XXXXXX")
        verify_files "$snapshot" "$into"
        for part in media exports; do
            local dest
            [ "$part" = media ] && dest=$MEDIA || dest=$EXPORTS
            if [ -d "$dest" ]; then mv "$dest" "$dest.before-restore-$stamp"; fi
            if [ -d "$into/$part" ]; then mv "$into/$part" "$dest"; else mkdir -p "$dest"; fi
        done
        rm -rf "$into"
    fi
    echo "Restored to ${target:-latest}: database in ${db_seconds}s, $(( SECONDS - started ))s in all."
    echo "Check it, then remove $DATA.before-restore-$stamp (and the files' *.before-restore-$stamp)."
    echo "Take a full backup now (scripts/backup.sh backup full): the restored cluster is a new timeline."
}

case "$ACTION" in
    setup) setup ;;
    backup) backup "$@" ;;
    restore) restore "$@" ;;
    info) write_config; pgbr info ;;
    check) write_config; pgbr check ;;
    files-verify)
        snap=${1:-$(snapshot_for "")}
        tmp=$(mktemp -d)
        verify_files "$snap" "$tmp" && echo "$snap: every file's SHA-256 matches"
        rm -rf "$tmp"
        ;;
    *) echo "usage: $0 backup [full|incr|diff] | restore [TARGET|latest] [--yes|--dry-run] | setup | info | check | files-verify [dir]" >&2; exit 2 ;;
esac
