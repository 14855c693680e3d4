"""The listing actions: who may publish what where, the moderation flow, validation, audit,
e-mail after commit, and the search index written in the same transaction."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from core.errors import Conflict, Forbidden
from marketplace import actions
from marketplace.errors import ListingError
from marketplace.models import Listing, ListingReminder, ListingStatus
from search.models import IndexTask, SearchDocument
from tenants.errors import ErrorCode
from tenants.models import AuditEvent, Membership, Region, Role, TenantStatus

from .conftest import listing_fields

pytestmark = pytest.mark.django_db


def ms(user, tenant) -> Membership:
    return Membership.objects.select_related("tenant__region", "area", "user").get(
        user=user, tenant=tenant
    )


def codes(exc: ValidationError) -> dict[str, list[str]]:
    return {field: [e.code for e in errors] for field, errors in exc.error_dict.items()}


# --- Who publishes where ------------------------------------------------------------------


def test_a_lurah_publishes_for_their_own_kelurahan(malang, member):
    lurah = ms(member(malang, Role.LURAH, area="35.73.01.1007"), malang)
    listing = actions.create_listing(membership=lurah, fields=listing_fields())
    assert (listing.tenant, listing.area_id, listing.status) == (
        malang,
        "35.73.01.1007",
        ListingStatus.DRAFT,
    )
    event = AuditEvent.objects.get(action="listing.created", object_id=str(listing.pk))
    assert event.data == {"title": "Tempe Sanan", "kind": "product", "area": "35.73.01.1007"}
    assert (event.actor, event.tenant) == (lurah.user, malang)


@pytest.mark.parametrize(
    "area",
    [None, "35.73.01.1001", "35.73.01", "35.73.02.1001"],
    ids=["region-wide", "neighbour-kelurahan", "own-kecamatan", "other-kecamatan"],
)
def test_a_lurah_cannot_publish_outside_their_desa(malang, member, area):
    lurah = ms(member(malang, Role.LURAH, area="35.73.01.1007"), malang)
    region = Region.objects.get(code=area) if area else None
    with pytest.raises(ValidationError) as caught:
        actions.create_listing(membership=lurah, fields=listing_fields(area=region))
    assert codes(caught.value) == {"area": [ListingError.AREA_OUTSIDE_SCOPE]}
    assert not Listing.objects.exists()


def test_a_camat_publishes_for_the_kecamatan_and_its_kelurahan_only(malang, member):
    camat = ms(member(malang, Role.CAMAT, area="35.73.01"), malang)
    for code in ("35.73.01", "35.73.01.1007"):
        actions.create_listing(
            membership=camat, fields=listing_fields(area=Region.objects.get(code=code))
        )
    with pytest.raises(ValidationError) as caught:
        actions.create_listing(
            membership=camat, fields=listing_fields(area=Region.objects.get(code="35.73.02"))
        )
    assert codes(caught.value) == {"area": [ListingError.AREA_OUTSIDE_SCOPE]}
    assert Listing.objects.count() == 2


@pytest.mark.parametrize("role", [Role.ADMIN, Role.OPD])
def test_the_office_and_opd_staff_publish_for_the_whole_region(malang, member, role):
    user = member(malang, role, opd="Dinas Pertanian" if role == Role.OPD else "")
    listing = actions.create_listing(membership=ms(user, malang), fields=listing_fields(area=None))
    assert listing.area_id is None


def test_an_area_of_another_region_is_refused_even_for_the_office(malang, member):
    admin = ms(member(malang, Role.ADMIN), malang)
    batu_desa = Region.objects.filter(code__startswith="35.79.").villages().first()
    with pytest.raises(ValidationError) as caught:
        actions.create_listing(membership=admin, fields=listing_fields(area=batu_desa))
    assert codes(caught.value) == {"area": [ListingError.AREA_WRONG_KIND]}


@pytest.mark.parametrize("role", [Role.TKKSD, Role.VIEWER])
def test_readers_do_not_publish(malang, member, role):
    user = ms(member(malang, role), malang)
    with pytest.raises(Forbidden):
        actions.create_listing(membership=user, fields=listing_fields(area=None))
    assert not Listing.objects.exists()


def test_a_suspended_region_publishes_nothing(malang, member):
    user = member(malang, Role.ADMIN)
    malang.status = TenantStatus.SUSPENDED
    malang.save()
    admin = ms(user, malang)
    with pytest.raises(Forbidden) as caught:
        actions.create_listing(membership=admin, fields=listing_fields(area=None))
    assert caught.value.code == ErrorCode.TENANT_SUSPENDED


def test_another_regions_member_cannot_edit_or_moderate(malang, batu, member, make_listing):
    listing = make_listing(malang, ListingStatus.SUBMITTED)
    other = ms(member(batu, Role.ADMIN), batu)
    with pytest.raises(Forbidden):
        actions.update_listing(membership=other, listing=listing, fields={"title": "Milik Batu"})
    with pytest.raises(Forbidden):
        actions.publish_listing(membership=other, listing=listing)
    with pytest.raises(Forbidden):
        actions.archive_listing(membership=other, listing=listing)
    listing.refresh_from_db()
    assert (listing.title, listing.status) == ("Tempe Sanan", ListingStatus.SUBMITTED)


def test_a_lurah_cannot_edit_a_neighbours_listing(malang, member, make_listing):
    camat = member(malang, Role.CAMAT, area="35.73.01")
    listing = make_listing(
        malang, ListingStatus.DRAFT, publisher=camat, area=Region.objects.get(code="35.73.01")
    )
    lurah = ms(member(malang, Role.LURAH, area="35.73.01.1007"), malang)
    with pytest.raises(Forbidden) as caught:
        actions.update_listing(membership=lurah, listing=listing, fields={"title": "x"})
    assert caught.value.code == ListingError.AREA_OUTSIDE_SCOPE


# --- Validation -----------------------------------------------------------------------------


def test_bad_content_is_refused_field_by_field_and_nothing_is_written(malang, member):
    admin = ms(member(malang, Role.ADMIN), malang)
    today = timezone.localdate()
    bad = listing_fields(
        area=None,
        kind="potential",
        sector="Z",
        urusan="9.99",
        quantity=-1,
        unit="",
        price_min=20000,
        price_max=10000,
        valid_until=today - timedelta(days=1),
        contact_phone="",
        contact_email="",
    )
    with pytest.raises(ValidationError) as caught:
        actions.create_listing(membership=admin, fields=bad)
    assert codes(caught.value) == {
        "potential_type": [ListingError.POTENTIAL_TYPE_REQUIRED],
        "sector": [ListingError.UNKNOWN_SECTOR],
        "urusan": [ListingError.UNKNOWN_URUSAN],
        "quantity": [ListingError.NEGATIVE_AMOUNT],
        "unit": [ListingError.UNIT_REQUIRED],
        "price_max": [ListingError.PRICE_RANGE_REVERSED],
        "valid_until": [ListingError.VALIDITY_IN_PAST],
        "contact_name": [ListingError.CONTACT_REQUIRED],
    }
    assert not Listing.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="listing.").exists()


def test_validity_is_bounded(malang, member, settings):
    settings.JEJARING_LISTING_MAX_VALIDITY_DAYS = 30
    admin = ms(member(malang, Role.ADMIN), malang)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as caught:
        actions.create_listing(
            membership=admin,
            fields=listing_fields(area=None, valid_until=today + timedelta(days=31)),
        )
    assert codes(caught.value) == {"valid_until": [ListingError.VALIDITY_TOO_LONG]}
    with pytest.raises(ValidationError) as caught:
        actions.create_listing(
            membership=admin,
            fields=listing_fields(
                area=None,
                valid_from=today + timedelta(days=10),
                valid_until=today + timedelta(days=5),
            ),
        )
    assert codes(caught.value) == {"valid_from": [ListingError.VALIDITY_REVERSED]}


# --- Moderation -------------------------------------------------------------------------------


def test_submit_publish_and_everything_that_comes_with_it(
    malang, member, django_capture_on_commit_callbacks
):
    admin_user = member(malang, Role.ADMIN, email="kantor@malangkota.go.id")
    lurah_user = member(malang, Role.LURAH, area="35.73.01.1007", email="lurah@contoh.test")
    lurah, admin = ms(lurah_user, malang), ms(admin_user, malang)
    listing = actions.create_listing(membership=lurah, fields=listing_fields())
    assert not SearchDocument.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        actions.submit_listing(membership=lurah, listing=listing)
    assert [m.to for m in mail.outbox] == [["kantor@malangkota.go.id"]]
    assert "Tempe Sanan" in mail.outbox[0].subject
    assert not SearchDocument.objects.exists()  # submitted is not published

    with django_capture_on_commit_callbacks(execute=True):
        actions.publish_listing(membership=admin, listing=listing)
    listing.refresh_from_db()
    assert listing.status == ListingStatus.PUBLISHED and listing.published_at is not None
    assert [m.to for m in mail.outbox[1:]] == [["lurah@contoh.test"]]
    doc = SearchDocument.objects.get(object_id=listing.pk)
    assert (doc.region_code, doc.province_code, doc.region_kind, doc.area_code) == (
        "35.73",
        "35",
        "kota",
        "35.73.01.1007",
    )
    assert list(
        AuditEvent.objects.filter(object_id=str(listing.pk))
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["listing.created", "listing.submitted", "listing.published"]
    # Every write recorded its index work in the outbox (create, submit... the index-relevant
    # ones: submit does not change what search shows, publish does).
    assert IndexTask.objects.filter(object_id=listing.pk).count() == 1


def test_return_needs_a_reason_and_archive_takes_it_out_of_search(malang, member, make_listing):
    listing = make_listing(malang, ListingStatus.SUBMITTED)
    admin = ms(member(malang, Role.ADMIN), malang)
    with pytest.raises(ValidationError) as caught:
        actions.return_listing(membership=admin, listing=listing, reason="  ")
    assert codes(caught.value) == {"reason": [ListingError.REASON_REQUIRED]}
    actions.return_listing(membership=admin, listing=listing, reason="Tambahkan foto")
    listing.refresh_from_db()
    assert (listing.status, listing.return_reason) == (ListingStatus.RETURNED, "Tambahkan foto")
    with pytest.raises(Conflict) as caught_conflict:
        actions.publish_listing(membership=admin, listing=listing)
    assert caught_conflict.value.code == ListingError.WRONG_STATUS

    published = make_listing(malang)
    assert SearchDocument.objects.filter(object_id=published.pk).exists()
    actions.archive_listing(membership=admin, listing=published)
    assert not SearchDocument.objects.filter(object_id=published.pk).exists()


def test_only_the_office_moderates(malang, member, make_listing):
    listing = make_listing(malang, ListingStatus.SUBMITTED)
    for role in (Role.OPD, Role.LURAH, Role.TKKSD):
        user = ms(
            member(
                malang, role, opd="Bappeda", area="35.73.01.1007" if role == Role.LURAH else None
            ),
            malang,
        )
        with pytest.raises(Forbidden):
            actions.publish_listing(membership=user, listing=listing)
    listing.refresh_from_db()
    assert listing.status == ListingStatus.SUBMITTED


def test_editing_a_published_listing_sends_it_back_to_moderation(malang, member, make_listing):
    lurah_user = member(malang, Role.LURAH, area="35.73.01.1007")
    listing = make_listing(malang, publisher=lurah_user)
    updated = actions.update_listing(
        membership=ms(lurah_user, malang), listing=listing, fields={"title": "Tempe Sanan Asli"}
    )
    assert (updated.status, updated.title) == (ListingStatus.SUBMITTED, "Tempe Sanan Asli")
    assert not SearchDocument.objects.filter(object_id=listing.pk).exists()
    event = AuditEvent.objects.filter(action="listing.updated").get()
    assert event.data == {
        "title": "Tempe Sanan Asli",
        "changed": ["title"],
        "back_to_moderation": True,
    }


def test_the_office_edits_a_published_listing_in_place(malang, member, make_listing):
    listing = make_listing(malang)
    admin = ms(member(malang, Role.ADMIN), malang)
    actions.update_listing(membership=admin, listing=listing, fields={"title": "Tempe Sanan!"})
    listing.refresh_from_db()
    assert listing.status == ListingStatus.PUBLISHED
    assert SearchDocument.objects.get(object_id=listing.pk).title == "Tempe Sanan!"


def test_an_archived_listing_cannot_be_edited(malang, member, make_listing):
    listing = make_listing(malang, ListingStatus.ARCHIVED)
    admin = ms(member(malang, Role.ADMIN), malang)
    with pytest.raises(Conflict) as caught:
        actions.update_listing(membership=admin, listing=listing, fields={"title": "x"})
    assert caught.value.code == ListingError.NOT_EDITABLE


# --- Expiry and reminders --------------------------------------------------------------------


def test_expiry_is_idempotent_and_leaves_search(malang, make_listing):
    today = timezone.localdate()
    listing = make_listing(malang, valid_until=today + timedelta(days=1))
    assert actions.expire_listings(today=today + timedelta(days=1)) == []
    assert actions.expire_listings(today=today + timedelta(days=2)) == [listing.pk]
    assert actions.expire_listings(today=today + timedelta(days=2)) == []
    listing.refresh_from_db()
    assert listing.status == ListingStatus.EXPIRED
    assert not SearchDocument.objects.filter(object_id=listing.pk).exists()
    assert AuditEvent.objects.filter(action="listing.expired").count() == 1


def test_owners_are_reminded_once_per_listing_and_day(
    malang, member, make_listing, settings, django_capture_on_commit_callbacks
):
    settings.JEJARING_LISTING_REMINDER_DAYS = [14, 3]
    today = timezone.localdate()
    owner = member(malang, Role.LURAH, area="35.73.01.1007", email="pemilik@contoh.test")
    due = make_listing(malang, publisher=owner, valid_until=today + timedelta(days=14))
    make_listing(malang, publisher=owner, valid_until=today + timedelta(days=13))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.send_expiry_reminders(today=today) == [due.pk]
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.send_expiry_reminders(today=today) == []
    assert [m.to for m in mail.outbox] == [["pemilik@contoh.test"]]
    assert "14" in mail.outbox[0].subject
    assert list(ListingReminder.objects.values_list("listing_id", "sent_on", "days_before")) == [
        (due.pk, today, 14)
    ]


# --- Photos -----------------------------------------------------------------------------------


def test_a_photo_is_resized_re_encoded_and_stripped(malang, member, make_listing, photo_upload):
    from PIL import Image

    listing = make_listing(malang, ListingStatus.DRAFT)
    admin = ms(member(malang, Role.ADMIN), malang)
    photo = actions.add_listing_photo(
        membership=admin, listing=listing, upload=photo_upload(exif=True, size=(3200, 2400))
    )
    assert (photo.width, photo.height) == (1600, 1200)
    assert photo.image.name.startswith("kota_malang/") and photo.image.name.endswith(".jpg")
    assert "foto" not in photo.image.name
    with photo.image.open("rb") as handle, Image.open(handle) as image:
        assert image.format == "JPEG"
        assert image.size == (1600, 1200)
        assert dict(image.getexif()) == {}
    with photo.image.open("rb") as handle:
        assert b"KameraRahasia" not in handle.read()


@pytest.mark.parametrize(
    "content, code",
    [
        (b"%PDF-1.4 not an image", ListingError.PHOTO_NOT_IMAGE),
        (b"\xff\xd8\xff\xe0 truncated jpeg", ListingError.PHOTO_NOT_IMAGE),
        (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", ListingError.PHOTO_NOT_IMAGE),
    ],
    ids=["pdf", "truncated", "svg"],
)
def test_what_is_not_an_image_is_refused(malang, member, make_listing, content, code):
    from django.core.files.uploadedfile import SimpleUploadedFile

    listing = make_listing(malang, ListingStatus.DRAFT)
    admin = ms(member(malang, Role.ADMIN), malang)
    with pytest.raises(ValidationError) as caught:
        actions.add_listing_photo(
            membership=admin,
            listing=listing,
            upload=SimpleUploadedFile("foto.jpg", content, content_type="image/jpeg"),
        )
    assert codes(caught.value) == {"image": [code]}
    assert not listing.photos.exists()


def test_an_oversized_photo_is_refused_with_its_size(
    malang, member, make_listing, settings, photo_upload
):
    settings.JEJARING_LISTING_PHOTO_MAX_BYTES = 10_000
    listing = make_listing(malang, ListingStatus.DRAFT)
    admin = ms(member(malang, Role.ADMIN), malang)
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        actions.add_listing_photo(membership=admin, listing=listing, upload=photo_upload())
    assert codes(caught.value) == {"image": [ListingError.PHOTO_TOO_LARGE]}
    assert "the limit is 9.8\xa0KB" in caught.value.messages[0]
    assert not listing.photos.exists()


def test_the_listing_actions_never_run_inside_a_callers_transaction(malang, member, make_listing):
    """Top-level actions (core.actions.top_level): their search updates and e-mail follow their
    own commit. Inside a caller's transaction they refuse; their inner functions join it."""
    from django.db import transaction

    admin = ms(member(malang, Role.ADMIN), malang)
    submitted = make_listing(malang, status=ListingStatus.SUBMITTED)
    with transaction.atomic():
        for act, kwargs in (
            (actions.create_listing, {"fields": listing_fields()}),
            (actions.publish_listing, {"listing": submitted}),
            (actions.archive_listing, {"listing": submitted}),
        ):
            with pytest.raises(RuntimeError, match="durable"):
                act(membership=admin, **kwargs)
        actions.publish_listing.inner(membership=admin, listing=submitted)
    assert Listing.objects.get(pk=submitted.pk).status == ListingStatus.PUBLISHED
