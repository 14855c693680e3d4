"""Faults: each injected while a small mixed load runs against the platform served as `make run`
serves it (gunicorn with DEBUG off, the task worker; started here on a free loopback port with
the configured database, the demo's under `make bench`).

The load: threads reading the platform's pages (home, the public registry, a marketplace search,
a region's profile) and a writer editing a published listing through the marketplace's own
action (the row, its audit event, the search index and the outbox in one transaction).

(a) postgres_restart: the app cluster stopped (scripts/db.sh stop app) for BENCH_FAULT_OUTAGE_S
    seconds and started again. Every answer during the outage must be the product's 503 page
    (never a 500 or a traceback); recovery is the time from the database's return to the first
    good answer; the worker must survive; then the invariants (core/invariants.py).
(b) worker_killed: a region export queued while a table its archive reads is locked, so the
    task is caught inside (the export RUNNING); the worker killed there (SIGKILL), the lock let
    go; a new worker finds the task lost (its liveness lock is free: core/task_recovery.py) and
    runs it again. The export must be READY once, with one
    archive, the task SUCCESSFUL after two runs.
(c) elasticsearch_hanging: a loopback port that accepts connections and never answers, as
    ELASTICSEARCH_URL of a second server and of a listing write with the outbox applied: every
    search must answer from PostgreSQL within BENCH_FAULT_SEARCH_BOUND_S, and the write's outbox
    row must still be pending after the failed attempt (it is applied when the index is back;
    no Elasticsearch server can run on these machines, so that last step is not shown here).
(d) disk_full: the uploaded files on a 1 MB tmpfs (as root, where the machine allows `mount`),
    a 1.5 MB PDF uploaded through the documents page: a 507 answer with the code
    `storage_full` or core.storage's message (shown on the form), no file left, no row.
    Without a mount, the Django-level test (core/tests/test_storage_full.py) stands in and the
    bench says so.
(e) app_server_killed: the multi-server shape (scripts/cluster.sh: HAProxy, two gunicorn
    servers, two workers, two schedulers, PgBouncer in transaction mode) started on free ports
    and a folder of its own (its PgBouncer's too), on this bench's database; readers (GET, HEAD)
    and two signed-in members drafting listings (POST) through HAProxy, each request with its
    own X-Request-ID; web1 SIGKILLed mid-load (`scripts/cluster.sh kill web1`), restarted
    (`scripts/cluster.sh start`) once HAProxy has marked it DOWN. No read may fail (HAProxy
    retries GET and HEAD on web2); a write may fail only if it had reached web1 (HAProxy's log
    names web1 as its server and it was unanswered when web1 was killed); each write's row is
    looked up by its title (a 302 left exactly one; a failed write, none or one). Timed from
    HAProxy's statistics page: the kill to web1 DOWN, the restart to web1 UP. The drafts and
    the members' sessions are removed afterwards; the invariants checked with them and after.

Per fault: requests and failed requests, time to recover, invariants held, the load average.
The invariants are checked once before the first fault: what is already broken then (another
run's leftovers in a shared database) is reported apart, and a fault breaks the invariants when
something else is broken after it.
One JSON object on the last line; the exit status is 1 if any invariant or expectation broke.
Environment: BENCH_FAULT_OUTAGE_S (5), BENCH_FAULT_SEARCH_BOUND_S (3), BENCH_FAULT_THREADS (4),
BENCH_FAULT_CLUSTER_LOAD_S (6: load before the kill and after web1's return; half alone on web2).
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
OUTAGE_S = float(os.environ.get("BENCH_FAULT_OUTAGE_S", "5"))
SEARCH_BOUND_S = float(os.environ.get("BENCH_FAULT_SEARCH_BOUND_S", "3"))
THREADS = int(os.environ.get("BENCH_FAULT_THREADS", "4"))
CLUSTER_LOAD_S = float(os.environ.get("BENCH_FAULT_CLUSTER_LOAD_S", "6"))
PAGES = [
    ("localhost", "/"),
    ("localhost", "/kerja-sama/"),
    ("localhost", "/pasar/?q=kopi"),
    ("localhost", "/kota-malang/"),
]
PRODUCT_503 = "Jejaring sedang tidak tersedia"
UPLOADER = "lurah.purwantoro@jejaring.test"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(**extra) -> dict:
    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "JEJARING_TASK_STALE_GRACE_SECONDS": "1",
        "JEJARING_TASK_SWEEP_SECONDS": "1",
    }
    env.update(extra)
    return env


def _start_web(port: int, env: dict, workers: int = 2) -> subprocess.Popen:
    process = subprocess.Popen(  # noqa: S603 -- our own server
        [GUNICORN, "portal.wsgi:application", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", str(workers), "--log-level", "warning", "--no-control-socket"],
        cwd=ROOT,
        env={**env, "JEJARING_PORT": str(port)},
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn exited at start")
        try:
            _get(port, "localhost", "/", timeout=5)
            return process
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer within 60 s")


def _start_worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 -- our own worker
        [PYTHON, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.2", "-v", "0"],
        cwd=ROOT,
        env=env,
    )


def _stop(process: subprocess.Popen | None) -> None:
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def _get(port: int, host: str, path: str, timeout: float = 10) -> tuple[int, str]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"Host": f"{host}:{port}"}
    )
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


class Load:
    """Readers on the public pages and one writer editing a listing, until stopped."""

    def __init__(self, port: int, writer=None):
        self.port = port
        self.writer = writer
        self.records: list[tuple[float, float, str, str]] = []  # start, end, kind, what
        self.writes: list[tuple[float, bool, str]] = []
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def _read(self, offset: int) -> None:
        i = offset
        while not self._stop.is_set():
            host, path = PAGES[i % len(PAGES)]
            i += 1
            started = time.monotonic()
            try:
                status, body = _get(self.port, host, path)
                if status < 400:
                    kind = "ok"
                elif status == 503 and PRODUCT_503 in body:
                    kind = "product_503"
                else:
                    kind = f"http_{status}" + ("_traceback" if "Traceback" in body else "")
            except OSError as exc:
                kind = f"network_{exc.__class__.__name__}"
            self.records.append((started, time.monotonic(), kind, path))
            time.sleep(0.05)

    def _write(self) -> None:
        from django.db import close_old_connections

        i = 0
        while not self._stop.is_set():
            i += 1
            try:
                close_old_connections()
                self.writer(i)
                self.writes.append((time.monotonic(), True, ""))
            except Exception as exc:  # the outage: the write must fail whole
                self.writes.append((time.monotonic(), False, exc.__class__.__name__))
                from django.db import connections

                connections.close_all()
            time.sleep(0.2)

    def start(self) -> None:
        self._threads = [
            threading.Thread(target=self._read, args=(n,), daemon=True) for n in range(THREADS)
        ]
        if self.writer is not None:
            self._threads.append(threading.Thread(target=self._write, daemon=True))
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(30)


def _listing_writer():
    """Edits a published listing of a region through marketplace.actions.update_listing, as
    its office (a moderator: the listing stays published)."""
    from marketplace import actions
    from marketplace.models import Listing, ListingStatus
    from tenants.models import Membership, Role

    listing = (
        Listing.objects.filter(status=ListingStatus.PUBLISHED).select_related("tenant").first()
    )
    if listing is None:
        return None
    membership = (
        Membership.objects.filter(tenant_id=listing.tenant_id, role=Role.ADMIN)
        .select_related("user", "tenant")
        .first()
    )
    if membership is None:
        return None
    base = re.sub(r" \(\d+\)$", "", listing.title)[:180]

    def write(i: int) -> None:
        current = Listing.objects.get(pk=listing.pk)
        actions.update_listing(
            membership=membership, listing=current, fields={"title": f"{base} ({i % 7})"}
        )

    return write


# What was already broken before the first fault (another run's leftovers in a shared
# database, say): reported apart, and a fault is judged by what it broke itself.
_BROKEN_BEFORE: dict[str, set[str]] = {}


def _invariants() -> dict:
    """core/invariants.py's checks; `held` when nothing is broken that was not already broken
    before the faults (main() records that first)."""
    from django.db import connections

    from core import invariants

    connections.close_all()
    results = invariants.check_all()
    new = {r.name: set(r.broken) - _BROKEN_BEFORE.get(r.name, set()) for r in results}
    checks = {r.name: r.as_dict() for r in results}
    for name, broken in new.items():
        if _BROKEN_BEFORE.get(name):
            checks[name]["broken_before_the_faults"] = len(_BROKEN_BEFORE[name])
            checks[name]["newly_broken"] = len(broken)
    return {"held": not any(new.values()), "checks": checks}


def _record_broken_before() -> dict[str, int]:
    from django.db import connections

    from core import invariants

    connections.close_all()
    for result in invariants.check_all():
        if result.broken:
            _BROKEN_BEFORE[result.name] = set(result.broken)
    return {name: len(broken) for name, broken in _BROKEN_BEFORE.items()}


def _db(action: str) -> None:
    subprocess.run(  # noqa: S603 -- our own script
        [str(ROOT / "scripts" / "db.sh"), action, "app"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        env={**os.environ, "JEJARING_QUIET_OLD_CLUSTER": "1"},
    )


# --- (a) PostgreSQL restarted -------------------------------------------------------------------


def fault_postgres_restart(port: int, worker: subprocess.Popen) -> dict:
    load = Load(port, writer=_listing_writer())
    load.start()
    time.sleep(3)
    down = time.monotonic()
    _db("stop")
    time.sleep(OUTAGE_S)
    _db("start")
    up = time.monotonic()
    time.sleep(8)
    load.stop()
    during = [r for r in load.records if down <= r[0] <= up]
    after = sorted((r for r in load.records if r[0] >= up), key=lambda r: r[0])
    first_ok = next((r for r in after if r[2] == "ok"), None)
    recover_s = round(first_ok[1] - up, 2) if first_ok else None
    settled = [r for r in after if first_ok and r[0] > first_ok[1]]
    kinds: dict[str, int] = {}
    for r in load.records:
        kinds[r[2]] = kinds.get(r[2], 0) + 1
    bad = [r for r in load.records if r[2] not in ("ok", "product_503")]
    result = {
        "requests": len(load.records),
        "requests_failed": sum(1 for r in load.records if r[2] != "ok"),
        "answers": kinds,
        "during_outage": len(during),
        "not_the_product_503": len(bad),
        "failed_after_recovery": sum(1 for r in settled if r[2] != "ok"),
        "time_to_recover_s": recover_s,
        "writes": len(load.writes),
        "writes_failed": sum(1 for w in load.writes if not w[1]),
        "writes_after_recovery_ok": all(w[1] for w in load.writes if w[0] > up + 2),
        "worker_survived": worker.poll() is None,
    }
    inv = _invariants()
    result["invariants_held"] = inv["held"]
    result["invariants"] = inv["checks"]
    result["ok"] = bool(
        inv["held"]
        and not bad
        and recover_s is not None
        and recover_s < 10
        and not result["failed_after_recovery"]
        and result["writes_after_recovery_ok"]
        and result["worker_survived"]
    )
    return result


# --- (b) the worker killed mid-task -------------------------------------------------------------


def _queue_export(env: dict) -> int | None:
    code = (
        "from tenants import region_lifecycle\n"
        "from tenants.models import Tenant\n"
        "from accounts.models import User\n"
        "staff = User.objects.filter(is_staff=True, is_active=True).first()\n"
        "tenant = Tenant.objects.filter(schema_name='kota_malang').first()\n"
        "print('EXPORT', region_lifecycle.request_export(tenant=tenant, acting_user=staff).pk "
        "if staff and tenant else 'none')\n"
    )
    out = subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    value = out.rsplit("EXPORT", 1)[-1].strip()
    return int(value) if value.isdigit() else None


def fault_worker_killed(env: dict, worker: subprocess.Popen) -> tuple[dict, subprocess.Popen]:
    from django.conf import settings
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from core.task_recovery import _connect
    from tenants.models import ExportState, TenantExport

    # The export's task is caught mid-way deterministically: a table the archive reads after
    # the export is marked RUNNING (the region's invitations) is locked here, so the task
    # waits inside; the worker is killed there, then the lock is let go.
    blocker = _connect()
    blocker.autocommit = False
    blocker.execute("LOCK TABLE tenants_invitation IN ACCESS EXCLUSIVE MODE")
    caught = None
    try:
        export_id = _queue_export(env)
        if export_id is None:
            return {"ok": False, "error": "no staff account or no kota_malang"}, worker
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and caught is None:
            task = (
                DBTaskResult.objects.filter(
                    task_path="tenants.tasks.build_tenant_export", args_kwargs__args=[export_id]
                )
                .order_by("-enqueued_at")
                .first()
            )
            export = TenantExport.objects.get(pk=export_id)
            if (
                task is not None
                and task.status == TaskResultStatus.RUNNING
                and export.state == ExportState.RUNNING
            ):
                time.sleep(0.5)  # well inside the archive's first queries
                os.kill(worker.pid, signal.SIGKILL)
                worker.wait()
                caught = (export_id, task.pk, time.monotonic())
            time.sleep(0.05)
    finally:
        blocker.rollback()
        blocker.close()
    attempts = 1
    if caught is None:
        return {"ok": False, "error": "the export's task was not seen running"}, worker
    export_id, task_id, killed_at = caught
    worker = _start_worker(env)
    deadline = time.monotonic() + 120
    recovered = None
    while time.monotonic() < deadline:
        export = TenantExport.objects.get(pk=export_id)
        task = DBTaskResult.objects.get(pk=task_id)
        if export.state in (ExportState.READY, ExportState.FAILED) and task.status in (
            TaskResultStatus.SUCCESSFUL,
            TaskResultStatus.FAILED,
        ):
            recovered = time.monotonic() - killed_at
            break
        time.sleep(0.2)
    archives = sorted(Path(settings.EXPORT_ROOT).glob(f"*-{export_id}.zip"))
    partials = sorted(Path(settings.EXPORT_ROOT).glob(f"*-{export_id}.zip.part"))
    export = TenantExport.objects.get(pk=export_id)
    task = DBTaskResult.objects.get(pk=task_id)
    inv = _invariants()
    result = {
        "tries_to_catch_it_running": attempts,
        "export": export_id,
        "export_state": export.state,
        "task_status": task.status,
        "task_runs": len(task.worker_ids),
        "archives": len(archives),
        "partial_archives_left": len(partials),
        "time_to_recover_s": round(recovered, 2) if recovered is not None else None,
        "requests_failed": 0,
        "invariants_held": inv["held"],
    }
    result["ok"] = bool(
        inv["held"]
        and export.state == ExportState.READY
        and task.status == TaskResultStatus.SUCCESSFUL
        and len(task.worker_ids) == 2
        and len(archives) == 1
        and not partials
    )
    return result, worker


# --- (c) Elasticsearch unreachable and hanging --------------------------------------------------


class HangingServer:
    """Accepts every connection and never answers."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.held: list[socket.socket] = []
        self._stop = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)

    def close(self) -> None:
        self._stop = True
        self.sock.close()
        for conn in self.held:
            conn.close()


