"""One region's workspace restored from its export (`manage.py restore_region`): its agreements
deleted, restored, the register and the public record agree again, another region with the
same primary keys untouched; a dry run changes nothing; an export of another region refused.
Its rows in the public schema (public.json): a lost listing and a lost published record come
back, the rows still there are left as they are, a key now held by another region's row is
refused and that row untouched."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from django_tenants.utils import get_public_schema_name, schema_context, tenant_context

from agreements.models import Agreement
from agreements.tests.factories import membership_of, new_agreement, to_ksb_signed
from core import invariants
from marketplace import actions as listing_actions
from marketplace.models import Listing, ListingStatus
from marketplace.tests.conftest import listing_fields
from public_registry.models import PublishedAgreement, PublishedDocument, PublishedVersion
from search import index as search_index
from search.models import SearchDocument
from tenants import region_lifecycle
from tenants.models import ExportState, Membership, Role, TenantExport

pytestmark = pytest.mark.django_db


def _export(tenant, staff_user) -> Path:
    export = TenantExport.objects.create(
        tenant=tenant,
        tenant_schema=tenant.schema_name,
        tenant_name=tenant.name,
        requested_by=staff_user,
    )
    export = region_lifecycle.build_export(export_id=export.pk)
    assert export.state == ExportState.READY
    return Path(settings.EXPORT_ROOT) / export.file_name


def _register(tenant) -> list[tuple]:
    with tenant_context(tenant):
        return list(
            Agreement.objects.order_by("pk").values_list("pk", "cooperation_id", "internal_notes")
        )


def _agree(tenant) -> bool:
    results = invariants.check_all(schemas=[tenant.schema_name])
    return not invariants.broken(results)


@pytest.fixture
def registers(malang, batu, member):
    for tenant, note in ((malang, "catatan Malang"), (batu, "catatan Batu")):
        office = membership_of(member(tenant, Role.ADMIN), tenant)
        with tenant_context(tenant):
            for _ in range(2):
                to_ksb_signed(office, new_agreement(office, private={"internal_notes": note}))
    malang_rows, batu_rows = _register(malang), _register(batu)
    assert [r[0] for r in malang_rows] == [r[0] for r in batu_rows]  # colliding keys
    return malang_rows, batu_rows


def test_deleted_agreements_come_back_and_agree_with_the_public_record(
    registers, malang, batu, staff_user, capsys
):
    malang_rows, batu_rows = registers
    archive = _export(malang, staff_user)
    removed_member = Membership.objects.filter(tenant=malang, role=Role.ADMIN).first()
    with tenant_context(malang), connection.cursor() as cursor:
        Agreement.objects.all().delete()
        # As in a region onboarded again: its sequences start over.
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('agreements_agreement', 'id'), 1, false)"
        )
    removed_member.delete()
    assert not _agree(malang)  # the public record names agreements the register lost

    call_command("restore_region", "35.73", "--from", str(archive), "--dry-run")
    assert "Dry run: nothing changed." in capsys.readouterr().out
    assert _register(malang) == []

    call_command("restore_region", "35.73", "--from", str(archive))
    assert _register(malang) == malang_rows
    assert _agree(malang)
    assert Membership.objects.filter(
        tenant=malang, user=removed_member.user, role=Role.ADMIN
    ).exists()
    assert _register(batu) == batu_rows  # same keys, other region: untouched
    with tenant_context(malang):
        # The sequence moved past the restored rows: the next agreement gets a new key.
        office = membership_of(removed_member.user, malang)
        assert new_agreement(office).pk > max(r[0] for r in malang_rows)


def test_an_export_of_another_region_is_refused(registers, malang, batu, staff_user):
    archive = _export(batu, staff_user)
    before = _register(malang)
    with pytest.raises(CommandError, match="not of 35.73"):
        call_command("restore_region", "35.73", "--from", str(archive))
    assert _register(malang) == before


def _published_listing(tenant, admin) -> Listing:
    office = Membership.objects.get(user=admin, tenant=tenant)
    fields = listing_fields(title=f"Potensi {tenant.name}")
    if tenant.region_id != "35.73":
        fields["area"] = None
    listing = listing_actions.create_listing(membership=office, fields=fields)
    listing_actions.submit_listing(membership=office, listing=listing)
    listing_actions.publish_listing(membership=office, listing=listing)
    return Listing.objects.get(pk=listing.pk)


def _listed(pk) -> bool:
    """Public: published, and found by search (the PostgreSQL index)."""
    return (
        Listing.objects.filter(pk=pk, status=ListingStatus.PUBLISHED).exists()
        and SearchDocument.objects.filter(doc_type="listing", object_id=pk).exists()
    )


def _public_record(tenant) -> list[tuple]:
    records = PublishedAgreement.objects.filter(owner_region_id=tenant.region_id)
    return sorted(
        [(r.pk, r.cooperation_id, r.version, r.title, r.document_count) for r in records]
        + [
            (v.record_id, v.number, v.snapshot["title"])
            for v in PublishedVersion.objects.filter(record__in=records)
        ]
        + [
            (d.record_id, d.source_id, d.sha256)
            for d in PublishedDocument.objects.filter(record__in=records)
        ],
        key=repr,
    )


def _lose_listing(listing) -> None:
    """Gone, as after a bad migration or a mistaken deletion: the row and its search entry."""
    pk = listing.pk
    Listing.objects.filter(pk=pk).delete()
    search_index.record_change(doc_type="listing", object_id=pk)


def _lose_publication(record) -> list[str]:
    """Gone: the published record, its documents and its versions (which the database
    otherwise keeps from any deletion: its trigger is set aside for this)."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks before ALTER
        cursor.execute(
            "ALTER TABLE public_registry_publishedversion "
            "DISABLE TRIGGER public_registry_version_immutable"
        )
        PublishedVersion.objects.filter(record=record).delete()
        cursor.execute(
            "ALTER TABLE public_registry_publishedversion "
            "ENABLE TRIGGER public_registry_version_immutable"
        )
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    files = [d.file.name for d in PublishedDocument.objects.filter(record=record) if d.file]
    PublishedAgreement.objects.filter(pk=record.pk).delete()
    with schema_context(get_public_schema_name()):
        for name in files:
            default_storage.delete(name)
    return files


