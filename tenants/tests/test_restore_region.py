"""One region's workspace restored from its export (`manage.py restore_region`): its agreements
deleted, restored, the register and the public record agree again, another region with the
same primary keys untouched; a dry run changes nothing; an export of another region refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django_tenants.utils import tenant_context

from agreements.models import Agreement
from agreements.tests.factories import membership_of, new_agreement, to_ksb_signed
from core import invariants
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
