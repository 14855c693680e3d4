"""API tokens (public schema): one belongs to one membership (a person in one region, with
that membership's role), so a token can never do more than its holder can do in that region,
and stops working when the membership ends, the account is deactivated, it expires or it is
revoked. Only a SHA-256 hash of the token is stored; the token itself is shown once."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiTokenQuerySet(models.QuerySet):
    def active(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class ApiToken(models.Model):
    membership = models.ForeignKey(
        "tenants.Membership",
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("membership"),
    )
    name = models.CharField(_("name"), max_length=80)
    # The first characters of the token, shown in lists so a holder can tell tokens apart.
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        indexes = [
            models.Index(
                fields=["membership"],
                condition=Q(revoked_at__isnull=True),
                name="api_token_live_by_member",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
