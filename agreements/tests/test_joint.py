# ruff: noqa: F811 (the fixtures imported from test_partners are arguments here)
"""Joint preparation of a shared agreement, as Malang Raya works: each party's OPDs list points
per urusan, the offices record the heads of region's priorities, the owner takes the chosen
points up as the scope and one PKS per urusan; the joint text's versions; each party's own DPRD
step, private to it, and the PKS signing that respects it."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import tenant_context

from agreements.models import Agreement
from agreements.partners import actions as partners
from agreements.partners import joint
from agreements.register import actions, lifecycle
from cooperation.models import Cooperation, InventoryPoint, PartySignature, Stage, TextVersion
from core.errors import Forbidden
from tenants.models import AuditEvent, Role

from .factories import membership_of, signed_pdf, signing, step
from .test_partners import accept, kab_malang, offered, offices, sidoarjo, url  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def malang_raya(malang, batu, kab_malang, offices):
    """Kota Malang's KSB with Kabupaten Malang and Kota Batu, offered and accepted by both."""
    malang_office, kab_office, batu_office = offices(malang), offices(kab_malang), offices(batu)
    ksb = offered(malang_office, kab_malang, batu)
    return {
        "offices": (malang_office, kab_office, batu_office),
        "malang": ksb,
        "kab": accept(kab_office, ksb),
        "batu": accept(batu_office, ksb),
    }


POINTS = (
    # (region, OPD, urusan, point)
    ("malang", "Dinas Perhubungan", "2.15", "Penanganan kemacetan lalu lintas di perbatasan"),
    ("malang", "Dinas PUPR", "1.03", "Jalan tembus Kota Malang - Kota Batu"),
    ("batu", "Dinas Pariwisata", "3.26", "Paket wisata terpadu Malang Raya"),
    ("kab", "Dinas Pertanian", "3.27", "Pemasaran apel dan sayur organik"),
    ("kab", "Dinas Pendidikan", "1.01", "Zonasi sekolah di perbatasan"),
)


def _list_points(client_for, world, member):
    tenants = {
        "malang": world["offices"][0].tenant,
        "kab": world["offices"][1].tenant,
        "batu": world["offices"][2].tenant,
    }
    for key, opd, code, text in POINTS:
        client = client_for(tenants[key], member(tenants[key], Role.OPD, opd=opd))
        response = client.post(
            url("joint_point_add", world[key].pk), {"urusan": code, "text": text}
        )
        assert response.status_code == 302, response.content
    return tenants


def test_each_party_lists_points_and_sees_the_whole_inventory_others_see_nothing(
    client_for,
    malang_raya,
    member,
    sidoarjo,
):
    world = malang_raya
    tenants = _list_points(client_for, world, member)
    points = InventoryPoint.objects.filter(cooperation_id=world["malang"].cooperation_id)
    assert points.count() == 5
    tourism = points.get(urusan="3.26")
    assert (tourism.region_id, tourism.opd) == ("35.79", "Dinas Pariwisata")
    # Every party reads the whole inventory from its own register (its TKKSD too).
    for key in ("malang", "kab", "batu"):
        reader = client_for(tenants[key], member(tenants[key], Role.TKKSD))
        page = reader.get(url("joint_points", world[key].pk))
        assert page.status_code == 200
        for *_, text in POINTS:
            assert text in page.text
    # A region that is not a party has no such agreement; another region's id is nothing.
    outsider = client_for(sidoarjo, member(sidoarjo, Role.ADMIN))
    for key in ("malang", "kab", "batu"):
        assert outsider.get(url("joint_points", world[key].pk)).status_code == 404
        assert (
            outsider.post(
                url("joint_point_add", world[key].pk), {"urusan": "3.26", "text": "Titipan"}
            ).status_code
            == 404
        )
    # Wrong roles and bad input: refused, nothing written.
    batu = tenants["batu"]
    tkksd = client_for(batu, member(batu, Role.TKKSD))
    assert (
        tkksd.post(
            url("joint_point_add", world["batu"].pk), {"urusan": "3.26", "text": "Titipan"}
        ).status_code
        == 403
    )
    opd = client_for(batu, member(batu, Role.OPD, opd="Dinas Pariwisata"))
    blank = opd.post(url("joint_point_add", world["batu"].pk), {"urusan": "9.99", "text": " "})
    assert blank.status_code == 400
    assert blank.context["form"].errors["urusan"]
    assert points.count() == 5
    assert AuditEvent.objects.filter(tenant=batu, action="agreement.point_proposed").count() == 1


