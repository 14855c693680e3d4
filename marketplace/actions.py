"""The marketplace's actions: every change to a listing goes through one of these.

Each checks the permission (tenants.policy), validates, writes atomically (the listing row
locked, so two moderators cannot decide the same listing twice), records the audit event and
the search index work (search.index.record_change, in the same transaction), and leaves the
e-mail to after the commit."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperation import urusan as urusan_codes
from core.actions import top_level
from core.errors import Conflict, Forbidden
from core.files import removed_on_failure
from search import index as search_index
from tenants import audit
from tenants.members import ensure_writable
from tenants.models import VILLAGE_KINDS, Membership, Region, RegionKind
from tenants.policy import has_perm

from . import kbli, notifications
from .errors import ListingError
from .indexing import DOC_TYPE
from .models import (
    EDITABLE_STATUSES,
    Listing,
    ListingKind,
    ListingPhoto,
    ListingReminder,
    ListingStatus,
)
from .photos import process_photo
from .policy import MarketplacePerm, can_edit_listing, can_moderate_listing, can_publish_for_area

# The fields a publisher fills in (the rest is the workflow's).
FIELDS = (
    "kind",
    "potential_type",
    "title",
    "description",
    "sector",
    "urusan",
    "area",
    "quantity",
    "unit",
    "price_min",
    "price_max",
    "contact_name",
    "contact_phone",
    "contact_email",
    "valid_from",
    "valid_until",
    "language",
)
MAX_PHOTOS = 6


def max_validity_days() -> int:
    return int(getattr(settings, "JEJARING_LISTING_MAX_VALIDITY_DAYS", 730))


# --- Checks --------------------------------------------------------------------------------


def _require(membership: Membership, perm: MarketplacePerm, message: str) -> None:
    ensure_writable(membership.tenant)
    if not has_perm(membership.user, membership.tenant, perm, membership=membership):
        raise Forbidden(message)


def _require_editor(membership: Membership, listing: Listing) -> None:
    _require(
        membership, MarketplacePerm.PUBLISH_LISTINGS, _("Your role does not publish listings.")
    )
    if not can_edit_listing(membership, listing):
        raise Forbidden(
            _("You can only change listings of your own area (%(area)s).")
            % {"area": membership.scope_label or membership.tenant.name},
            code=ListingError.AREA_OUTSIDE_SCOPE,
        )


def _require_moderator(membership: Membership, listing: Listing) -> None:
    _require(
        membership,
        MarketplacePerm.MODERATE_LISTINGS,
        _("Only the region's cooperation office moderates listings."),
    )
    if not can_moderate_listing(membership, listing):
        raise Forbidden(_("Only the region's cooperation office moderates listings."))


def validate_fields(*, membership: Membership, fields: dict, today: date | None = None) -> None:
    """Every rule of a listing's content, with a code per field (ValidationError)."""
    today = today or timezone.localdate()
    errors: dict[str, ValidationError] = {}

    def error(field: str, message: str, code: str) -> None:
        errors.setdefault(field, ValidationError(message, code=code))

    kind, potential = fields.get("kind"), fields.get("potential_type") or ""
    if kind == ListingKind.POTENTIAL and not potential:
        error(
            "potential_type",
            _("Say what kind of potential this is (tourism, investment, land...)."),
            ListingError.POTENTIAL_TYPE_REQUIRED,
        )
    elif kind != ListingKind.POTENTIAL and potential:
        error(
            "potential_type",
            _("Only a potential has a type of potential."),
            ListingError.POTENTIAL_TYPE_NOT_ALLOWED,
        )
    if fields.get("sector") not in kbli.NAMES:
        error("sector", _("Choose a KBLI 2020 section."), ListingError.UNKNOWN_SECTOR)
    if fields.get("urusan") not in urusan_codes.NAMES:
        error("urusan", _("Choose an urusan."), ListingError.UNKNOWN_URUSAN)
    for name in ("quantity", "price_min", "price_max"):
        value = fields.get(name)
        if value is not None and Decimal(value) < 0:
            error(name, _("This cannot be negative."), ListingError.NEGATIVE_AMOUNT)
    if fields.get("quantity") is not None and not (fields.get("unit") or "").strip():
        error(
            "unit",
            _("Give the unit of the quantity (kg per month, rooms, hectares...)."),
            ListingError.UNIT_REQUIRED,
        )
    low, high = fields.get("price_min"), fields.get("price_max")
    if low is not None and high is not None and low > high:
        error(
            "price_max",
            _("The highest price cannot be below the lowest."),
            ListingError.PRICE_RANGE_REVERSED,
        )
    start, end = fields.get("valid_from"), fields.get("valid_until")
    if end is None or end < today:
        error(
            "valid_until",
            _("The listing must be valid until today or later."),
            ListingError.VALIDITY_IN_PAST,
        )
    elif end > today + timedelta(days=max_validity_days()):
        error(
            "valid_until",
            _("A listing is valid for at most %(days)s days; publish it again after that.")
            % {"days": max_validity_days()},
            ListingError.VALIDITY_TOO_LONG,
        )
    if start and end and start > end:
        error(
            "valid_from",
            _("The validity cannot start after it ends."),
            ListingError.VALIDITY_REVERSED,
        )
    if not (fields.get("contact_name") or "").strip() or not (
        (fields.get("contact_phone") or "").strip() or (fields.get("contact_email") or "").strip()
    ):
        error(
            "contact_name",
            _("Name a contact person with a phone number or an e-mail address."),
            ListingError.CONTACT_REQUIRED,
        )
    area: Region | None = fields.get("area")
    region = membership.tenant.region
    if area is not None and (
        area.kind not in (RegionKind.KECAMATAN, *VILLAGE_KINDS)
        or region is None
        or not region.contains(area)
    ):
        error(
            "area",
            _("Choose a kecamatan or desa/kelurahan of %(region)s.") % {"region": region},
            ListingError.AREA_WRONG_KIND,
        )
    elif not can_publish_for_area(membership, area):
        error(
            "area",
            _("You publish for your own area only (%(area)s).")
            % {"area": membership.scope_label or membership.tenant.name},
            ListingError.AREA_OUTSIDE_SCOPE,
        )
    if errors:
        raise ValidationError(errors)


