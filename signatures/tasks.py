"""The worker's side: one check per task, and the periodic sweep."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from . import checking, sources
from .models import Check, State

logger = logging.getLogger(__name__)

# At most this many checks are asked for per sweep, so one sweep after new roots are installed
# (every file rechecked) spreads over several runs rather than flooding the queue at once.
SWEEP_BATCH = 500
# A pending check older than this was lost (a worker stopped mid-task): it is enqueued again.
LOST_AFTER = timedelta(minutes=30)


@task()
def validate_task(check_id: int) -> str:
    check = checking.perform(check_id)
    return check.state if check else "gone"


def sweep(now=None) -> int:
    """Ask for a check of every registered document not yet checked against the trust roots
    in force (at most SWEEP_BATCH), and enqueue again the checks left pending too long.
    Returns how many checks were enqueued. Idempotent."""
    from .actions import enqueue, request_check

    now = now or timezone.now()
    roots = checking.current_fingerprint()
    count = 0
    with transaction.atomic():
        for check_id in Check.objects.filter(
            state=State.PENDING, requested_at__lt=now - LOST_AFTER
        ).values_list("pk", flat=True)[:SWEEP_BATCH]:
            Check.objects.filter(pk=check_id).update(requested_at=now)
            enqueue(check_id)
            count += 1
        checked = Check.objects.filter(roots=roots).values("sha256")
        for source in sources.sources().values():
            if count >= SWEEP_BATCH:
                break
            rows = source().exclude(sha256__in=checked).order_by()
            seen = set()
            for row in rows[: SWEEP_BATCH - count]:
                if row["sha256"] in seen:
                    continue
                seen.add(row["sha256"])
                check = request_check(sha256=row["sha256"], schema=row["schema"], name=row["name"])
                if check.state == State.PENDING:
                    count += 1
    if count:
        logger.info("Signature sweep: %s checks enqueued", count)
    return count


@task()
def sweep_task() -> int:
    return sweep()