def test_the_heads_priorities_then_the_chosen_points_become_the_scope_and_a_pks_per_urusan(
    client_for, malang_raya, member
):
    world = malang_raya
    tenants = _list_points(client_for, world, member)
    malang_office, kab_office, batu_office = world["offices"]
    coop_pk = world["malang"].cooperation_id
    by_urusan = {p.urusan: p for p in InventoryPoint.objects.filter(cooperation_id=coop_pk)}
    ranks = {"2.15": 1, "1.03": 2, "3.26": 3, "3.27": 4, "1.01": 5}

    def form(chosen=("2.15", "1.03", "3.26", "3.27", "1.01"), **overrides):
        data = {}
        for code, point in by_urusan.items():
            rank = overrides.get(code, ranks[code])
            data[f"rank_{point.pk}"] = "" if rank is None else str(rank)
            if code in chosen:
                data[f"chosen_{point.pk}"] = "on"
        return data

    # Kabupaten Malang's office records the heads' priorities (any party's office may).
    kab = client_for(tenants["kab"], kab_office.user)
    priorities_url = url("joint_priorities", world["kab"].pk)
    assert kab.get(priorities_url).status_code == 200
    # A chosen point without a priority, or two points with one priority: refused, unchanged.
    assert kab.post(priorities_url, form(**{"1.01": None})).status_code == 400
    assert kab.post(priorities_url, form(**{"1.01": 1})).status_code == 400
    assert not InventoryPoint.objects.filter(cooperation_id=coop_pk, chosen=True).exists()
    # OPD staff do not record priorities.
    kab_opd = client_for(tenants["kab"], member(tenants["kab"], Role.OPD, opd="Dinas Pertanian"))
    assert kab_opd.post(priorities_url, form()).status_code == 403
    assert kab.post(priorities_url, form()).status_code == 302
    first = InventoryPoint.objects.filter(cooperation_id=coop_pk).first()
    assert (first.rank, first.urusan, first.chosen) == (1, "2.15", True)

    # Kota Batu (a partner) cannot take the points up: the owner changes the terms.
    batu = client_for(tenants["batu"], batu_office.user)
    ksb = Cooperation.objects.get(pk=coop_pk)
    refused = batu.post(url("joint_adopt", world["batu"].pk), {"version": ksb.version})
    assert refused.status_code == 409
    stale = client_for(tenants["malang"], malang_office.user).post(
        url("joint_adopt", world["malang"].pk), {"version": ksb.version - 1}
    )
    assert stale.status_code == 409
    assert not Cooperation.objects.filter(parent_id=coop_pk).exists()

    malang = client_for(tenants["malang"], malang_office.user)
    done = malang.post(url("joint_adopt", world["malang"].pk), {"version": ksb.version})
    assert done.status_code == 302
    ksb.refresh_from_db()
    assert ksb.scope.splitlines()[0] == (
        "1. Penanganan kemacetan lalu lintas di perbatasan (2.15 Perhubungan; Kota Malang)"
    )
    assert {"2.15", "1.03", "3.26", "3.27", "1.01"} <= set(ksb.urusan)
    pks = Cooperation.objects.filter(parent_id=coop_pk)
    assert sorted(tuple(p.urusan) for p in pks) == [
        ("1.01",),
        ("1.03",),
        ("2.15",),
        ("3.26",),
        ("3.27",),
    ]
    tourism = pks.get(urusan=["3.26"])
    assert tourism.title == "PKS Pariwisata — KSB Malang Raya"
    assert tourism.owner_id == tenants["malang"].pk and tourism.stage == Stage.PREPARATION
    assert [p.region_id for p in tourism.parties.all()] == ["35.73", "35.07", "35.79"]
    assert all(p.has_signatory for p in tourism.parties.all())
    with tenant_context(tenants["malang"]):
        assert Agreement.objects.filter(cooperation__parent_id=coop_pk).count() == 5
        traffic = Agreement.objects.get(cooperation__urusan=["2.15"], cooperation__parent=ksb)
        assert traffic.responsible_opd == "Dinas Perhubungan"
    assert InventoryPoint.objects.get(urusan="3.26", cooperation_id=coop_pk).pks == tourism
    # A second run makes nothing twice.
    again = malang.post(url("joint_adopt", world["malang"].pk), {"version": ksb.version})
    assert again.status_code == 302
    assert Cooperation.objects.filter(parent_id=coop_pk).count() == 5
    assert (
        AuditEvent.objects.filter(
            tenant=tenants["malang"], action="agreement.points_adopted"
        ).count()
        == 2
    )
    # The partners see the scope on their own pages.
    assert "Penanganan kemacetan" in batu.get(url("detail", world["batu"].pk)).text


