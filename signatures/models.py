"""The results of checking electronic signatures, and the offices' decisions about them.

Public schema: a signed file is the same bytes for every party that holds it (the parties'
shared record, the public registry's copy), so its result is stored once, keyed by the file's
SHA-256 and the fingerprint of the trust roots it was checked against, and no region's schema
gains a table."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    PENDING = "pending", _("Being checked")
    DONE = "done", _("Checked")
    FAILED = "failed", _("Could not be checked")


class Verdict(models.TextChoices):
    """The document's verdict: its worst signature's status (signatures.engine.SEVERITY)."""

    VERIFIED = "verified", _("Verified")
    UNVERIFIED = "unverified", _("Intact, signer not verified")
    UNTRUSTED = "untrusted", _("Signer's certificate not trusted")
    EXPIRED = "expired", _("Certificate expired")
    MODIFIED = "modified", _("Changed after signing")
    BROKEN = "broken", _("Signature broken")
    UNSIGNED = "unsigned", _("No electronic signature")


# A document the office must decide about: a signature that does not validate, a file changed
# after signing, or a file that could not be checked at all.
FLAGGED = frozenset({Verdict.UNTRUSTED, Verdict.EXPIRED, Verdict.MODIFIED, Verdict.BROKEN})


class Check(models.Model):
    """One file (its SHA-256) checked against one set of trust roots (`roots`: the set's
    fingerprint, "none" without roots). `signatures` is the engine's answer per signature."""

    sha256 = models.CharField(max_length=64)
    roots = models.CharField(max_length=64)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    verdict = models.CharField(max_length=16, choices=Verdict.choices, blank=True)
    signatures = models.JSONField(default=list)
    error_code = models.CharField(max_length=32, blank=True)
    error_detail = models.TextField(blank=True)
    # Where the bytes are read from: the schema whose storage holds the file, and its name.
    source_schema = models.CharField(max_length=63)
    source_name = models.CharField(max_length=255)
    requested_at = models.DateTimeField(auto_now_add=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sha256", "roots"], name="signature_check_once")
        ]
        indexes = [
            models.Index(
                fields=["requested_at"],
                name="signature_check_pending",
                condition=models.Q(state="pending"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.sha256[:12]} {self.state} {self.verdict or self.error_code}"

    @property
    def flagged(self) -> bool:
        return self.state == State.FAILED or self.verdict in FLAGGED


class Acceptance(models.Model):
    """A region's office accepted a document whose signature does not validate (or that could
    not be checked), with its reason: never silent, always shown with the document."""

    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    sha256 = models.CharField(max_length=64)
    # What the office saw when it decided (a verdict, or the error code of a failed check).
    problem = models.CharField(max_length=32)
    reason = models.TextField(_("reason"))
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    accepted_by_email = models.CharField(max_length=254, blank=True)
    accepted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["accepted_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "sha256"], name="signature_accepted_once")
        ]
        indexes = [models.Index(fields=["sha256"], name="signature_accepted_file")]

    def __str__(self) -> str:
        return f"{self.tenant_id} {self.sha256[:12]} {self.problem}"