WRITE_AND_APPLY = """
import json, time
from django.utils import timezone
from marketplace.models import Listing, ListingStatus
from marketplace import actions
from search.index import apply_outbox
from search.models import IndexTask
from tenants.models import Membership, Role
listing = Listing.objects.filter(status=ListingStatus.PUBLISHED).first()
office = Membership.objects.filter(tenant_id=listing.tenant_id, role=Role.ADMIN).first()
started = timezone.now()
actions.update_listing(membership=office, listing=listing, fields={"title": listing.title + " ·"})
actions.update_listing(membership=office, listing=Listing.objects.get(pk=listing.pk),
                       fields={"title": listing.title})
t0 = time.monotonic()
try:
    applied = apply_outbox()
    error = ""
except Exception as exc:
    applied, error = None, exc.__class__.__name__
rows = IndexTask.objects.filter(object_id=listing.pk, created_at__gte=started)
print("RESULT " + json.dumps({
    "listing": listing.pk, "apply_s": round(time.monotonic() - t0, 2), "applied": str(applied),
    "error": error, "changes": rows.count(), "pending": rows.filter(done_at__isnull=True).count(),
    "attempted": rows.filter(attempts__gte=1).count(),
}))
"""


def fault_elasticsearch_hanging(env: dict) -> dict:
    hanging = HangingServer()
    es_env = {**env, "ELASTICSEARCH_URL": f"http://127.0.0.1:{hanging.port}"}
    port = _free_port()
    web = _start_web(port, es_env, workers=2)
    try:
        timings, statuses = [], []
        for query in ("kopi", "batik", "wisata", "garam", "kopi robusta", "tenun", "sapi", "beras"):
            started = time.monotonic()
            path = f"/pasar/?q={urllib.parse.quote_plus(query)}"
            status, body = _get(port, "localhost", path, timeout=30)
            timings.append(time.monotonic() - started)
            statuses.append(status)
        write = subprocess.run(  # noqa: S603
            [PYTHON, "manage.py", "shell", "-c", WRITE_AND_APPLY],
            cwd=ROOT,
            env=es_env,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        found = re.search(r"RESULT (\{.*\})", write.stdout)
        outbox = json.loads(found.group(1)) if found else {"error": write.stderr[-500:]}
    finally:
        _stop(web)
        hanging.close()
    inv = _invariants()
    result = {
        "requests": len(timings),
        "requests_failed": sum(1 for s in statuses if s >= 400),
        "search_max_s": round(max(timings), 2),
        "search_bound_s": SEARCH_BOUND_S,
        "outbox": outbox,
        "index_back": "not shown: no Elasticsearch server can run on this machine",
        "time_to_recover_s": 0,
        "invariants_held": inv["held"],
    }
    result["ok"] = bool(
        inv["held"]
        and not result["requests_failed"]
        and max(timings) <= SEARCH_BOUND_S
        and outbox.get("changes", 0) >= 2
        and outbox.get("pending") == outbox.get("changes")
    )
    return result


# --- (d) the disk full during an upload ---------------------------------------------------------


def _multipart(fields: dict, file_field: str, filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            ).encode()
        )
    parts.append(
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
            f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'
        ).encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _valid_pdf() -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _storage_full_message() -> str:
    """core.storage's refusal as the page shows it (in Indonesian, HTML-escaped)."""
    import html

    from django.utils import translation

    from core import storage

    with translation.override("id"):
        return html.escape(str(storage.MESSAGE))