def _locked(listing: Listing) -> Listing:
    return (
        Listing.objects.select_for_update(of=("self",))
        .select_related("tenant__region", "area")
        .get(pk=listing.pk)
    )


def _index(listing: Listing) -> None:
    search_index.record_change(doc_type=DOC_TYPE, object_id=listing.pk)


# --- Writing a listing ---------------------------------------------------------------------


@top_level
def create_listing(*, membership: Membership, fields: dict) -> Listing:
    """A draft listing of the member's region. Nobody else sees it until it is published."""
    _require(
        membership, MarketplacePerm.PUBLISH_LISTINGS, _("Your role does not publish listings.")
    )
    validate_fields(membership=membership, fields=fields)
    with transaction.atomic():
        listing = Listing(tenant=membership.tenant, created_by=membership.user)
        for name in FIELDS:
            if name in fields:
                setattr(listing, name, fields[name])
        listing.save()
        audit.record(
            "listing.created",
            actor=membership.user,
            tenant=membership.tenant,
            obj=listing,
            data={"title": listing.title, "kind": listing.kind, "area": listing.area_id},
        )
    return listing


@top_level
def update_listing(*, membership: Membership, listing: Listing, fields: dict) -> Listing:
    """Edit a draft, a returned or a published listing. A published listing edited by someone
    who does not moderate goes back to moderation (and out of search until published again)."""
    _require_editor(membership, listing)
    validate_fields(membership=membership, fields={**_current(listing), **fields})
    with transaction.atomic():
        listing = _locked(listing)
        if listing.status not in EDITABLE_STATUSES:
            raise Conflict(
                _("A listing that is %(status)s cannot be edited.")
                % {"status": listing.get_status_display().lower()},
                code=ListingError.NOT_EDITABLE,
            )
        if not can_edit_listing(membership, listing):  # its area may have changed meanwhile
            raise Forbidden(code=ListingError.AREA_OUTSIDE_SCOPE)
        changed = [
            name for name in FIELDS if name in fields and _value(listing, name) != fields[name]
        ]
        for name in changed:
            setattr(listing, name, fields[name])
        back = (
            listing.status == ListingStatus.PUBLISHED
            and bool(changed)
            and not can_moderate_listing(membership, listing)
        )
        if back:
            listing.status = ListingStatus.SUBMITTED
            listing.submitted_at = timezone.now()
        listing.updated_at = timezone.now()
        listing.save()
        audit.record(
            "listing.updated",
            actor=membership.user,
            tenant=membership.tenant,
            obj=listing,
            data={"title": listing.title, "changed": changed, "back_to_moderation": back},
        )
        _index(listing)
        if back:
            notifications.listing_submitted(listing=listing, actor=membership.user)
    return listing


