from django.db import models


class ScheduledJob(models.Model):
    """When the scheduler last enqueued a periodic job (core/schedule.py). One row per job; the
    row is locked while it is checked, so two schedulers never enqueue the same run."""

    name = models.CharField(max_length=100, unique=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name
