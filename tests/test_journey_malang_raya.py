"""Malang Raya prepares a joint KSB and its PKS per urusan, in headless Chromium with axe-core on
every page visited: Kota Malang, Kabupaten Malang and Kota Batu each work from their own
workspace on one shared record. Their offices and OPDs list the points per urusan, the heads'
priorities put traffic congestion first, the parties draft the joint text in versions, the chosen
points become the scope and one PKS per urusan (infrastructure for Kota Malang, tourism for Kota
Batu, agriculture and education for Kabupaten Malang), the KSB is signed in Kota Batu. Each
workspace shows the same status; each one's internal review stays its own."""

from __future__ import annotations

import datetime
import re

import pytest

from conftest import TOTP_SECRET, UserFactory, make_pdf

from .test_browser_journeys import log_in

pytestmark = [pytest.mark.browser]

# (region key, urusan, point) as each region's OPD lists it.
POINTS = (
    ("malang", "1.03", "Penanganan kemacetan lalu lintas di perbatasan Malang Raya"),
    ("batu", "3.26", "Paket wisata terpadu Malang Raya"),
    ("kab", "3.27", "Pemasaran apel dan sayur organik bersama"),
    ("kab", "1.01", "Zonasi sekolah di wilayah perbatasan"),
)
PRIVATE = {
    "malang": "Telaah TKKSD Kota Malang: pendanaan jalan tembus perlu dikaji",
    "kab": "Telaah TKKSD Kabupaten Malang: selaraskan dengan RPJMD",
    "batu": "Catatan internal Kota Batu: ajukan anggaran wisata 2027",
}


def _world():
    """Three offices (administrators with TOTP) and their TKKSD; Kota Malang's KSB offered to
    the two others and accepted by both (their inboxes are tested in agreements/tests)."""
    from allauth.mfa.totp.internal.auth import TOTP
    from django_tenants.utils import tenant_context

    from agreements.partners import actions as partners
    from agreements.register import reviews
    from agreements.tests.factories import membership_of, new_agreement, step
    from agreements.tests.test_partners import party
    from tenants.models import Membership, Region, Role, Tenant
    from tenants.onboarding import provision_region

    tenants = {
        "malang": Tenant.objects.get(region_id="35.73"),
        "batu": Tenant.objects.get(region_id="35.79"),
        "kab": Tenant.objects.filter(region_id="35.07").first()
        or provision_region(region=Region.objects.get(code="35.07"), acting_user=None),
    }
    offices, tkksd = {}, {}
    for key, tenant in tenants.items():
        admin = UserFactory(email=f"kerjasama@{key}.test")
        Membership.objects.create(user=admin, tenant=tenant, role=Role.ADMIN)
        TOTP.activate(admin, TOTP_SECRET)
        offices[key] = membership_of(admin, tenant)
        reviewer = UserFactory(email=f"tkksd@{key}.test")
        Membership.objects.create(user=reviewer, tenant=tenant, role=Role.TKKSD)
        tkksd[key] = membership_of(reviewer, tenant)
    with tenant_context(tenants["malang"]):
        ksb = new_agreement(
            offices["malang"],
            title="KSB Malang Raya",
            urusan=["1.03"],
            parties=[party(tenants[k], f"Kepala {tenants[k].name}") for k in tenants],
        )
        step(offices["malang"], ksb, "send_offer")
    agreements = {"malang": ksb}
    for key in ("kab", "batu"):
        with tenant_context(tenants[key]):
            agreements[key] = partners.accept_offer(
                membership=offices[key], cooperation_pk=ksb.cooperation_id
            )
    # Each region's own chain: a TKKSD review round (Kota Malang, Kabupaten Malang), internal
    # notes (Kota Batu).
    for key in ("malang", "kab"):
        with tenant_context(tenants[key]):
            agreement = agreements[key]
            agreement.cooperation.refresh_from_db()
            reviews.request_review(
                membership=offices[key],
                agreement=agreement,
                version=agreement.cooperation.version,
            )
            reviews.record_recommendation(
                membership=tkksd[key],
                agreement=agreement,
                recommendation="revise",
                notes=PRIVATE[key],
            )
    with tenant_context(tenants["batu"]):
        agreement = agreements["batu"]
        agreement.internal_notes = PRIVATE["batu"]
        agreement.save(update_fields=["internal_notes"])
    return tenants, offices, agreements


