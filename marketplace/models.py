"""The shared marketplace (public schema, read across regions): listings, their photos, the
reminders sent before they expire, and inquiries about them."""

from __future__ import annotations

import os
import secrets

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from cooperation import urusan

from . import kbli


class ListingKind(models.TextChoices):
    PRODUCT = "product", _("Flagship product")  # produk unggulan
    POTENTIAL = "potential", _("Potential")
    NEED = "need", _("Need")
    OFFER = "offer", _("Cooperation offer")
    PRACTICE = "practice", _("Good practice")  # a public-service innovation: "studi tiru"


class PotentialType(models.TextChoices):
    """What kind of potential a `potential` listing offers."""

    TOURISM = "tourism", _("Tourism")
    INVESTMENT = "investment", _("Investment")
    ASSET = "asset", _("Idle regional asset (barang milik daerah)")
    LAND = "land", _("Land")
    SKILLS = "skills", _("Skills")
    SERVICES = "services", _("Services")


class ListingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting moderation")
    PUBLISHED = "published", _("Published")
    RETURNED = "returned", _("Returned for changes")
    ARCHIVED = "archived", _("Archived")
    EXPIRED = "expired", _("Expired")


class ListingLanguage(models.TextChoices):
    INDONESIAN = "id", "Bahasa Indonesia"
    ENGLISH = "en", "English"


# Who may change a listing in each status (the moderation flow, marketplace/actions.py):
# its publisher edits a draft or a returned listing, and a published one (which then goes back
# to moderation unless the editor moderates).
EDITABLE_STATUSES = frozenset(
    {ListingStatus.DRAFT, ListingStatus.RETURNED, ListingStatus.PUBLISHED}
)


class ListingQuerySet(models.QuerySet):
    def of_region(self, tenant):
        return self.filter(tenant=tenant)

    def published(self, today=None):
        """Published and still valid, whatever the region's status: what the search indexes
        hold (marketplace/indexing.py), searches hiding the regions the public may not see at
        query time (search.api.hidden_regions). Never a public read on its own: `public()`."""
        today = today or timezone.localdate()
        return self.filter(status=ListingStatus.PUBLISHED, valid_until__gte=today).filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=today)
        )

    def public(self, today=None):
        """What anyone may see: published and still valid, of a region the public may see (the
        one region-visibility rule, Tenant.objects.publicly_visible: a suspended region, or one
        being deleted, leaves the marketplace at once). Unpublished and expired listings, and
        those of a hidden region, exist only for their own region."""
        from tenants.models import Tenant

        return self.published(today).filter(tenant__in=Tenant.objects.publicly_visible())

    def awaiting_moderation(self):
        return self.filter(status=ListingStatus.SUBMITTED)

    def expiring_on(self, day):
        return self.filter(status=ListingStatus.PUBLISHED, valid_until=day)


