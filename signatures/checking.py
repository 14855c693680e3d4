"""Running a check: the trust roots in force, the engine in a child process with its limits, and
the result written onto the `Check` row. Called by the worker (signatures/tasks.py), never by a
request: the upload only records that a check is wanted (signatures.actions.request_check)."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from . import engine
from .models import Check, State
from .signals import results_changed

logger = logging.getLogger(__name__)

TIMED_OUT = "timed_out"
FILE_MISSING = "file_missing"
FILE_CHANGED = "file_changed"

_fingerprint_cache: dict[tuple, str] = {}


def trust_roots_dir() -> str:
    return str(getattr(settings, "JEJARING_SIGNATURE_TRUST_ROOTS_DIR", "") or "")


def _folder_state(folder: str) -> tuple:
    state = []
    for path in engine.root_files(folder):
        stat = path.stat()
        state.append((path.name, stat.st_mtime_ns, stat.st_size))
    return (folder, tuple(state))


def current_fingerprint() -> str:
    """The fingerprint of the trust roots in force ("none" without any). Recomputed only when
    the folder's files change (a listing and a stat per file otherwise)."""
    folder = trust_roots_dir()
    key = _folder_state(folder)
    found = _fingerprint_cache.get(key)
    if found is None:
        roots = engine.load_roots(folder)
        if folder and engine.root_files(folder) and not roots:
            logger.warning("No certificate could be read from the trust roots in %s", folder)
        found = engine.roots_fingerprint(roots)
        _fingerprint_cache.clear()
        _fingerprint_cache[key] = found
    return found


def run_engine(content: bytes) -> dict:
    """The engine's answer for `content`, from a child process that cannot outlive
    JEJARING_SIGNATURE_TIME_LIMIT seconds nor use more than JEJARING_SIGNATURE_MEMORY_MB."""
    limit = float(settings.JEJARING_SIGNATURE_TIME_LIMIT)
    command = [
        sys.executable,
        "-m",
        "signatures.engine",
        trust_roots_dir(),
        str(int(settings.JEJARING_SIGNATURE_MEMORY_MB)),
        str(max(1, int(limit + 0.999))),
    ]
    env = {**os.environ, "PYTHONPATH": str(Path(settings.BASE_DIR))}
    try:
        done = subprocess.run(  # noqa: S603 - our own interpreter and module, no shell
            command,
            input=content,
            capture_output=True,
            timeout=limit,
            cwd=settings.BASE_DIR,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"error": {"code": TIMED_OUT, "detail": f"Stopped after {limit:g} s."}}
    if done.returncode != 0 or not done.stdout:
        # Killed by its CPU limit (SIGXCPU), out of memory outside the engine's own handling,
        # or crashed: the file is what made it so.
        detail = done.stderr.decode("utf-8", "replace")[-500:]
        heavy = done.returncode in (-24, -9) or b"MemoryError" in done.stderr
        code = engine.TOO_COMPLEX if heavy else engine.FAILED
        return {"error": {"code": code, "detail": f"exit {done.returncode}: {detail}"}}
    try:
        return json.loads(done.stdout)
    except ValueError:
        return {"error": {"code": engine.FAILED, "detail": "unreadable answer"}}


def _read(check: Check) -> bytes | None:
    with schema_context(check.source_schema):
        try:
            with default_storage.open(check.source_name, "rb") as handle:
                return handle.read()
        except (FileNotFoundError, OSError):
            return None


def perform(check_id: int) -> Check | None:
    """Check the file of the pending `Check` `check_id` and store the answer. A check already
    done is left alone, so a repeated task does nothing twice."""
    check = Check.objects.filter(pk=check_id).first()
    if check is None or check.state != State.PENDING:
        return check
    started = time.monotonic()
    content = _read(check)
    if content is None:
        answer: dict = {"error": {"code": FILE_MISSING, "detail": check.source_name}}
    elif hashlib.sha256(content).hexdigest() != check.sha256:
        answer = {"error": {"code": FILE_CHANGED, "detail": check.source_name}}
    else:
        answer = run_engine(content)
    elapsed = int((time.monotonic() - started) * 1000)
    roots = answer.get("roots") or check.roots
    with transaction.atomic():
        if roots != check.roots:
            # The roots changed between the request and this run: the answer belongs to the
            # roots the engine read. The stale request goes; the sweep asks again if needed.
            Check.objects.filter(pk=check.pk, state=State.PENDING).delete()
            check, _created = Check.objects.get_or_create(
                sha256=check.sha256,
                roots=roots,
                defaults={"source_schema": check.source_schema, "source_name": check.source_name},
            )
        check = Check.objects.select_for_update().get(pk=check.pk)
        if "result" in answer:
            check.state = State.DONE
            check.verdict = answer["result"]["verdict"]
            check.signatures = answer["result"]["signatures"]
            check.error_code = check.error_detail = ""
        else:
            check.state = State.FAILED
            check.verdict = ""
            check.signatures = []
            check.error_code = answer["error"]["code"]
            check.error_detail = answer["error"].get("detail", "")[:2000]
            logger.warning("Signature check of %s failed: %s", check.sha256, check.error_code)
        check.checked_at = timezone.now()
        check.duration_ms = elapsed
        check.save()
        sha256 = check.sha256
        transaction.on_commit(lambda: results_changed.send(sender=Check, sha256s=[sha256]))
    return check