def test_the_joint_text_versions_are_numbered_shared_and_never_edited(
    client_for,
    malang_raya,
    member,
    sidoarjo,
    tmp_path,
):
    world = malang_raya
    malang_office, kab_office, batu_office = world["offices"]
    batu_tenant, kab_tenant = batu_office.tenant, kab_office.tenant
    coop_pk = world["malang"].cooperation_id
    batu_opd = client_for(batu_tenant, member(batu_tenant, Role.OPD, opd="Bagian Hukum"))
    first = "Pasal 1\nPara pihak sepakat bekerja sama.\nPasal 2\nJangka waktu lima tahun."
    assert batu_opd.get(url("joint_version_add", world["batu"].pk)).status_code == 200
    assert (
        batu_opd.post(
            url("joint_version_add", world["batu"].pk), {"text": first, "note": "Draf awal"}
        ).status_code
        == 302
    )
    # Empty, or a file that is not a PDF: refused, nothing written.
    kab = client_for(kab_tenant, kab_office.user)
    add = url("joint_version_add", world["kab"].pk)
    assert kab.post(add, {"text": "  "}).status_code == 400
    not_pdf = SimpleUploadedFile("draf.pdf", b"not a pdf", content_type="application/pdf")
    assert kab.post(add, {"text": "x", "document": not_pdf}).status_code == 400
    assert TextVersion.objects.filter(cooperation_id=coop_pk).count() == 1
    second = "Pasal 1\nPara pihak sepakat bekerja sama.\nPasal 2\nJangka waktu tiga tahun."
    response = kab.post(
        add, {"text": second, "note": "Jangka waktu", "document": signed_pdf("draf-v2.pdf")}
    )
    assert response.status_code == 302
    v1, v2 = TextVersion.objects.filter(cooperation_id=coop_pk).order_by("number")
    assert (v1.number, v1.region_id, v1.opd) == (1, "35.79", "Bagian Hukum")
    assert (v2.number, v2.region_id, v2.stored_schema) == (2, "35.07", kab_tenant.schema_name)
    assert len(v2.sha256) == 64 and v2.original_name == "draf-v2.pdf"
    # Kota Malang's TKKSD reads both, with the difference and the author regions.
    malang_tkksd = client_for(malang_office.tenant, member(malang_office.tenant, Role.TKKSD))
    page = malang_tkksd.get(url("joint_versions", world["malang"].pk))
    assert page.status_code == 200
    assert "Kota Batu" in page.text and "Kabupaten Malang" in page.text
    assert "Jangka waktu lima tahun.</del>" in page.text
    assert "Jangka waktu tiga tahun.</ins>" in page.text
    back = malang_tkksd.get(url("joint_versions", world["malang"].pk), {"old": 2, "new": 1})
    assert "Jangka waktu tiga tahun.</del>" in back.text
    assert (
        malang_tkksd.get(
            url("joint_versions", world["malang"].pk), {"old": 2, "new": 9}
        ).status_code
        == 400
    )
    # The PDF, stored in Kabupaten Malang's folder, downloads from Kota Malang's workspace.
    download = malang_tkksd.get(url("joint_version_download", world["malang"].pk, v2.pk))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert (
        malang_tkksd.get(url("joint_version_download", world["malang"].pk, v1.pk)).status_code
        == 404
    )  # a text-only version has no file
    # The TKKSD does not draft; an outsider sees nothing.
    assert (
        malang_tkksd.post(url("joint_version_add", world["malang"].pk), {"text": "x"}).status_code
        == 403
    )
    outsider = client_for(sidoarjo, member(sidoarjo, Role.ADMIN))
    assert outsider.get(url("joint_versions", world["batu"].pk)).status_code == 404
    assert outsider.get(url("joint_version_download", world["kab"].pk, v2.pk)).status_code == 404
    # Never edited in place.
    v1.text = "diubah"
    with pytest.raises(ValueError):
        v1.save()
    assert TextVersion.objects.get(pk=v1.pk).text == first