def _value(listing: Listing, name: str):
    return listing.area if name == "area" else getattr(listing, name)


def _current(listing: Listing) -> dict:
    return {name: _value(listing, name) for name in FIELDS}


def _transition(
    membership: Membership,
    listing: Listing,
    *,
    frm: set[str],
    to: str,
    message: str,
    event: str,
    changes: dict | None = None,
    data: dict | None = None,
    index: bool = True,
    notify=None,
) -> Listing:
    """The one way a listing changes status: lock it, refuse (409 wrong_status, `message`)
    unless it is in one of `frm`, move it to `to` with `changes`, save, record `event` in its
    region's history, queue its search update and (`notify`) tell whom it concerns, in one
    transaction (the calling action's: each is core.actions.top_level)."""
    with transaction.atomic():
        listing = _locked(listing)
        if listing.status not in frm:
            raise Conflict(message, code=ListingError.WRONG_STATUS)
        listing.status = to
        listing.updated_at = timezone.now()
        for name, value in (changes or {}).items():
            setattr(listing, name, value)
        listing.save()
        audit.record(
            event,
            actor=membership.user,
            tenant=membership.tenant,
            obj=listing,
            data={"title": listing.title, **(data or {})},
        )
        if index:
            _index(listing)
        if notify is not None:
            notify(listing=listing, actor=membership.user)
    return listing


@top_level
def submit_listing(*, membership: Membership, listing: Listing) -> Listing:
    """The publisher asks the office to publish a draft or a returned listing."""
    _require_editor(membership, listing)
    validate_fields(membership=membership, fields=_current(listing))
    return _transition(
        membership,
        listing,
        frm={ListingStatus.DRAFT, ListingStatus.RETURNED},
        to=ListingStatus.SUBMITTED,
        message=_("Only a draft or a returned listing can be submitted."),
        event="listing.submitted",
        changes={"submitted_at": timezone.now(), "return_reason": ""},
        index=False,  # a draft or a returned listing is not in search, nor is a submitted one
        notify=notifications.listing_submitted,
    )


@top_level
def publish_listing(*, membership: Membership, listing: Listing) -> Listing:
    """The office publishes a submitted listing: from the commit on, every region finds it."""
    _require_moderator(membership, listing)
    if listing.valid_until < timezone.localdate():
        raise Conflict(
            _("The listing's validity has ended; return it so its publisher can renew it."),
            code=ListingError.VALIDITY_IN_PAST,
        )
    return _transition(
        membership,
        listing,
        frm={ListingStatus.SUBMITTED},
        to=ListingStatus.PUBLISHED,
        message=_("Only a listing awaiting moderation can be published."),
        event="listing.published",
        changes={"published_at": timezone.now()},
        notify=notifications.listing_decided,
    )


@top_level
def return_listing(*, membership: Membership, listing: Listing, reason: str) -> Listing:
    """The office sends a submitted listing back to its publisher, saying why."""
    _require_moderator(membership, listing)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("Say why the listing is returned."), code=ListingError.REASON_REQUIRED
                )
            }
        )
    return _transition(
        membership,
        listing,
        frm={ListingStatus.SUBMITTED},
        to=ListingStatus.RETURNED,
        message=_("Only a listing awaiting moderation can be returned."),
        event="listing.returned",
        changes={"return_reason": reason},
        data={"reason": reason},
        notify=notifications.listing_decided,
    )


@top_level
def archive_listing(*, membership: Membership, listing: Listing) -> Listing:
    """Take a listing off the marketplace for good (the office, or its own publisher)."""
    ensure_writable(membership.tenant)
    if not (
        (
            has_perm(
                membership.user, membership.tenant, MarketplacePerm.MODERATE_LISTINGS, membership
            )
            and can_moderate_listing(membership, listing)
        )
        or (
            has_perm(
                membership.user, membership.tenant, MarketplacePerm.PUBLISH_LISTINGS, membership
            )
            and can_edit_listing(membership, listing)
        )
    ):
        raise Forbidden(_("Only the office or the listing's own publishers archive it."))
    return _transition(
        membership,
        listing,
        frm={
            ListingStatus.DRAFT,
            ListingStatus.SUBMITTED,
            ListingStatus.PUBLISHED,
            ListingStatus.RETURNED,
            ListingStatus.EXPIRED,
        },
        to=ListingStatus.ARCHIVED,
        message=_("The listing is archived already."),
        event="listing.archived",
        changes={"archived_at": timezone.now()},
    )