def test_malang_raya_prepares_a_joint_ksb_and_its_pks_per_urusan(e2e, audited, tmp_path):
    from django.utils import translation
    from django_tenants.utils import tenant_context

    from agreements.models import Agreement
    from agreements.partners import actions as partners
    from agreements.tests.factories import signed_pdf, signing, step
    from cooperation.models import Cooperation, InventoryPoint, Stage, TextVersion

    tenants, offices, agreements = _world()
    coop_pk = agreements["malang"].cooperation_id

    def base(key):
        return e2e.replace("localhost", tenants[key].get_primary_domain().domain)

    tabs = {}
    for key in ("malang", "kab", "batu"):
        tabs[key] = audited()
        log_in(tabs[key], e2e, offices[key].user.email, secret=TOTP_SECRET)

    def visit(key, path):
        tab = tabs[key]
        response = tab.page.goto(f"{base(key)}{path}")
        assert response.status == 200, (key, path, response.status)
        tab.check()
        return tab.page

    # 1. Each region lists its points, per urusan, from its own workspace.
    for key, code, text in POINTS:
        page = visit(key, f"/kerja-sama/{agreements[key].pk}/inventaris/")
        page.select_option("select[name=urusan]", code)
        page.fill("textarea[name=text]", text)
        page.locator("form[action$='/inventaris/baru/'] button[type=submit]").click()
        page.wait_for_url(re.compile(r"/inventaris/$"))
        tabs[key].check()
    # Each party sees the whole inventory.
    for key in ("malang", "kab", "batu"):
        page = visit(key, f"/kerja-sama/{agreements[key].pk}/inventaris/")
        for _key, _code, text in POINTS:
            assert text in page.content()

    # 2. Kota Malang's office records the heads' priorities: traffic congestion first.
    points = {p.text: p for p in InventoryPoint.objects.filter(cooperation_id=coop_pk)}
    page = visit("malang", f"/kerja-sama/{agreements['malang'].pk}/inventaris/prioritas/")
    for rank, (_key, _code, text) in enumerate(POINTS, start=1):
        page.fill(f"input[name=rank_{points[text].pk}]", str(rank))
        page.check(f"input[name=chosen_{points[text].pk}]")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/inventaris/$"))
    tabs["malang"].check()

    # 3. The joint text: Kota Batu drafts version 1, Kabupaten Malang version 2 (with its PDF).
    drafts = {
        "batu": "Pasal 1\nPara pihak sepakat bekerja sama.\nPasal 2\nJangka waktu lima tahun.",
        "kab": "Pasal 1\nPara pihak sepakat bekerja sama.\nPasal 2\nJangka waktu tiga tahun.",
    }
    pdf = tmp_path / "draf-v2.pdf"
    pdf.write_bytes(make_pdf())
    for key in ("batu", "kab"):
        page = visit(key, f"/kerja-sama/{agreements[key].pk}/naskah/baru/")
        page.fill("textarea[name=text]", drafts[key])
        page.fill("input[name=note]", f"Draf {tenants[key].name}")
        if key == "kab":
            page.set_input_files("input[name=document]", str(pdf))
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(re.compile(r"/naskah/$"))
        tabs[key].check()
    assert list(
        TextVersion.objects.filter(cooperation_id=coop_pk)
        .order_by("number")
        .values_list("number", "region_id")
    ) == [(1, "35.79"), (2, "35.07")]
    page = visit("malang", f"/kerja-sama/{agreements['malang'].pk}/naskah/")
    diff = page.locator("table.diff")
    assert diff.locator("del").first.inner_text().endswith("Jangka waktu lima tahun.")
    assert diff.locator("ins").first.inner_text().endswith("Jangka waktu tiga tahun.")
    assert "Kabupaten Malang" in page.content() and "Kota Batu" in page.content()

    # 4. The chosen points become the scope and one PKS per urusan under the KSB.
    page = visit("malang", f"/kerja-sama/{agreements['malang'].pk}/inventaris/")
    page.locator("form[action$='/inventaris/ambil/'] button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/kerja-sama/{agreements['malang'].pk}/$"))
    tabs["malang"].check()
    assert "1. Penanganan kemacetan lalu lintas" in page.content()
    pks = {tuple(c.urusan)[0]: c for c in Cooperation.objects.filter(parent_id=coop_pk)}
    assert sorted(pks) == ["1.01", "1.03", "3.26", "3.27"]
    proposers = {
        code: set(InventoryPoint.objects.filter(pks=c).values_list("region_id", flat=True))
        for code, c in pks.items()
    }
    assert proposers == {
        "1.03": {"35.73"},  # infrastructure: Kota Malang
        "3.26": {"35.79"},  # tourism: Kota Batu
        "3.27": {"35.07"},  # agriculture and education: Kabupaten Malang
        "1.01": {"35.07"},
    }

    # 5. The KSB is signed in Kota Batu: the partners sign as parties, Kota Malang records it.
    with tenant_context(tenants["malang"]):
        step(offices["malang"], agreements["malang"], "start_ksb_drafting")
    for key in ("kab", "batu"):
        with tenant_context(tenants[key]):
            agreement = agreements[key]
            agreement.cooperation.refresh_from_db()
            partners.sign_as_party(
                membership=offices[key],
                agreement=agreement,
                version=agreement.cooperation.version,
                signed_on=datetime.date(2026, 2, 10),
                document=signed_pdf(f"ksb-{key}.pdf"),
            )
    page = visit("malang", f"/kerja-sama/{agreements['malang'].pk}/tahap/sign_ksb/")
    page.fill("input[name=signed_on]", "2026-02-10")
    page.fill("input[name=signing_place]", "Kota Batu")
    page.select_option("select[name=signing_mode]", "ceremonial")
    signed = tmp_path / "ksb-malang-raya.pdf"
    signed.write_bytes(make_pdf())
    page.set_input_files("input[name=document]", str(signed))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/kerja-sama/{agreements['malang'].pk}/$"))
    tabs["malang"].check()
    assert Cooperation.objects.get(pk=coop_pk).stage == Stage.KSB_SIGNED

    # 6. The PKS are offered and accepted; the tourism PKS is signed in Kota Batu too.
    pks_in = {}
    for code, cooperation in pks.items():
        with tenant_context(tenants["malang"]):
            own = Agreement.objects.get(cooperation=cooperation)
            step(offices["malang"], own, "send_offer")
        pks_in[code] = {"malang": own}
        for key in ("kab", "batu"):
            with tenant_context(tenants[key]):
                pks_in[code][key] = partners.accept_offer(
                    membership=offices[key], cooperation_pk=cooperation.pk
                )
    tourism = pks_in["3.26"]
    with tenant_context(tenants["malang"]):
        step(offices["malang"], tourism["malang"], "start_pks_drafting")
    for key in ("kab", "batu"):
        with tenant_context(tenants[key]):
            agreement = tourism[key]
            agreement.cooperation.refresh_from_db()
            partners.sign_as_party(
                membership=offices[key],
                agreement=agreement,
                version=agreement.cooperation.version,
                signed_on=datetime.date(2026, 3, 10),
                document=signed_pdf(f"pks-{key}.pdf"),
            )
    with tenant_context(tenants["malang"]):
        step(
            offices["malang"],
            tourism["malang"],
            "sign_pks",
            data=signing(signed_on=datetime.date(2026, 3, 10)),
            document=signed_pdf("pks-wisata.pdf"),
        )

    # 7. The same status in all three workspaces; each one's internal review is its own.
    with translation.override("id"):
        ksb_signed = str(Stage.KSB_SIGNED.label)
        pks_signed = str(Stage.PKS_SIGNED.label)
        offer = str(Stage.OFFER.label)
    for key in ("malang", "kab", "batu"):
        page = visit(key, f"/kerja-sama/{agreements[key].pk}/")
        badges = page.locator("main .badge").all_inner_texts()
        assert ksb_signed in badges, (key, badges)
        text = page.locator("main").inner_text()
        assert "Kota Batu" in text  # the place of signing
        assert "1. Penanganan kemacetan lalu lintas" in text  # the same scope
        assert PRIVATE[key] in text
        for other in PRIVATE:
            if other != key:
                assert PRIVATE[other] not in text, (key, other)
        page = visit(key, f"/kerja-sama/{tourism[key].pk}/")
        assert pks_signed in page.locator("main .badge").all_inner_texts()
        for code in ("1.03", "3.27", "1.01"):
            page = visit(key, f"/kerja-sama/{pks_in[code][key].pk}/")
            assert offer in page.locator("main .badge").all_inner_texts()
        page = visit(key, "/kerja-sama/")
        for cooperation in pks.values():
            assert cooperation.title in page.content()
    for tab in tabs.values():
        tab.assert_all_audited()
        tab.assert_no_failures()