def _pks_offered_and_accepted(world):
    """The KSB signed by all three, then a PKS under it, offered and accepted by both."""
    malang_office, kab_office, batu_office = world["offices"]
    ksb = world["malang"]
    with tenant_context(malang_office.tenant):
        step(malang_office, ksb, "start_ksb_drafting")
    for office, key in ((kab_office, "kab"), (batu_office, "batu")):
        with tenant_context(office.tenant):
            agreement = world[key]
            agreement.cooperation.refresh_from_db()
            partners.sign_as_party(
                membership=office,
                agreement=agreement,
                version=agreement.cooperation.version,
                signed_on=datetime.date(2026, 2, 10),
                document=signed_pdf(),
            )
    with tenant_context(malang_office.tenant):
        step(malang_office, ksb, "sign_ksb", data=signing(), document=signed_pdf())
        pks = actions.create_agreement(
            membership=malang_office,
            fields={
                "kind": "ksdd_sukarela",
                "title": "PKS Pariwisata Malang Raya",
                "urusan": ["3.26"],
            },
            parties=_parties_of(ksb.cooperation_id),
            private={},
            parent=ksb,
        )
        step(malang_office, pks, "send_offer")
    pks_kab = accept(kab_office, pks)
    pks_batu = accept(batu_office, pks)
    with tenant_context(malang_office.tenant):
        step(malang_office, pks, "start_pks_drafting")
    return pks, pks_kab, pks_batu


def _parties_of(cooperation_pk):
    from agreements.register.parties import PARTY_FIELDS, PartyData

    return [
        PartyData(**{f: getattr(p, f) for f in PARTY_FIELDS})
        for p in Cooperation.objects.get(pk=cooperation_pk).parties.all()
    ]