def fault_disk_full(env: dict) -> dict:
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import Client
    from django_tenants.utils import tenant_context

    from accounts.models import User
    from tenants.models import Membership
    from workspace.models import Document

    if os.geteuid() != 0:
        return {"ok": True, "skipped": "not root: no tmpfs; core/tests/test_storage_full.py"}
    media = Path(tempfile.mkdtemp(prefix="jejaring-full-", dir="/var/tmp"))
    mounted = (
        subprocess.run(  # noqa: S603
            ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(media)],  # noqa: S607
            capture_output=True,
            check=False,
        ).returncode
        == 0
    )
    if not mounted:
        media.rmdir()
        return {
            "ok": True,
            "skipped": "mount -t tmpfs is not allowed here: core/tests/test_storage_full.py "
            "(ENOSPC at Django level) stands in",
        }
    port = _free_port()
    web = None
    try:
        user = User.objects.filter(email=UPLOADER).first()
        membership = Membership.objects.filter(user=user).select_related("tenant").first()
        if membership is None:
            return {"ok": False, "error": f"demo member {UPLOADER} missing"}
        tenant = membership.tenant
        with tenant_context(tenant):
            rows_before = Document.objects.count()
        web = _start_web(port, {**env, "MEDIA_ROOT": str(media)}, workers=1)
        client = Client()
        client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[0])
        session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
        assert SessionStore(session_key).exists(session_key)
        jar = CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
        host = f"{tenant.schema_name.replace('_', '-')}.localhost:{port}"
        base = f"http://127.0.0.1:{port}"
        cookie = f"{settings.SESSION_COOKIE_NAME}={session_key}"
        page = (
            opener.open(
                urllib.request.Request(  # noqa: S310 -- http on loopback
                    f"{base}/dokumen/", headers={"Host": host, "Cookie": cookie}
                ),
                timeout=30,
            )
            .read()
            .decode()
        )
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        csrf = next(c.value for c in jar if c.name == settings.CSRF_COOKIE_NAME)
        pdf = _valid_pdf() + b"%" + b"x" * 1_500_000 + b"\n"
        body, content_type = _multipart(
            {
                "csrfmiddlewaretoken": token,
                "title": "Naskah KSB (disk penuh)",
                "area": membership.area_id or "",
            },
            "file",
            "ksb.pdf",
            pdf,
        )
        request = urllib.request.Request(  # noqa: S310 -- http on loopback
            f"{base}/dokumen/",
            data=body,
            headers={
                "Host": host,
                "Cookie": f"{cookie}; {settings.CSRF_COOKIE_NAME}={csrf}",
                "Content-Type": content_type,
                "Referer": f"http://{host}/dokumen/",
                "Origin": f"http://{host}",
            },
        )
        try:
            with opener.open(request, timeout=60) as response:
                status, answer = response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            status, answer = exc.code, exc.read().decode("utf-8", "replace")
        left = [str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()]
        with tenant_context(tenant):
            rows_after = Document.objects.count()
    finally:
        _stop(web)
        subprocess.run(["umount", str(media)], check=False)  # noqa: S603,S607
        media.rmdir()
    inv = _invariants()
    result = {
        "requests": 1,
        "status": status,
        # The product's error page names the code; a form answers with the message by the field.
        "clear_error": "storage_full" in answer or _storage_full_message() in answer,
        "files_left": left,
        "rows_written": rows_after - rows_before,
        "requests_failed": 1 if status >= 400 else 0,
        "time_to_recover_s": 0,
        "invariants_held": inv["held"],
    }
    result["ok"] = bool(
        inv["held"]
        and status == 507
        and result["clear_error"]
        and not left
        and result["rows_written"] == 0
    )
    return result