# --- Photos --------------------------------------------------------------------------------


def add_listing_photo(
    *, membership: Membership, listing: Listing, upload, caption: str = ""
) -> ListingPhoto:
    _require_editor(membership, listing)
    if listing.status == ListingStatus.ARCHIVED:
        raise Conflict(_("An archived listing takes no photos."), code=ListingError.NOT_EDITABLE)
    if listing.photos.count() >= MAX_PHOTOS:
        raise ValidationError(
            {
                "image": ValidationError(
                    _("A listing has at most %(n)s photos; remove one first.") % {"n": MAX_PHOTOS},
                    code=ListingError.TOO_MANY_PHOTOS,
                )
            }
        )
    try:
        processed = process_photo(upload)
    except ValidationError as exc:
        raise ValidationError({"image": exc}) from None
    photo = ListingPhoto(
        listing=listing,
        width=processed.width,
        height=processed.height,
        caption=caption.strip()[:160],
        uploaded_by=membership.user,
    )
    photo.image.save("photo.jpg", processed.content, save=False)
    # The photo is processed before the transaction; its row and event are their own commit.
    with removed_on_failure(photo.image), transaction.atomic(durable=True):
        photo.save()
        audit.record(
            "listing.photo_added",
            actor=membership.user,
            tenant=membership.tenant,
            obj=listing,
            data={
                "title": listing.title,
                "photo": photo.pk,
                "width": photo.width,
                "height": photo.height,
            },
        )
    return photo


@top_level
def remove_listing_photo(*, membership: Membership, photo: ListingPhoto) -> None:
    listing = photo.listing
    _require_editor(membership, listing)
    with transaction.atomic():
        pk = photo.pk
        photo.delete()
        audit.record(
            "listing.photo_removed",
            actor=membership.user,
            tenant=membership.tenant,
            obj=listing,
            data={"title": listing.title, "photo": pk},
        )
        transaction.on_commit(lambda: photo.image.delete(save=False))


# --- The worker's daily jobs (marketplace/tasks.py) ----------------------------------------


def reminder_days() -> list[int]:
    return sorted(
        {int(d) for d in getattr(settings, "JEJARING_LISTING_REMINDER_DAYS", [14, 3])},
        reverse=True,
    )


def expire_listings(*, today: date | None = None) -> list[int]:
    """Published listings whose validity ended before `today` become expired (idempotent).
    Search already hides them from the day after their last valid day; this makes it so in
    their status and their region's history too."""
    today = today or timezone.localdate()
    expired = []
    for pk in Listing.objects.filter(
        status=ListingStatus.PUBLISHED, valid_until__lt=today
    ).values_list("pk", flat=True):
        with transaction.atomic(durable=True):  # each listing its own commit, never a caller's
            listing = (
                Listing.objects.select_for_update(of=("self",))
                .filter(pk=pk, status=ListingStatus.PUBLISHED, valid_until__lt=today)
                .select_related("tenant")
                .first()
            )
            if listing is None:
                continue
            listing.status = ListingStatus.EXPIRED
            listing.expired_at = timezone.now()
            listing.save(update_fields=["status", "expired_at"])
            audit.record(
                "listing.expired",
                tenant=listing.tenant,
                obj=listing,
                data={"title": listing.title, "valid_until": listing.valid_until.isoformat()},
            )
            _index(listing)
            expired.append(pk)
    return expired


def send_expiry_reminders(*, today: date | None = None) -> list[int]:
    """E-mail the owners of published listings that expire in one of `reminder_days()` days.
    Never twice for the same listing and day: the reminder row is unique per (listing, day)
    and written in the same transaction that schedules the e-mail."""
    today = today or timezone.localdate()
    sent = []
    for days in reminder_days():
        day = today + timedelta(days=days)
        candidates = (
            Listing.objects.expiring_on(day)
            .exclude(reminders__sent_on=today)
            .exclude(created_by__isnull=True)
            .values_list("pk", flat=True)
        )
        for pk in candidates:
            with transaction.atomic(durable=True):  # each reminder its own commit
                listing = (
                    Listing.objects.select_for_update(of=("self",))
                    .select_related("tenant__region", "created_by")
                    .get(pk=pk)
                )
                _, created = ListingReminder.objects.get_or_create(
                    listing=listing,
                    sent_on=today,
                    defaults={"days_before": days, "recipient": listing.created_by.email},
                )
                if not created:
                    continue
                notifications.listing_expiring(listing=listing, days=days)
                sent.append(pk)
    return sent
