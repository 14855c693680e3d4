"""The region's private workspace (one copy per tenant schema). Kept lean: every table here is
multiplied by the number of regions. Agreements, proposals and reports arrive with their issues."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def document_upload_to(instance, filename: str) -> str:
    """A random name with the `.pdf` extension, whatever the uploaded file was called: only
    PDFs are accepted (their bytes are checked), and a name like `scan.html` must never decide
    how the stored file is treated."""
    return f"documents/{secrets.token_hex(12)}.pdf"


class Document(models.Model):
    """A file in the region's archive (a signed scan, a letter, an area's profile). Camat and
    lurah file documents for their own area only."""

    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=document_upload_to)
    original_name = models.CharField(max_length=255)
    # References into the public schema carry no database constraint: a foreign key from each
    # of 552 schemas would put 552 referential triggers on the public table (every registry
    # update would check them all) and block truncating it. DO_NOTHING: Django's deletion
    # collector runs in the public schema, where this table does not exist. Regions are never
    # deleted, and a deleted account leaves `uploaded_by_email` to say who it was.
    area = models.ForeignKey(
        "tenants.Region",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("area"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    uploaded_by_email = models.CharField(max_length=254, blank=True)
    # The uploader's OPD when they filed it (OPD staff only): a restricted document stays
    # readable by that OPD (tenants.policy.can_read_document).
    uploaded_by_opd = models.CharField(max_length=150, blank=True, default="")
    # Who reads a restricted document: tenants.policy.can_read_document.
    restricted = models.BooleanField(_("restricted"), default=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title