def test_each_party_records_its_own_dprd_decision_privately_and_signs_the_pks_only_then(
    client_for, malang_raya, member
):
    world = malang_raya
    malang_office, kab_office, batu_office = world["offices"]
    batu_tenant = batu_office.tenant
    pks, pks_kab, pks_batu = _pks_offered_and_accepted(world)
    # Kota Batu's cooperation is funded outside its current budget: its DPRD must approve.
    with tenant_context(batu_tenant):
        pks_batu.cooperation.refresh_from_db()
        actions.update_agreement(
            membership=batu_office,
            agreement=pks_batu,
            version=pks_batu.cooperation.version,
            private={"funded_in_current_budget": False, "responsible_opd": "Dinas Pariwisata"},
        )
        pks_batu.refresh_from_db()
        assert pks_batu.dprd_required
    batu = client_for(batu_tenant, batu_office.user)
    detail = batu.get(url("detail", pks_batu.pk)).text
    assert "only once its DPRD" in detail and url("own_dprd", pks_batu.pk) in detail
    # Signing the PKS before its own DPRD decision is refused.
    version = Cooperation.objects.get(pk=pks.cooperation_id).version
    refused = batu.post(
        url("party_sign", pks_batu.pk),
        {"version": version, "signed_on": "2026-03-10", "document": signed_pdf()},
    )
    assert refused.status_code == 400
    assert "DPRD" in refused.text
    assert not PartySignature.objects.filter(cooperation_id=pks.cooperation_id).exists()
    # Recorded privately, in Kota Batu's register only; the shared stage does not move.
    dprd = url("own_dprd", pks_batu.pk)
    assert batu.post(dprd, {"decision_number": "", "decided_on": ""}).status_code == 400
    tkksd = client_for(batu_tenant, member(batu_tenant, Role.TKKSD))
    assert (
        tkksd.post(dprd, {"decision_number": "170/1/2026", "decided_on": "2026-03-02"}).status_code
        == 403
    )
    done = batu.post(dprd, {"decision_number": "170/12/35.79/2026", "decided_on": "2026-03-02"})
    assert done.status_code == 302
    with tenant_context(batu_tenant):
        recorded = Agreement.objects.get(pk=pks_batu.pk)
        assert recorded.dprd_decision_number == "170/12/35.79/2026"
    assert Cooperation.objects.get(pk=pks.cooperation_id).stage == Stage.PKS_DRAFTING
    twice = batu.post(dprd, {"decision_number": "170/13/2026", "decided_on": "2026-03-03"})
    assert twice.status_code == 409
    # Kabupaten Malang's DPRD step is not required: nothing to record.
    with tenant_context(kab_office.tenant), pytest.raises(ValidationError) as not_needed:
        joint.record_own_dprd_decision(
            membership=kab_office,
            agreement=pks_kab,
            decision_number="1/2026",
            decided_on=datetime.date(2026, 3, 2),
        )
    assert not_needed.value.code == "dprd_not_required"
    # Nobody else sees Kota Batu's DPRD decision, nor its history event.
    for tenant, office, agreement in (
        (malang_office.tenant, malang_office, pks),
        (kab_office.tenant, kab_office, pks_kab),
    ):
        page = client_for(tenant, office.user).get(url("detail", agreement.pk)).text
        assert "170/12/35.79/2026" not in page
    assert AuditEvent.objects.filter(action="agreement.own_dprd_recorded").get().tenant_id == (
        batu_tenant.pk
    )
    # Now Kota Batu signs; Kabupaten Malang signs; Kota Malang records the signing.
    version = Cooperation.objects.get(pk=pks.cooperation_id).version
    assert (
        batu.post(
            url("party_sign", pks_batu.pk),
            {"version": version, "signed_on": "2026-03-10", "document": signed_pdf()},
        ).status_code
        == 302
    )
    with tenant_context(kab_office.tenant):
        pks_kab.cooperation.refresh_from_db()
        partners.sign_as_party(
            membership=kab_office,
            agreement=pks_kab,
            version=pks_kab.cooperation.version,
            signed_on=datetime.date(2026, 3, 10),
            document=signed_pdf(),
        )
    with tenant_context(malang_office.tenant):
        step(malang_office, pks, "sign_pks", data=signing(), document=signed_pdf())
    assert Cooperation.objects.get(pk=pks.cooperation_id).stage == Stage.PKS_SIGNED


def test_the_shared_dprd_stage_is_the_owners_to_move_a_partner_records_its_own(malang_raya):
    world = malang_raya
    malang_office, _kab, batu_office = world["offices"]
    with tenant_context(batu_office.tenant):
        batu = Agreement.objects.get(pk=world["batu"].pk)
        batu.burdens_public = True
        batu.save(update_fields=["burdens_public"])
        names = [t.name for t in lifecycle.offered_transitions(batu, batu.cooperation)]
        assert "submit_to_dprd" not in names
        with pytest.raises(ValidationError) as refused:
            step(batu_office, batu, "submit_to_dprd")
        assert refused.value.code == "owner_only"
        assert joint.may_record_own_dprd(batu, batu.cooperation)
    with tenant_context(malang_office.tenant):
        ksb = world["malang"]
        names = [t.name for t in lifecycle.offered_transitions(ksb, ksb.cooperation)]
        assert "submit_to_dprd" in names  # Kota Malang's own cooperation burdens the public
        step(malang_office, ksb, "submit_to_dprd")
    with tenant_context(batu_office.tenant):
        batu.cooperation.refresh_from_db()
        with pytest.raises(ValidationError) as refused:
            step(
                batu_office,
                batu,
                "record_dprd_approval",
                data={
                    "dprd_decision_number": "170/1/2026",
                    "dprd_decided_on": datetime.date(2026, 3, 2),
                },
            )
        assert refused.value.code == "owner_only"
    assert Cooperation.objects.get(pk=ksb.cooperation_id).stage == Stage.DPRD_APPROVAL