# --- (e) an application server killed behind the proxy ------------------------------------------

CLUSTER_MARK = "Bench faults (e)"
CLUSTER_WRITERS = [
    # (account, its region's schema): each writer signs in once and drafts listings there
    ("opd.pu.malang@jejaring.test", "kota_malang"),
    ("opd.pertanian.kabmalang@jejaring.test", "kabupaten_malang"),
]
CLUSTER_SCRIPT = ROOT / "scripts" / "cluster.sh"
# HAProxy's log line per request (docker/haproxy.cfg's log-format): the server it went to, its
# status, the termination state, the retries (`+` when redispatched) and the request id.
HAPROXY_LINE = re.compile(
    r"\] platform (?P<backend>[^/\s]+)/(?P<server>\S+) (?P<timers>\S+) (?P<status>-?\d+) "
    r"\S+ (?P<tsc>\S+) (?P<conns>\S+) \"(?P<request>[^\"]*)\" id=\{(?P<id>[^}]*)\}"
)


def _request(port: int, method: str, host: str, path: str, headers: dict, body=None) -> int:
    request = urllib.request.Request(  # noqa: S310 -- http on loopback
        f"http://127.0.0.1:{port}{path}",
        data=body,
        method=method,
        headers={"Host": host, **headers},
    )
    try:
        with _OPENER.open(request, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        exc.read()
        return exc.code


class ClusterLoad:
    """Through HAProxy: readers (GET, every fifth request a HEAD) on the public pages, and one
    writer per signed-in member drafting listings (POST /pasar/baru/, each title its own).
    Every request carries an X-Request-ID of its own, which HAProxy's log keeps with the server
    that answered it."""

    def __init__(self, port: int, writers: list[dict]):
        self.port = port
        self.writers = writers
        self.records: list[dict] = []
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._count = 0
        self._lock = threading.Lock()
        self.writes_in_flight: dict[str, float] = {}  # request id -> when it was sent

    def _send(self, method: str, host: str, path: str, headers=None, body=None, **extra) -> None:
        with self._lock:
            self._count += 1
            rid = f"flt-e-{os.getpid()}-{self._count}"
        started = time.monotonic()
        if method == "POST":
            self.writes_in_flight[rid] = started
        try:
            status = _request(
                self.port, method, host, path, {"X-Request-ID": rid, **(headers or {})}, body
            )
            error = ""
        except OSError as exc:
            status, error = None, exc.__class__.__name__
        self.writes_in_flight.pop(rid, None)
        record = {"id": rid, "method": method, "path": path, "status": status, "error": error}
        record.update(start=started, end=time.monotonic(), **extra)
        with self._lock:
            self.records.append(record)

    def _read(self, offset: int) -> None:
        i = offset
        while not self._stop.is_set():
            host, path = PAGES[i % len(PAGES)]
            # Every fifth request a HEAD of the home page (the registry's and the marketplace's
            # views answer HEAD with 405: GET only).
            if i % 5 == 4:
                self._send("HEAD", f"localhost:{self.port}", "/")
            else:
                self._send("GET", f"{host}:{self.port}", path)
            i += 1
            time.sleep(0.05)

    def wait_for_writes_in_flight(self, timeout: float = 5) -> int:
        """Waits (up to `timeout`) until every writer has a write under way for 20 ms at least,
        so the kill is likely to catch one on web1; returns how many are under way."""
        deadline = time.monotonic() + timeout
        while True:
            now = time.monotonic()
            under_way = sum(1 for t in list(self.writes_in_flight.values()) if now - t >= 0.02)
            if under_way >= len(self.writers) or now >= deadline:
                return under_way
            time.sleep(0.005)

    def _write(self, writer: dict) -> None:
        while not self._stop.is_set():
            title = f"{CLUSTER_MARK} {uuid.uuid4().hex[:12]}"
            fields = {**writer["form"], "csrfmiddlewaretoken": writer["csrf"], "title": title}
            self._send(
                "POST",
                writer["host"],
                "/pasar/baru/",
                headers={
                    "Cookie": writer["cookie"],
                    "X-CSRFToken": writer["csrf"],
                    "Content-Type": "application/x-www-form-urlencoded",
                },
                body=urllib.parse.urlencode(fields).encode(),
                title=title,
            )
            time.sleep(0.05)

    def start(self) -> None:
        self._threads = [
            threading.Thread(target=self._read, args=(n,), daemon=True) for n in range(THREADS)
        ] + [threading.Thread(target=self._write, args=(w,), daemon=True) for w in self.writers]
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(60)


class ServerWatch:
    """HAProxy's view of one server (its statistics page as CSV), polled every 0.1 s: each
    change of its status (UP, DOWN, `DOWN 1/2` while a check is failing...) with its time."""

    def __init__(self, stats_port: int, server: str = "web1"):
        self.url = f"http://127.0.0.1:{stats_port}/;csv"
        self.server = server
        self.changes: list[tuple[float, str]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def status(self) -> str:
        import csv
        import io

        try:
            with urllib.request.urlopen(self.url, timeout=2) as response:  # noqa: S310
                text = response.read().decode().lstrip("# ")
        except OSError:
            return "stats unreachable"
        for row in csv.DictReader(io.StringIO(text)):
            if row["pxname"] == "app" and row["svname"] == self.server:
                return row["status"]
        return "absent"

    def _poll(self) -> None:
        while not self._stop.is_set():
            status = self.status()
            if not self.changes or self.changes[-1][1] != status:
                self.changes.append((time.monotonic(), status))
            time.sleep(0.1)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(10)

    def wait_for(self, status: str, after: float, timeout: float) -> float | None:
        """When the server's status first became `status` at or after `after`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            seen = next((t for t, s in list(self.changes) if s == status and t >= after), None)
            if seen is not None:
                return seen
            time.sleep(0.05)
        return None


def _cluster_env(folder: Path, ports: dict) -> dict:
    """scripts/cluster.sh on ports and folders of its own (its PgBouncer too: PGBOUNCER_DIR),
    so a `make cluster` or `make run` of the machine is left alone; its database is this
    bench's (the demo's under `make bench`)."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        **{name: str(port) for name, port in ports.items()},
        "CLUSTER_DIR": str(folder),
        "PGBOUNCER_DIR": str(folder / "pgbouncer"),
        "WEB_WORKERS": "2",
        "JEJARING_PG_DB": db["NAME"],
        "JEJARING_PG_PORT": str(db.get("PORT") or 5432),
        "JEJARING_QUIET_OLD_CLUSTER": "1",
    }
    if db.get("PASSWORD"):
        env["JEJARING_PG_PASSWORD"] = db["PASSWORD"]
    return env


