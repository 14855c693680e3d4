# ruff: noqa: F811 (the fixtures imported from test_partners are arguments here)
"""The points page names the PKS each chosen point went into, however the PKS was made: taken up
by the owner's office, or (as Malang Raya works) prepared by the region that leads its urusan,
in its own register under its own record of the KSB (issue 18: four signed PKS showed "—")."""

from __future__ import annotations

import datetime
import re

import pytest
from django_tenants.utils import tenant_context

from agreements.partners import actions as partners
from agreements.partners import joint
from agreements.register import actions, scope
from cooperation.models import Cooperation, Stage
from tenants.models import Role

from .factories import membership_of, signed_pdf, signing, step
from .test_joint import _parties_of, malang_raya  # noqa: F401
from .test_partners import accept, kab_malang, offices, sidoarjo, url  # noqa: F401

pytestmark = pytest.mark.django_db

TOURISM = "Paket wisata terpadu Malang Raya"
ROADS = "Jalan tembus Kota Malang - Kota Batu"
TRAFFIC = "Penanganan kemacetan lalu lintas di perbatasan"


def _row(page: str, text: str) -> str:
    """The inventory's table row of the point `text`, tags stripped, spaces collapsed."""
    row = next(r for r in re.findall(r"<tr>.*?</tr>", page, re.S) if text in r)
    return " ".join(re.sub(r"<[^>]+>", " ", row).split())


def _sign_as_parties(world, agreements_by_key, cooperation_pk, *, skip):
    for office, key in zip(world["offices"], ("malang", "kab", "batu"), strict=True):
        if key == skip:
            continue
        with tenant_context(office.tenant):
            agreement = agreements_by_key[key]
            partners.sign_as_party(
                membership=office,
                agreement=agreement,
                version=Cooperation.objects.get(pk=cooperation_pk).version,
                signed_on=datetime.date(2026, 3, 10),
                document=signed_pdf(),
            )


def test_a_chosen_point_shows_the_pks_its_leading_region_prepared_with_number_and_stage(
    client_for, malang_raya, member, sidoarjo
):
    world = malang_raya
    malang_office, kab_office, batu_office = world["offices"]
    malang, batu = malang_office.tenant, batu_office.tenant
    with tenant_context(malang):
        traffic = joint.propose_point(
            membership=malang_office, agreement=world["malang"], urusan="2.15", text=TRAFFIC
        )
        roads = joint.propose_point(
            membership=malang_office, agreement=world["malang"], urusan="1.03", text=ROADS
        )
    with tenant_context(batu):
        tourism = joint.propose_point(
            membership=batu_office, agreement=world["batu"], urusan="3.26", text=TOURISM
        )
        joint.set_priorities(
            membership=batu_office,
            agreement=world["batu"],
            priorities={tourism.pk: (1, True), roads.pk: (2, True), traffic.pk: (3, False)},
        )
    # The KSB is signed by the three, without the owner's office taking the points up.
    with tenant_context(malang):
        step(malang_office, world["malang"], "start_ksb_drafting")
    _sign_as_parties(world, world, world["malang"].cooperation_id, skip="malang")
    with tenant_context(malang):
        step(malang_office, world["malang"], "sign_ksb", data=signing(), document=signed_pdf())

    # Kota Batu leads tourism: it prepares that PKS in its own register, under its own record
    # of the KSB, with each party's own number; the others accept it, all sign.
    parties = _parties_of(world["malang"].cooperation_id)
    for p in parties:
        p.document_number = f"PKS-WISATA/{p.region.code}/2026"
    with tenant_context(batu):
        pks_batu = actions.create_agreement(
            membership=batu_office,
            fields={
                "kind": "ksdd_sukarela",
                "title": "PKS Pariwisata Malang Raya",
                "urusan": ["3.26"],
            },
            parties=parties,
            private={},
            parent=world["batu"],
        )
        step(batu_office, pks_batu, "send_offer")
    pks = {
        "batu": pks_batu,
        "malang": accept(malang_office, pks_batu),
        "kab": accept(kab_office, pks_batu),
    }
    with tenant_context(batu):
        step(batu_office, pks_batu, "start_pks_drafting")
    _sign_as_parties(world, pks, pks_batu.cooperation_id, skip="batu")
    with tenant_context(batu):
        step(batu_office, pks_batu, "sign_pks", data=signing(), document=signed_pdf())
    assert Cooperation.objects.get(pk=pks_batu.cooperation_id).stage == Stage.PKS_SIGNED

    # Kota Malang's TKKSD reads the inventory: the tourism point is in the PKS, with Kota
    # Malang's own number for it and its stage, linked to Kota Malang's record of it.
    reader = client_for(malang, member(malang, Role.TKKSD))
    page = reader.get(url("joint_points", world["malang"].pk))
    assert page.status_code == 200
    assert _row(page.text, TOURISM).endswith(
        "Yes PKS Pariwisata Malang Raya No. PKS-WISATA/35.73/2026 · PKS signed"
    )
    assert url("detail", pks["malang"].pk) in page.text
    # A chosen point whose urusan has no PKS yet, and a point not chosen: none.
    assert _row(page.text, ROADS).endswith("Yes —")
    assert _row(page.text, TRAFFIC).endswith("No —")
    # Kota Batu reads its own number; Sidoarjo, not a party, reaches nothing.
    batu_page = client_for(batu, batu_office.user).get(url("joint_points", world["batu"].pk))
    assert "No. PKS-WISATA/35.79/2026" in _row(batu_page.text, TOURISM)
    assert url("detail", pks["batu"].pk) in batu_page.text
    outsider = client_for(sidoarjo, member(sidoarjo, Role.ADMIN))
    assert outsider.get(url("joint_points", world["malang"].pk)).status_code == 404
    # A DPRD member given the KSB's dossier, not the PKS's: the PKS is named, not linked.
    viewer = member(malang, Role.VIEWER)
    with tenant_context(malang):
        scope.give_dossier(
            membership=malang_office,
            agreement=world["malang"],
            member=membership_of(viewer, malang),
        )
    dprd_page = client_for(malang, viewer).get(url("joint_points", world["malang"].pk))
    assert "No. PKS-WISATA/35.73/2026" in _row(dprd_page.text, TOURISM)
    assert url("detail", pks["malang"].pk) not in dprd_page.text
