"""The marketplace's daily work, run by the worker (enqueued by the scheduler, core/schedule.py;
registered in apps.py). Idempotent, as the scheduler requires."""

from __future__ import annotations

from django_tasks import task

from . import actions, saved_searches


@task()
def listing_housekeeping_task() -> dict:
    """Expire what ended yesterday, then remind the owners of what ends soon."""
    expired = actions.expire_listings()
    reminded = actions.send_expiry_reminders()
    return {"expired": expired, "reminded": reminded}


@task()
def search_digest_task() -> dict:
    """Each person's daily digest of their saved searches' new matches (saved_searches.py)."""
    return saved_searches.send_search_digests()