@pytest.fixture
def listings(registers, malang, batu, member):
    return _published_listing(malang, member(malang, Role.ADMIN)), _published_listing(
        batu, member(batu, Role.ADMIN)
    )


def test_lost_listing_and_published_record_come_back_and_agree(
    registers, listings, malang, batu, staff_user, capsys
):
    malang_rows, batu_rows = registers
    malang_listing, batu_listing = listings
    malang_public, batu_public = _public_record(malang), _public_record(batu)
    assert PublishedAgreement.objects.filter(owner_region_id="35.73").count() == 2
    batu_listing_row = Listing.objects.filter(pk=batu_listing.pk).values().get()
    archive = _export(malang, staff_user)

    with tenant_context(malang):
        Agreement.objects.all().delete()
    _lose_listing(malang_listing)
    lost = PublishedAgreement.objects.filter(owner_region_id="35.73").order_by("pk").first()
    lost_files = _lose_publication(lost)
    assert lost_files  # its signed copy, public
    assert not _listed(malang_listing.pk)

    call_command("restore_region", "35.73", "--from", str(archive), "--dry-run")
    out = capsys.readouterr().out
    assert (
        "public_registry.publishedagreement (public): 2 exported, 1 to restore, 1 still there"
        in out
    )
    assert "marketplace.listing (public): 1 exported, 1 to restore, 0 still there" in out
    assert "Dry run: nothing changed." in out
    assert not _listed(malang_listing.pk)
    assert not PublishedAgreement.objects.filter(pk=lost.pk).exists()

    call_command("restore_region", "35.73", "--from", str(archive))
    assert _register(malang) == malang_rows
    assert _listed(malang_listing.pk)  # public again, and found by search
    assert _public_record(malang) == malang_public  # the same record, versions, documents
    with schema_context(get_public_schema_name()):
        assert all(default_storage.exists(name) for name in lost_files)
    with tenant_context(malang):
        assert lost.cooperation_id in set(
            Agreement.objects.values_list("cooperation_id", flat=True)
        )
    call_command("check_invariants")  # the register and the public record agree, all of them
    # Kota Batu (the same agreement keys): untouched.
    assert _register(batu) == batu_rows
    assert _public_record(batu) == batu_public
    assert Listing.objects.filter(pk=batu_listing.pk).values().get() == batu_listing_row
    assert _listed(batu_listing.pk)


def test_a_key_held_by_another_regions_row_is_refused_and_that_row_untouched(
    registers, listings, malang, batu, staff_user, capsys
):
    malang_listing, batu_listing = listings
    archive = _export(malang, staff_user)
    _lose_listing(malang_listing)
    # Kota Batu's listing now holds the key Malang's had (as keys given out again would).
    _lose_listing(batu_listing)
    batu_listing.pk = malang_listing.pk
    batu_listing.save(force_insert=True)
    search_index.record_change(doc_type="listing", object_id=batu_listing.pk)
    batu_row = Listing.objects.filter(pk=batu_listing.pk).values().get()

    call_command("restore_region", "35.73", "--from", str(archive), "--dry-run")
    out = capsys.readouterr().out
    assert f"marketplace.listing {malang_listing.pk}: the key is held by another region's" in out

    call_command("restore_region", "35.73", "--from", str(archive))
    assert Listing.objects.filter(pk=malang_listing.pk).values().get() == batu_row
    assert not Listing.objects.filter(tenant=malang).exists()
