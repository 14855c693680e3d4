"""The data's invariants (core/invariants.py, `manage.py check_invariants`): they hold on data
written through the actions, and each one breaks when its half-done write is made by hand."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django_tenants.utils import tenant_context

from agreements.models import Agreement
from agreements.tests.factories import membership_of, new_agreement, to_ksb_signed
from cooperation.models import Cooperation, Stage
from core import invariants
from public_registry.models import PublishedAgreement
from search.models import IndexTask, SearchDocument
from tenants.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(malang, batu, member):
    """A signed agreement in Kota Malang's register and another in Kota Batu's, with colliding
    primary keys (every region's sequences are aligned in tests)."""
    made = {}
    for tenant in (malang, batu):
        office = membership_of(member(tenant, Role.ADMIN), tenant)
        with tenant_context(tenant):
            made[tenant.schema_name] = to_ksb_signed(office, new_agreement(office))
    assert made[malang.schema_name].pk == made[batu.schema_name].pk
    return made


def _by_name(results) -> dict:
    return {r.name: r for r in results}


def test_all_hold_on_data_written_by_the_actions(signed):
    results = invariants.check_all()
    assert invariants.broken(results) == [], [r.broken for r in results]
    checked = _by_name(results)
    assert checked["agreement_stage_matches_last_event"].checked >= 2
    assert checked["published_version_exists"].checked >= 2
    call_command("check_invariants")  # exits 0


def test_a_stage_changed_without_its_event_breaks_the_first(signed, malang):
    coop = Cooperation.objects.get(pk=signed[malang.schema_name].cooperation_id)
    Cooperation.objects.filter(pk=coop.pk).update(stage=Stage.IMPLEMENTATION)
    result = _by_name(invariants.check_all())["agreement_stage_matches_last_event"]
    assert len(result.broken) == 1 and f"cooperation {coop.pk}" in result.broken[0]
    with pytest.raises(CommandError):
        call_command("check_invariants")


def test_a_register_that_lost_its_agreement_breaks_the_second(signed, malang, batu):
    with tenant_context(malang):
        Agreement.objects.all().delete()
    result = _by_name(invariants.check_all())["register_matches_public_record"]
    assert result.broken and all("kota_malang" in b for b in result.broken)
    # Kota Batu's agreement with the same primary key is not taken for Malang's.
    assert not _by_name(invariants.check_all(schemas=[batu.schema_name]))[
        "register_matches_public_record"
    ].broken


def test_a_version_without_its_snapshot_breaks_the_third(signed, malang):
    record = PublishedAgreement.objects.get(
        cooperation_id=signed[malang.schema_name].cooperation_id
    )
    PublishedAgreement.objects.filter(pk=record.pk).update(version=record.version + 1)
    result = _by_name(invariants.check_all())["published_version_exists"]
    assert result.broken == [
        f"published agreement {record.pk}: version {record.version + 1} has no snapshot"
    ]


def test_the_search_index_out_of_step_or_an_unknown_outbox_row_breaks_the_fourth(db):
    assert _by_name(invariants.check_all())["search_outbox_no_orphan"].holds
    IndexTask.objects.create(doc_type="nothing", object_id=1)
    result = _by_name(invariants.check_all())["search_outbox_no_orphan"]
    assert result.broken == ["pending outbox rows of unknown kind 'nothing'"]


def test_a_document_left_in_the_search_index_breaks_the_fourth(db):
    SearchDocument.objects.create(
        doc_type="listing",
        object_id=987654,
        title="Sisa",
        body="",
        language="id",
        kind="produk",
        sector="A",
        urusan="",
        region_code="35.73",
        province_code="35",
        region_kind="kota",
        published_at="2026-01-01T00:00:00Z",
        valid_until="2030-01-01",
        search_vector="",
    )
    result = _by_name(invariants.check_all())["search_outbox_no_orphan"]
    assert "listing 987654: in the search index, not public" in result.broken
