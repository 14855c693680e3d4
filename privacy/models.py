"""A person's requests about their personal data (UU 27/2022) and the copies built for them.

Public schema: a person is one account across the platform, and platform staff answer the
requests. Nothing here is deleted by an erasure: the request is the proof that it was answered
(its person is the erased account, pseudonymised)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# UU 27/2022 gives the controller 3 × 24 hours to answer a request.
ANSWER_WITHIN = timedelta(hours=72)


class RequestKind(models.TextChoices):
    ACCESS = "access", _("A copy of my data")
    ERASURE = "erasure", _("Erase my account and data")
    CORRECTION = "correction", _("Correct my data")
    RESTRICTION = "restriction", _("Restrict the processing of my data")


class RequestState(models.TextChoices):
    OPEN = "open", _("Received, being handled")
    DONE = "done", _("Done")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DataRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state=RequestState.OPEN)


class DataRequest(models.Model):
    """One request of a person about their data, due 72 hours after it was made.

    A copy (access) is answered by the worker as soon as the archive is ready; erasure,
    correction and restriction by platform staff (privacy/requests.py)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="data_requests"
    )
    kind = models.CharField(_("request"), max_length=16, choices=RequestKind.choices)
    state = models.CharField(
        _("state"), max_length=16, choices=RequestState.choices, default=RequestState.OPEN
    )
    details = models.TextField(_("what you ask"), blank=True, max_length=3000)
    created_at = models.DateTimeField(default=timezone.now)
    # Set on creation from created_at (save()): exactly 72 hours after the request was made.
    due_at = models.DateTimeField(db_index=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    # What was done, or why it was refused: shown to the person and e-mailed to them.
    outcome = models.TextField(_("outcome"), blank=True, max_length=5000)
    # The erasure's report (privacy/erasure.py): what was erased, pseudonymised and kept, why.
    report = models.JSONField(default=list, blank=True)
    # Staff are reminded once, before the 72 hours run out (privacy/requests.py).
    reminded_at = models.DateTimeField(null=True, blank=True)

    objects = DataRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("personal data request")
        verbose_name_plural = _("personal data requests")
        constraints = [
            # One open request of each kind per person: a second click adds nothing.
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=Q(state="open"),
                name="privacy_one_open_request_per_kind",
            )
        ]
        indexes = [
            models.Index(fields=["due_at"], condition=Q(state="open"), name="privacy_open_by_due")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    def save(self, *args, **kwargs):
        if self.due_at is None:
            self.due_at = self.created_at + ANSWER_WITHIN
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.state == RequestState.OPEN

    @property
    def remaining(self) -> timedelta:
        return self.due_at - timezone.now()

    @property
    def overdue(self) -> bool:
        return self.is_open and self.due_at <= timezone.now()


class ExportState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


class PersonalExport(models.Model):
    """A copy of everything Jejaring holds about one person (one JSON file and their files in a
    ZIP), built by the worker, downloadable by that person only until `expires_at`."""

    request = models.OneToOneField(DataRequest, on_delete=models.CASCADE, related_name="export")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        max_length=16, choices=ExportState.choices, default=ExportState.PENDING
    )
    file_name = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("copy of personal data")
        verbose_name_plural = _("copies of personal data")

    def __str__(self) -> str:
        return f"{self.user_id} #{self.pk} ({self.state})"

    @property
    def is_downloadable(self) -> bool:
        return (
            self.state == ExportState.READY
            and self.expires_at is not None
            and self.expires_at > timezone.now()
        )
