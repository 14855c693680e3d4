"""The whole platform's backup and restore (scripts/backup.sh, `make backup`, `make restore`),
end to end on a throw-away cluster of its own: scripts/db.sh creates it (own port and folders
under /var/tmp, owned by `postgres` when run as root), rows and files are written, pgBackRest
takes a full and an incremental backup with WAL archiving on, more rows come after a chosen
moment, and the backup is restored to that moment into a fresh data folder: the row counts are
the moment's and every file comes back with its SHA-256.

Needs pgBackRest (Debian's `pgbackrest`; `make test` installs it) and PostgreSQL's binaries."""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest

from tests.tools import missing_tool

ROOT = Path(__file__).resolve().parent.parent
DB_SH = ROOT / "scripts" / "db.sh"
BACKUP_SH = ROOT / "scripts" / "backup.sh"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _sha256s(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def scratch():
    if shutil.which("pgbackrest") is None:
        missing_tool("pgBackRest", "sudo apt-get install pgbackrest")
    # Under /var/tmp, readable by the cluster's owner (pytest's tmp_path is private to root).
    home = Path(tempfile.mkdtemp(prefix="jejaring-backup-test-", dir="/var/tmp"))
    home.chmod(0o755)
    env = {
        **os.environ,
        "JEJARING_PG_DIR": str(home / "pg"),
        "JEJARING_PG_PORT": str(_free_port()),
        "JEJARING_PG_DB": "backup_test",
        "JEJARING_PG_PASSWORD": secrets.token_urlsafe(16),
        "JEJARING_BACKUP_DIR": str(home / "backup"),
        "MEDIA_ROOT": str(home / "media"),
        "EXPORT_ROOT": str(home / "exports"),
        "JEJARING_QUIET_OLD_CLUSTER": "1",
    }
    yield home, env
    for folder in ("pg", "fresh"):
        subprocess.run(  # noqa: S603 -- the project's own scripts
            [DB_SH, "stop", "app"],
            env={**env, "JEJARING_PG_DIR": str(home / folder)},
            capture_output=True,
            check=False,
        )
    shutil.rmtree(home, ignore_errors=True)


def _run(args, env, **kwargs) -> str:
    result = subprocess.run(  # noqa: S603 -- the project's own scripts
        [str(a) for a in args], env=env, capture_output=True, text=True, timeout=180, **kwargs
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout + result.stderr


def _connect(env):
    return psycopg.connect(
        host="127.0.0.1",
        port=int(env["JEJARING_PG_PORT"]),
        dbname=env["JEJARING_PG_DB"],
        user="jejaring",
        password=env["JEJARING_PG_PASSWORD"],
        autocommit=True,
    )


def _write_files(media: Path, names: list[str]) -> None:
    for name in names:
        path = media / "tenants" / "kota_malang" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(os.urandom(20_000))


def test_backup_then_restore_to_a_point_in_time_into_a_fresh_cluster(scratch):
    home, env = scratch
    started = time.monotonic()
    _run([DB_SH, "start", "app"], env)
    with _connect(env) as conn:
        conn.execute("CREATE TABLE agreement (id serial PRIMARY KEY, title text)")
        conn.execute(
            "INSERT INTO agreement (title) SELECT 'KSB ' || g FROM generate_series(1, 1000) g"
        )
    media = home / "media"
    _write_files(media, ["ksb-1.pdf", "ksb-2.pdf"])
    (home / "exports").mkdir()
    (home / "exports" / "kota_malang-final.zip").write_bytes(os.urandom(5_000))

    first = _run([BACKUP_SH, "backup"], env)
    assert "(full," in first, first  # the first backup is a full one
    with _connect(env) as conn:
        conn.execute(
            "INSERT INTO agreement (title) SELECT 'PKS ' || g FROM generate_series(1, 500) g"
        )
        conn.execute("UPDATE agreement SET title = title || ' (diubah)' WHERE id <= 10")
    _write_files(media, ["pks-1.pdf"])
    second = _run([BACKUP_SH, "backup"], env)
    assert "(incr," in second, second  # then incremental ones

    expected_files = _sha256s(media)
    expected_exports = _sha256s(home / "exports")
    time.sleep(1.2)
    target = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S+00")
    time.sleep(1.2)
    # After the target: rows the restore must not bring back.
    with _connect(env) as conn:
        conn.execute(
            "INSERT INTO agreement (title) SELECT 'later ' || g FROM generate_series(1, 250) g"
        )
        conn.execute("DELETE FROM agreement WHERE id <= 5")
    _run([BACKUP_SH, "check"], env)  # switches and archives the WAL holding them

    # A dry run changes nothing; without --yes and a terminal it refuses.
    dry = _run([BACKUP_SH, "restore", target, "--dry-run"], env)
    assert "Dry run: nothing changed." in dry
    refused = subprocess.run(  # noqa: S603
        [BACKUP_SH, "restore", target],
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    assert refused.returncode != 0 and "--yes" in refused.stderr
    with _connect(env) as conn:
        assert conn.execute("SELECT count(*) FROM agreement").fetchone()[0] == 1745

    # The machine is lost: the old cluster stops, and the backup goes into a fresh data folder.
    _run([DB_SH, "stop", "app"], env)
    fresh = {**env, "JEJARING_PG_DIR": str(home / "fresh")}
    (media / "tenants" / "kota_malang" / "ksb-1.pdf").write_bytes(b"damaged")
    restored = _run([BACKUP_SH, "restore", target, "--yes"], fresh)
    assert "Restored to" in restored

    with _connect(fresh) as conn:
        assert conn.execute("SELECT count(*) FROM agreement").fetchone()[0] == 1500
        assert (
            conn.execute("SELECT count(*) FROM agreement WHERE title LIKE '%(diubah)'").fetchone()[
                0
            ]
            == 10
        )
        assert (
            conn.execute("SELECT count(*) FROM agreement WHERE title LIKE 'later%'").fetchone()[0]
            == 0
        )
        assert conn.execute("SELECT pg_is_in_recovery()").fetchone()[0] is False
    assert _sha256s(media) == expected_files
    assert _sha256s(home / "exports") == expected_exports
    # The damaged copy was moved aside, not deleted.
    assert any(p.name.startswith("media.before-restore-") for p in home.iterdir())
    assert time.monotonic() - started < 120