def test_the_actions_refuse_on_their_own(malang_raya, member):
    """The same rules without the views in front (commands, the API)."""
    world = malang_raya
    malang_office, _kab, batu_office = world["offices"]
    viewer = membership_of(member(batu_office.tenant, Role.VIEWER), batu_office.tenant)
    with tenant_context(batu_office.tenant), pytest.raises(Forbidden):
        joint.propose_point(
            membership=viewer, agreement=world["batu"], urusan="3.26", text="Wisata"
        )
    with tenant_context(batu_office.tenant), pytest.raises(Forbidden):
        joint.add_text_version(membership=viewer, agreement=world["batu"], text="Pasal 1")
    with tenant_context(malang_office.tenant), pytest.raises(ValidationError) as nothing:
        joint.adopt_chosen_points(
            membership=malang_office,
            agreement=world["malang"],
            version=world["malang"].cooperation.version,
        )
    assert nothing.value.code == "nothing_chosen"
    with tenant_context(malang_office.tenant), pytest.raises(ValidationError) as unknown:
        joint.set_priorities(
            membership=malang_office, agreement=world["malang"], priorities={999999: (1, True)}
        )
    assert unknown.value.code == "priority_invalid"
    assert not InventoryPoint.objects.exists() and not TextVersion.objects.exists()


def test_the_pages_queries_do_not_grow_with_the_inventory_or_the_versions(
    client_for, malang_raya, member
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    world = malang_raya
    malang_office, _kab, _batu = world["offices"]
    tenant, agreement = malang_office.tenant, world["malang"]
    client = client_for(tenant, malang_office.user)

    def queries(name):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(name, agreement.pk)).status_code == 200
        return len(captured)

    def add(n):
        with tenant_context(tenant):
            for i in range(n):
                joint.propose_point(
                    membership=malang_office,
                    agreement=agreement,
                    urusan=("1.03", "3.26", "3.27")[i % 3],
                    text=f"Poin {i}",
                )
                joint.add_text_version(
                    membership=malang_office, agreement=agreement, text=f"Pasal {i}\nIsi {i}"
                )

    add(2)
    for name in ("joint_points", "joint_versions", "detail"):
        queries(name)  # warm: the session and the per-process caches
    few = {name: queries(name) for name in ("joint_points", "joint_versions", "detail")}
    add(10)
    many = {name: queries(name) for name in ("joint_points", "joint_versions", "detail")}
    assert many == few, (few, many)


def test_the_joint_pages_are_valid_html(client_for, malang_raya, member, tmp_path):
    from tests.test_html_validity import validate

    world = malang_raya
    malang_office, _kab, _batu = world["offices"]
    tenant, agreement = malang_office.tenant, world["malang"]
    with tenant_context(tenant):
        for code, text in (("1.03", "Kemacetan"), ("3.26", "Wisata")):
            point = joint.propose_point(
                membership=malang_office, agreement=agreement, urusan=code, text=text
            )
        joint.set_priorities(
            membership=malang_office, agreement=agreement, priorities={point.pk: (1, True)}
        )
        for text in ("Pasal 1\nLima tahun.", "Pasal 1\nTiga tahun."):
            joint.add_text_version(membership=malang_office, agreement=agreement, text=text)
    client = client_for(tenant, malang_office.user)
    pages = {}
    for name in (
        "joint_points",
        "joint_priorities",
        "joint_versions",
        "joint_version_add",
        "own_dprd",
    ):
        response = client.get(url(name, agreement.pk))
        assert response.status_code == 200
        pages[name] = response.text
    # The forms as they come back with errors.
    pages["point_errors"] = client.post(url("joint_point_add", agreement.pk), {}).text
    pages["priorities_errors"] = client.post(
        url("joint_priorities", agreement.pk), {f"rank_{point.pk}": "0"}
    ).text
    assert 'name="decision_number"' in pages["own_dprd"]  # Kota Malang's own DPRD step
    assert validate(pages, tmp_path) == {}


def test_a_region_offered_the_agreement_sees_the_inventory_before_it_answers(
    client_for, malang, batu, offices
):
    malang_office, batu_office = offices(malang), offices(batu)
    agreement = offered(malang_office, batu)
    with tenant_context(malang):
        joint.propose_point(
            membership=malang_office,
            agreement=agreement,
            urusan="2.15",
            text="Penanganan kemacetan lalu lintas",
        )
    page = client_for(batu, batu_office.user).get(url("offer", agreement.cooperation_id))
    assert page.status_code == 200
    assert "Penanganan kemacetan lalu lintas" in page.text