def _cluster(env: dict, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 -- our own script
        [str(CLUSTER_SCRIPT), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _sign_in_writers(port: int) -> list[dict]:
    """The writers' members signed in through allauth, through HAProxy, as a browser does."""
    import requests
    from django.conf import settings

    from bench.load import _login
    from marketplace import kbli
    from tenants.models import Tenant

    platform = f"{settings.JEJARING_BASE_DOMAIN}:{port}"
    valid_until = time.strftime("%Y-12-31", time.localtime(time.time() + 200 * 86400))
    writers = []
    for email, schema in CLUSTER_WRITERS:
        tenant = Tenant.objects.get(schema_name=schema)
        session = requests.Session()
        _login(session, port, platform, email)
        session_key = session.cookies[settings.SESSION_COOKIE_NAME]
        csrf = session.cookies[settings.CSRF_COOKIE_NAME]
        writers.append(
            {
                "host": f"{tenant.domains.get(is_primary=True).domain}:{port}",
                "session_key": session_key,
                "csrf": csrf,
                "cookie": f"{settings.SESSION_COOKIE_NAME}={session_key}; "
                f"{settings.CSRF_COOKIE_NAME}={csrf}",
                "form": {
                    "kind": "product",
                    "description": "Draf dari uji gangguan: kapasitas, harga dan kontak menyusul.",
                    "sector": kbli.CHOICES[0][0],
                    "urusan": "3.26",
                    "area": "",
                    "contact_name": "Bagian Kerja Sama",
                    "contact_email": "kerja-sama@jejaring.test",
                    "valid_until": valid_until,
                    "language": "id",
                },
            }
        )
    return writers


def _haproxy_log(path: Path) -> dict[str, dict]:
    """HAProxy's line for each of the bench's requests, by request id."""
    lines: dict[str, dict] = {}
    if not path.exists():
        return lines
    for line in path.read_text(errors="replace").splitlines():
        found = HAPROXY_LINE.search(line)
        if found is None or not found["id"].startswith("flt-e-"):
            continue
        retries = found["conns"].rsplit("/", 1)[-1]
        timers = found["timers"].split("/")  # TR/Tw/Tc/Tr/Ta; Tc -1: no connection made
        lines[found["id"]] = {
            "server": found["server"],
            "connect_ms": int(timers[2]) if len(timers) == 5 else -1,
            "status": int(found["status"]),
            "termination": found["tsc"],
            "retries": int(retries.lstrip("+") or 0),
            "redispatched": retries.startswith("+"),
        }
    return lines


def _count(values) -> dict[str, int]:
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


def _classify(records: list[dict], log: dict, rows: dict, kill: tuple[float, float]) -> dict:
    """Reads must all succeed (HAProxy retries GET and HEAD on the other server). A write may
    fail only if it reached the killed server: HAProxy's log names web1 as its server, with the
    connection to it established (Tc >= 0: the request was delivered to web1's socket) and
    closed by the server side before an answer (termination state S...). That includes a write
    sent while web1 was in flight and one sent in the few milliseconds after `kill` returned
    while web1's processes were still being torn down (the kernel still completes connections
    into a dying listener's backlog, then resets them): HAProxy cannot tell either from a
    request web1 was working on, so it does not resend a POST. A write refused at connection
    (Tc = -1) and not redispatched, or failed on web2, could have gone to web2: a failure.
    Each write's row is looked up by its title: a write answered 302 left exactly one; a failed
    one none or one (web1 may have committed before it died)."""
    kill_start, kill_end = kill
    reads = [r for r in records if r["method"] in ("GET", "HEAD")]
    writes = [r for r in records if r["method"] == "POST"]
    reads_failed = [r for r in reads if r["status"] is None or r["status"] >= 400]
    writes_ok = [r for r in writes if r["status"] == 302]
    failed_writes = []
    for r in writes:
        if r["status"] == 302:
            continue
        entry = log.get(r["id"], {})
        reached_killed = (
            entry.get("server") == "web1"
            and entry.get("connect_ms", -1) >= 0
            and entry.get("termination", "").startswith("S")
        )
        failed_writes.append(
            {
                "id": r["id"],
                "status": r["status"],
                "error": r["error"],
                "server": entry.get("server"),
                "termination": entry.get("termination"),
                "connect_ms": entry.get("connect_ms"),
                "in_flight_at_kill": r["start"] <= kill_end and r["end"] >= kill_start,
                "sent_ms_after_kill_returned": max(0, round((r["start"] - kill_end) * 1000)),
                "class": "reached_the_killed_server"
                if reached_killed
                else "could_have_gone_to_web2",
                "committed": rows.get(r["title"], 0) > 0,
                "ms": round((r["end"] - r["start"]) * 1000),
            }
        )
    served = _count(log.get(r["id"], {}).get("server", "not in HAProxy's log") for r in records)
    in_flight_reads = [r for r in reads if r["start"] <= kill_end and r["end"] >= kill_start]
    return {
        "requests": len(records),
        "requests_failed": len(reads_failed) + len(failed_writes),
        "reads": len(reads),
        "reads_head": sum(1 for r in reads if r["method"] == "HEAD"),
        "reads_failed": len(reads_failed),
        "reads_failed_detail": [
            {k: r[k] for k in ("id", "method", "path", "status", "error")}
            | {"server": log.get(r["id"], {}).get("server")}
            for r in reads_failed[:10]
        ],
        "reads_in_flight_at_kill": len(in_flight_reads),
        "writes": len(writes),
        "writes_ok": len(writes_ok),
        "writes_ok_without_their_row": sum(1 for r in writes_ok if rows.get(r["title"], 0) != 1),
        "writes_failed": len(failed_writes),
        "writes_failed_reached_the_killed_server": sum(
            1 for w in failed_writes if w["class"] == "reached_the_killed_server"
        ),
        "writes_failed_could_have_gone_to_web2": sum(
            1 for w in failed_writes if w["class"] == "could_have_gone_to_web2"
        ),
        "writes_failed_but_committed": sum(1 for w in failed_writes if w["committed"]),
        "writes_failed_by_answer": _count(
            f"{w['status'] or w['error']} {w['server']} {w['termination']}" for w in failed_writes
        ),
        "failed_writes": failed_writes[:10],
        "rows_written_twice": sum(1 for n in rows.values() if n > 1),
        "retried_by_haproxy": sum(1 for r in records if log.get(r["id"], {}).get("retries", 0) > 0),
        "redispatched_by_haproxy": sum(
            1 for r in records if log.get(r["id"], {}).get("redispatched")
        ),
        "answered_by": served,
    }


def _remove_cluster_rows(writers: list[dict]) -> int:
    """The bench's drafts (never published, nothing indexed) and its members' sessions."""
    from django.contrib.sessions.models import Session

    from marketplace.models import Listing

    Session.objects.filter(session_key__in=[w["session_key"] for w in writers]).delete()
    removed = Listing.objects.filter(title__startswith=CLUSTER_MARK).delete()[1]
    return removed.get("marketplace.Listing", 0)


def fault_app_server_killed() -> dict:
    from django.db import connections

    from marketplace.models import Listing

    if not CLUSTER_SCRIPT.exists():
        return {"ok": True, "pending": "scripts/cluster.sh (make cluster) is not there yet"}
    folder = Path(tempfile.mkdtemp(prefix="jejaring-faults-cluster-"))
    folder.chmod(0o755)  # noqa: S103 -- PgBouncer and HAProxy run as their own users as root
    ports = {
        name: _free_port()
        for name in ("PORT", "WEB1_PORT", "WEB2_PORT", "STATS_PORT", "POOLER_PORT")
    }
    env = _cluster_env(folder, ports)
    port = ports["PORT"]
    load = watch = None
    writers: list[dict] = []
    timing: dict = {}
    done = False
    try:
        started = _cluster(env, "start")
        if started.returncode != 0:
            return {
                "ok": False,
                "error": "scripts/cluster.sh start failed",
                "output": (started.stdout + started.stderr)[-1500:],
            }
        writers = _sign_in_writers(port)
        watch = ServerWatch(ports["STATS_PORT"])
        watch.start()
        load = ClusterLoad(port, writers)
        load.start()
        time.sleep(CLUSTER_LOAD_S)
        timing["writes_under_way_at_kill"] = load.wait_for_writes_in_flight()
        kill_start = time.monotonic()
        killed = _cluster(env, "kill", "web1", timeout=30)
        kill_end = time.monotonic()
        down_at = watch.wait_for("DOWN", after=kill_start, timeout=30)
        time.sleep(CLUSTER_LOAD_S / 2)  # web2 alone
        restart_start = time.monotonic()
        restarted = _cluster(env, "start")
        restart_end = time.monotonic()
        up_at = watch.wait_for("UP", after=restart_start, timeout=60)
        time.sleep(CLUSTER_LOAD_S)
        timing |= {
            "killed": killed.returncode == 0,
            "restarted": restarted.returncode == 0,
            "marked_down_s": round(down_at - kill_start, 2) if down_at else None,
            "restart_command_s": round(restart_end - restart_start, 2),
            "back_in_rotation_s": round(up_at - restart_start, 2) if up_at else None,
            "web1_statuses": [
                (round(t - kill_start, 2), s) for t, s in watch.changes if t >= kill_start
            ],
        }
        done = True
    finally:
        if load is not None:
            load.stop()
        if watch is not None:
            watch.stop()
        stopped = _cluster(env, "stop", timeout=180)
        if not done:  # the fault's own code failed: its rows leave all the same
            _remove_cluster_rows(writers)
    time.sleep(0.5)
    log = _haproxy_log(folder / "logs" / "haproxy.log")
    connections.close_all()
    marked = Listing.objects.filter(title__startswith=CLUSTER_MARK)
    rows = _count(marked.values_list("title", flat=True))
    result = _classify(load.records, log, rows, (kill_start, kill_end))
    inv_with_rows = _invariants()
    result["drafts_removed"] = _remove_cluster_rows(writers)
    inv = _invariants()
    result.update(timing)
    result["time_to_recover_s"] = timing.get("back_in_rotation_s")
    result["cluster_stopped"] = stopped.returncode == 0
    result["logs"] = str(folder / "logs")
    result["invariants_held"] = inv_with_rows["held"] and inv["held"]
    if not result["invariants_held"]:
        result["invariants"] = inv["checks"] if not inv["held"] else inv_with_rows["checks"]
    result["ok"] = bool(
        result["invariants_held"]
        and timing.get("killed")
        and timing.get("restarted")
        and timing.get("marked_down_s") is not None
        and timing.get("back_in_rotation_s") is not None
        and result["reads_failed"] == 0
        and result["writes_failed_could_have_gone_to_web2"] == 0
        and result["writes_ok_without_their_row"] == 0
        and result["rows_written_twice"] == 0
        and result["writes_ok"] > 0
    )
    return result


def _guard(fault, *args) -> dict:
    """A fault whose own code failed is reported as broken; the others still run."""
    import traceback

    try:
        result = fault(*args)
    except (Exception, SystemExit) as exc:  # noqa: BLE001
        traceback.print_exc()
        result = {"ok": False, "error": repr(exc)}
    result["loadavg"] = _loadavg()
    print(json.dumps(result, default=str)[:3000], flush=True)
    return result


def _loadavg() -> list[float]:
    """The machine's load average (1, 5, 15 minutes) when the fault ended."""
    return [round(x, 2) for x in os.getloadavg()]


def main() -> None:
    from django.db import connections

    env = _env()
    broken_before = _record_broken_before()
    if broken_before:
        print(f"Invariants already broken before the faults: {broken_before}", flush=True)
    port = _free_port()
    print(f"Serving on 127.0.0.1:{port} (2 gunicorn workers, a task worker)", flush=True)
    web = _start_web(port, env)
    worker = _start_worker(env)
    results: dict[str, dict] = {}
    started = time.monotonic()
    try:
        print("(a) PostgreSQL restarted...", flush=True)
        results["postgres_restart"] = _guard(fault_postgres_restart, port, worker)
        connections.close_all()
        print("(b) the worker killed mid-task...", flush=True)
        try:
            results["worker_killed"], worker = fault_worker_killed(env, worker)
        except Exception as exc:  # noqa: BLE001 -- reported as a broken fault
            results["worker_killed"] = {"ok": False, "error": repr(exc)}
        results["worker_killed"]["loadavg"] = _loadavg()
        print(json.dumps(results["worker_killed"], default=str), flush=True)
        _stop(worker)
        worker = None
        # The first server is done with: (c), (d) and (e) start their own.
        _stop(web)
        print("(c) Elasticsearch unreachable and hanging...", flush=True)
        results["elasticsearch_hanging"] = _guard(fault_elasticsearch_hanging, env)
        print("(d) the disk full during an upload...", flush=True)
        results["disk_full"] = _guard(fault_disk_full, env)
        print("(e) an application server killed behind the proxy...", flush=True)
        results["app_server_killed"] = _guard(fault_app_server_killed)
    finally:
        _stop(web)
        _stop(worker)
    for name, result in results.items():
        brief = {
            k: result.get(k)
            for k in ("requests_failed", "time_to_recover_s", "invariants_held", "loadavg", "ok")
        }
        print(f"{name}: {brief}", flush=True)
    summary = {
        "faults": results,
        "all_ok": all(r.get("ok") for r in results.values()),
        "invariants_broken_before_the_faults": broken_before,
        "cpus": os.cpu_count(),
        "seconds": round(time.monotonic() - started, 1),
    }
    print(json.dumps(summary, ensure_ascii=False, default=str))
    if not summary["all_ok"]:
        sys.exit(1)