class Listing(models.Model):
    """One thing a region offers, needs or proposes, published for every other region to find.

    `urusan` is the government affair it concerns (urusan pemerintahan, UU 23/2014, with its
    national nomenclature code: `cooperation/urusan.py`); `sector` a KBLI 2020 section
    (`marketplace/kbli.py`). `area` narrows it to a kecamatan or desa/kelurahan of the region
    (registry codes); empty means the whole region."""

    tenant = models.ForeignKey(
        "tenants.Tenant",
        on_delete=models.CASCADE,
        related_name="listings",
        verbose_name=_("region"),
    )
    area = models.ForeignKey(
        "tenants.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kecamatan / desa / kelurahan"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ListingKind.choices)
    potential_type = models.CharField(
        _("type of potential"), max_length=16, choices=PotentialType.choices, blank=True
    )
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), max_length=5000)
    sector = models.CharField(_("sector (KBLI 2020)"), max_length=1, choices=kbli.CHOICES)
    urusan = models.CharField(_("urusan"), max_length=5, choices=urusan.CHOICES)
    quantity = models.DecimalField(
        _("quantity or capacity"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    price_min = models.DecimalField(
        _("lowest price (Rp)"), max_digits=16, decimal_places=0, null=True, blank=True
    )
    price_max = models.DecimalField(
        _("highest price (Rp)"), max_digits=16, decimal_places=0, null=True, blank=True
    )
    contact_name = models.CharField(_("contact person"), max_length=120)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"))
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=ListingLanguage.choices,
        default=ListingLanguage.INDONESIAN,
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ListingStatus.choices, default=ListingStatus.DRAFT
    )
    return_reason = models.TextField(_("reason for returning"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("publisher"),
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    expired_at = models.DateTimeField(null=True, blank=True)

    objects = ListingQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        indexes = [
            models.Index(fields=["tenant", "status"], name="listing_tenant_status"),
            models.Index(fields=["status", "valid_until"], name="listing_status_valid"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(price_min__isnull=True)
                | Q(price_max__isnull=True)
                | Q(price_min__lte=models.F("price_max")),
                name="listing_price_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True) | Q(valid_from__lte=models.F("valid_until")),
                name="listing_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def sector_label(self) -> str:
        return kbli.label(self.sector)

    @property
    def urusan_label(self) -> str:
        return urusan.label(self.urusan)

    @cached_property
    def region(self):
        return self.tenant.region

    @property
    def is_public(self) -> bool:
        today = timezone.localdate()
        return (
            self.status == ListingStatus.PUBLISHED
            and self.valid_until >= today
            and (self.valid_from is None or self.valid_from <= today)
        )


def photo_storage() -> FileSystemStorage:
    """Listing photos are public-schema data, read from the platform and from every region's
    subdomain, so they are stored outside the per-tenant media folders (which follow the
    schema of the request) and served through a view that checks the listing is visible."""
    return FileSystemStorage(location=os.path.join(str(settings.MEDIA_ROOT), "marketplace"))


def photo_upload_to(instance: ListingPhoto, filename: str) -> str:
    # A random name in the publishing region's folder; never the uploader's file name.
    return f"{instance.listing.tenant.schema_name}/{secrets.token_hex(16)}.jpg"


class ListingPhoto(models.Model):
    """A photo, re-encoded as a JPEG without its metadata (marketplace/photos.py)."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(storage=photo_storage, upload_to=photo_upload_to, max_length=200)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    caption = models.CharField(_("caption"), max_length=160, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.image.name


class ListingReminder(models.Model):
    """A reminder e-mailed to a listing's owner before it expires. One per listing and day,
    whatever runs the job (the scheduler, the command by hand, a retry)."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="reminders")
    sent_on = models.DateField()
    days_before = models.PositiveSmallIntegerField()
    recipient = models.EmailField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["listing", "sent_on"], name="listing_reminder_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.listing_id} {self.sent_on}"


class InquiryStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class Inquiry(models.Model):
    """An expression of interest in a listing, from a member of another region or a third
    party, answered by the listing's region in a thread of messages. In one step it becomes a
    cooperation offer in the agreements workspace (a member's inquiry: an agreement in
    preparation of the sender's region, `cooperation` its shared record) or a proposal to the
    listing's region (a third party's: `proposal`), and keeps the link: the marketplace counts
    which listings led to inquiries and which inquiries led to signed agreements. Both are
    public-schema records of `cooperation`; the agreements themselves live in each region's
    schema and are never referenced from here."""

    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="inquiries")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sender_email = models.EmailField()
    # The region the sender writes for, when they write as a member of one.
    sender_tenant = models.ForeignKey(
        "tenants.Tenant", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subject = models.CharField(_("subject"), max_length=160)
    status = models.CharField(
        max_length=16, choices=InquiryStatus.choices, default=InquiryStatus.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(default=timezone.now)
    # What it became (marketplace/inquiries.py, agreements/proposals/inquiries.py): at most one of
    # them.
    cooperation = models.ForeignKey(
        "cooperation.Cooperation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    proposal = models.ForeignKey(
        "cooperation.Proposal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    converted_at = models.DateTimeField(null=True, blank=True)
    converted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cooperation__isnull=True) | Q(proposal__isnull=True),
                name="inquiry_one_outcome",
            )
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def converted(self) -> bool:
        return self.cooperation_id is not None or self.proposal_id is not None


class InquiryMessage(models.Model):
    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    from_listing_region = models.BooleanField(default=False)
    body = models.TextField(max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.inquiry_id}: {self.body[:40]}"


class SavedSearch(models.Model):
    """A search of the marketplace a person keeps, by name: its words, filters and sort, as
    the search page had them. New matches reach its owner in one daily digest
    (marketplace/saved_searches.py). Public schema: a person's, whichever regions they work
    for."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(_("name"), max_length=80)
    text = models.CharField(max_length=200, blank=True)
    # {facet: [codes]}, the facets of search.query.FACETS
    filters = models.JSONField(default=dict, blank=True)
    sort = models.CharField(max_length=16, blank=True)
    near = models.CharField(max_length=13, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Matches published after this (less an overlap, marketplace/saved_searches.py) are new.
    last_digest_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="saved_search_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class SavedSearchMatch(models.Model):
    """A listing a saved search's digest reported: never again for that search."""

    saved_search = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="+")
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["saved_search", "listing"], name="saved_search_match_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.saved_search_id} {self.listing_id}"


class SearchDigest(models.Model):
    """The day's digest of a person's saved searches: at most one per person and day, whatever
    runs the job (the scheduler, a retry, a second worker)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()
    listings = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "sent_on"], name="search_digest_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.sent_on}"
