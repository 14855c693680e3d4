"""Who reads which agreement (agreements.policy.readable_agreements): a viewer (a DPRD member) the
dossiers the office gives them, a camat the agreements of their kecamatan and its desa/kelurahan,
a lurah those of their own desa/kelurahan. The list, the detail, the signed documents, the
exports and the dashboard all follow it: what one may not read does not exist for them. And the
region's own labels of the stages, shown everywhere the workspace shows a stage."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tenants.utils import tenant_context

from agreements.models import Agreement, ReminderSettings
from agreements.policy import can_read_agreement, readable_agreements
from agreements.register import scope, selectors
from tenants.models import AuditEvent, Role

from .factories import membership_of, new_agreement, signed_pdf, signing, step

pytestmark = pytest.mark.django_db

BLIMBING = "35.73.01"  # a kecamatan of Kota Malang
PURWANTORO = "35.73.01.1007"  # a kelurahan in it
BALEARJOSARI = "35.73.01.1001"  # another kelurahan in it
KLOJEN = "35.73.02"  # another kecamatan


def url(name, *args):
    return reverse(f"agreements:{name}", args=args, urlconf="portal.urls_tenant")


def titles(response) -> list[str]:
    assert response.status_code == 200
    return sorted(a.cooperation.title for a in response.context["page"])


def exported_titles(client) -> list[str]:
    response = client.get(url("export", "csv"))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return sorted(r[1] for r in rows[1:])


@pytest.fixture
def register(malang, office):
    """Four agreements: one for the kecamatan Blimbing, one for the kelurahan Purwantoro (in
    it), one for the kecamatan Klojen, one for the whole region; the first is signed."""
    with tenant_context(malang):
        made = {
            "blimbing": new_agreement(office, title="KS Blimbing"),
            "purwantoro": new_agreement(office, title="KS Purwantoro"),
            "klojen": new_agreement(office, title="KS Klojen"),
            "region": new_agreement(
                office, title="KS Kota", private={"internal_notes": "RAHASIA-DAPUR"}
            ),
        }
        for key, areas in (
            ("blimbing", [BLIMBING]),
            ("purwantoro", [PURWANTORO]),
            ("klojen", [KLOJEN]),
        ):
            scope.set_areas(membership=office, agreement=made[key], codes=areas)
        step(office, made["blimbing"], "send_offer")
        step(office, made["blimbing"], "start_ksb_drafting")
        step(office, made["blimbing"], "sign_ksb", data=signing(), document=signed_pdf())
        return {
            key: Agreement.objects.select_related("cooperation").get(pk=a.pk)
            for key, a in made.items()
        }


def test_a_viewer_reads_only_the_dossiers_given_to_them(
    client_for, malang, member, admin, office, register
):
    viewer = member(malang, Role.VIEWER)
    membership = membership_of(viewer, malang)
    client = client_for(malang, viewer)
    # Nothing given: an empty register, every agreement missing, nothing in the downloads.
    assert titles(client.get(url("list"))) == []
    assert exported_titles(client) == []
    blimbing, region = register["blimbing"], register["region"]
    assert client.get(url("detail", blimbing.pk)).status_code == 404
    with tenant_context(malang):
        document = selectors.signed_documents_for(blimbing).get()
    assert client.get(url("signed_document", blimbing.pk, document.pk)).status_code == 404
    assert client.get(url("dashboard")).context["board"].total == 0
    # The office gives the dossiers of two agreements, through its page.
    office_client = client_for(malang, admin)
    assert office_client.get(url("dossier", blimbing.pk)).status_code == 200
    for agreement in (blimbing, region):
        given = office_client.post(url("dossier", agreement.pk), {"member": membership.pk})
        assert given.status_code == 302
    assert titles(client.get(url("list"))) == ["KS Blimbing", "KS Kota"]
    assert exported_titles(client) == ["KS Blimbing", "KS Kota"]
    assert client.get(url("dashboard")).context["board"].total == 2
    download = client.get(url("signed_document", blimbing.pk, document.pk))
    assert download.status_code == 200
    # The dossier: the terms and the DPRD step, never the internal notes or the TKKSD reviews.
    page = client.get(url("detail", region.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert "DPRD approval" in html and "Not required" in html
    assert "RAHASIA-DAPUR" not in html and "TKKSD review" not in html
    assert page.context["internal_documents"] == [] and page.context["reviews"] == []
    # Not the internal documents, nor the give/withdraw pages.
    assert client.get(url("dossier", region.pk)).status_code == 403
    # Withdrawn: it no longer exists for them.
    withdrawn = office_client.post(url("dossier_withdraw", region.pk, membership.pk))
    assert withdrawn.status_code == 302
    assert client.get(url("detail", region.pk)).status_code == 404
    assert titles(client.get(url("list"))) == ["KS Blimbing"]
    assert exported_titles(client) == ["KS Blimbing"]
    # Withdrawing what they do not hold: 404, nothing recorded.
    again = office_client.post(url("dossier_withdraw", region.pk, membership.pk))
    assert again.status_code == 404
    assert list(
        AuditEvent.objects.filter(action__startswith="agreement.dossier_")
        .order_by("id")
        .values_list("action", "object_id", "data__member")
    ) == [
        ("agreement.dossier_given", str(blimbing.pk), viewer.email),
        ("agreement.dossier_given", str(region.pk), viewer.email),
        ("agreement.dossier_withdrawn", str(region.pk), viewer.email),
    ]


def test_the_viewer_is_emailed_a_link_to_the_dossier(
    client_for, malang, member, admin, register, mailoutbox, django_capture_on_commit_callbacks
):
    viewer = member(malang, Role.VIEWER)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(malang, admin).post(
            url("dossier", register["klojen"].pk), {"member": membership_of(viewer, malang).pk}
        )
    assert [m.to for m in mailoutbox] == [[viewer.email]]
    assert f"/kerja-sama/{register['klojen'].pk}/" in mailoutbox[0].body


def test_only_viewers_of_the_region_receive_a_dossier_and_only_the_office_gives_it(
    client_for, malang, batu, member, admin, register
):
    agreement = register["klojen"]
    office_client = client_for(malang, admin)
    opd = membership_of(member(malang, Role.OPD, opd="Bappeda"), malang)
    batu_viewer = membership_of(member(batu, Role.VIEWER), batu)
    for someone in (opd, batu_viewer):
        refused = office_client.post(url("dossier", agreement.pk), {"member": someone.pk})
        assert refused.status_code == 400
    with tenant_context(malang):
        assert Agreement.objects.get(pk=agreement.pk).dossier_members == []
    viewer = membership_of(member(malang, Role.VIEWER), malang)
    for role in (Role.TKKSD, Role.OPD, Role.VIEWER, Role.CAMAT):
        other = client_for(malang, member(malang, role, opd="Bappeda", area=BLIMBING))
        assert other.post(url("dossier", agreement.pk), {"member": viewer.pk}).status_code == 403
        assert other.post(url("dossier_withdraw", agreement.pk, viewer.pk)).status_code == 403
    stranger = client_for(malang, member(batu, Role.ADMIN))
    assert stranger.get(url("dossier", agreement.pk)).status_code == 404
    assert not AuditEvent.objects.filter(action="agreement.dossier_given").exists()


@pytest.mark.parametrize(
    ("role", "area", "expected"),
    [
        (Role.CAMAT, BLIMBING, ["KS Blimbing", "KS Purwantoro"]),
        (Role.CAMAT, KLOJEN, ["KS Klojen"]),
        (Role.LURAH, PURWANTORO, ["KS Purwantoro"]),
        (Role.LURAH, BALEARJOSARI, []),
    ],
)
def test_camat_and_lurah_read_the_agreements_of_their_area(
    client_for, malang, member, register, role, area, expected
):
    person = member(malang, role, area=area)
    client = client_for(malang, person)
    assert titles(client.get(url("list"))) == expected
    assert exported_titles(client) == expected
    assert client.get(url("dashboard")).context["board"].total == len(expected)
    for agreement in register.values():
        readable = agreement.cooperation.title in expected
        page = client.get(url("detail", agreement.pk))
        assert page.status_code == (200 if readable else 404), agreement.cooperation.title
        if readable:
            html = page.content.decode()
            assert "DPRD approval" not in html and "RAHASIA-DAPUR" not in html
    blimbing = register["blimbing"]
    with tenant_context(malang):
        document = selectors.signed_documents_for(blimbing).get()
    download = client.get(url("signed_document", blimbing.pk, document.pk))
    assert download.status_code == (200 if "KS Blimbing" in expected else 404)


def test_the_policy_states_one_rule_for_one_agreement_and_for_a_list(malang, member, register):
    people = [
        member(malang, Role.ADMIN),
        member(malang, Role.TKKSD),
        member(malang, Role.OPD, opd="Bappeda"),
        member(malang, Role.VIEWER),
        member(malang, Role.CAMAT, area=BLIMBING),
        member(malang, Role.CAMAT),  # no area: nothing
        member(malang, Role.LURAH, area=PURWANTORO),
    ]
    with tenant_context(malang):
        viewer = membership_of(people[3], malang)
        Agreement.objects.filter(pk=register["klojen"].pk).update(dossier_members=[viewer.pk])
        for person in people:
            membership = membership_of(person, malang)
            one_by_one = {
                a.pk
                for a in Agreement.objects.all()
                if can_read_agreement(membership, dossier_members=a.dossier_members, areas=a.areas)
            }
            as_query = set(
                readable_agreements(membership, Agreement.objects.all()).values_list(
                    "pk", flat=True
                )
            )
            assert one_by_one == as_query, membership.role
    assert readable_agreements(None, Agreement.objects.all()).count() == 0


def test_the_areas_are_set_from_the_regions_registry(client_for, malang, member, admin, register):
    agreement = register["region"]
    office_client = client_for(malang, admin)
    form = office_client.get(url("areas", agreement.pk))
    assert form.status_code == 200
    assert BLIMBING in dict(form.context["form"].fields["areas"].choices)
    # Kota Batu's kecamatan is not Kota Malang's: refused, nothing saved.
    refused = office_client.post(url("areas", agreement.pk), {"areas": [BLIMBING, "35.79.01"]})
    assert refused.status_code == 400
    with tenant_context(malang):
        assert Agreement.objects.get(pk=agreement.pk).areas == []
    opd = client_for(malang, member(malang, Role.OPD, opd="Bappeda"))
    saved = opd.post(url("areas", agreement.pk), {"areas": [BALEARJOSARI, KLOJEN]})
    assert saved.status_code == 302
    with tenant_context(malang):
        assert Agreement.objects.get(pk=agreement.pk).areas == [BALEARJOSARI, KLOJEN]
    event = AuditEvent.objects.filter(action="agreement.areas_changed").latest("id")
    assert event.data["names"] == ["Kelurahan Balearjosari", "Kecamatan Klojen"]
    lurah = client_for(malang, member(malang, Role.LURAH, area=BALEARJOSARI))
    assert titles(lurah.get(url("list"))) == ["KS Kota"]
    for role in (Role.VIEWER, Role.TKKSD, Role.CAMAT):
        other = client_for(malang, member(malang, role, area=BLIMBING))
        assert other.post(url("areas", agreement.pk), {"areas": []}).status_code == 403


def test_a_scoped_list_keeps_its_query_count(client_for, malang, member, office, register):
    camat = client_for(malang, member(malang, Role.CAMAT, area=BLIMBING))

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert camat.get(url("list")).status_code == 200
        return len(queries)

    few = count()
    with tenant_context(malang):
        for n in range(5):
            agreement = new_agreement(office, title=f"KS Desa {n}")
            scope.set_areas(membership=office, agreement=agreement, codes=[PURWANTORO])
    assert count() == few
    assert len(camat.get(url("list")).context["page"]) == 7


# --- The stages' labels --------------------------------------------------------------------------


def labels_form(**labels) -> dict:
    return {f"stage-{stage}": label for stage, label in labels.items()}


def test_the_office_renames_a_stage_and_the_workspace_shows_it_everywhere(
    client_for, malang, admin, register
):
    client = client_for(malang, admin)
    settings_page = client.get(url("reminder_settings"))
    assert settings_page.status_code == 200
    assert "stage_form" in settings_page.context
    saved = client.post(
        url("stage_labels"), labels_form(preparation="Penjajakan awal", ksb_signed="KB diteken")
    )
    assert saved.status_code == 302
    with tenant_context(malang):
        assert ReminderSettings.objects.get().stage_labels == {
            "preparation": "Penjajakan awal",
            "ksb_signed": "KB diteken",
        }
    listing = client.get(url("list"))
    assert "Penjajakan awal" in listing.content.decode()
    assert ("preparation", "Penjajakan awal") in listing.context["form"].fields["stage"].choices
    assert titles(client.get(url("list"), {"stage": "ksb_signed"})) == ["KS Blimbing"]
    assert "KB diteken" in client.get(url("detail", register["blimbing"].pk)).content.decode()
    board = client.get(url("dashboard")).context["board"]
    assert [b.label for b in board.by_stage][:4] == [
        "Penjajakan awal",
        "Offer",
        "KSB drafting",
        "KB diteken",
    ]
    rows = list(
        csv.reader(io.StringIO(client.get(url("export", "csv")).content.decode("utf-8-sig")))
    )
    assert {r[1]: r[7] for r in rows[1:]}["KS Blimbing"] == "KB diteken"
    assert AuditEvent.objects.get(action="agreement.stage_labels_changed").data == {
        "labels": {"preparation": "Penjajakan awal", "ksb_signed": "KB diteken"}
    }
    # Blank restores the default; the order and the steps are unchanged.
    client.post(url("stage_labels"), labels_form())
    assert "Preparation" in client.get(url("list")).content.decode()


@pytest.mark.parametrize(
    ("labels", "field"),
    [
        ({"offer": "Ended"}, "offer"),  # another stage's default label
        ({"offer": "Tahap A", "monitoring": "tahap a"}, "monitoring"),  # two alike
        ({"offer": "x" * 61}, "offer"),  # too long
    ],
)
def test_a_bad_label_is_refused_and_nothing_changes(client_for, malang, admin, labels, field):
    client = client_for(malang, admin)
    refused = client.post(url("stage_labels"), labels_form(**labels))
    assert refused.status_code == 400
    assert refused.context["stage_form"].errors[field]
    with tenant_context(malang):
        assert not ReminderSettings.objects.exists()
    assert not AuditEvent.objects.filter(action="agreement.stage_labels_changed").exists()


def test_only_the_office_names_the_stages(client_for, malang, batu, member):
    for role in (Role.TKKSD, Role.OPD, Role.VIEWER):
        client = client_for(malang, member(malang, role, opd="Bappeda"))
        assert client.post(url("stage_labels"), labels_form(offer="X")).status_code == 403
    stranger = client_for(malang, member(batu, Role.ADMIN))
    assert stranger.post(url("stage_labels"), labels_form(offer="X")).status_code == 404
    with tenant_context(malang):
        assert not ReminderSettings.objects.exists()


def test_the_dossier_holds_the_dprd_step_and_its_history_but_not_the_tkksd_round(
    client_for, malang, member, office
):
    import datetime

    from agreements.register import reviews

    with tenant_context(malang):
        agreement = new_agreement(office, title="KS Pasar", private={"burdens_public": True})
        scope.set_areas(membership=office, agreement=agreement, codes=[BLIMBING])
        reviews.request_review(
            membership=office, agreement=agreement, version=agreement.cooperation.version
        )
        step(office, agreement, "send_offer")
        step(office, agreement, "submit_to_dprd")
        step(
            office,
            agreement,
            "record_dprd_approval",
            data={
                "dprd_decision_number": "188.4/12/DPRD/2026",
                "dprd_decided_on": datetime.date(2026, 2, 1),
            },
        )
    viewer = member(malang, Role.VIEWER)
    with tenant_context(malang):
        scope.give_dossier(
            membership=office, agreement=agreement, member=membership_of(viewer, malang)
        )
    camat = member(malang, Role.CAMAT, area=BLIMBING)
    seen = {}
    for name, person in (("viewer", viewer), ("camat", camat)):
        page = client_for(malang, person).get(url("detail", agreement.pk))
        assert page.status_code == 200
        seen[name] = {e.action for e in page.context["events"]}
        assert "agreement.review_requested" not in seen[name]
    assert "agreement.dprd_approved" in seen["viewer"]
    assert "agreement.dprd_approved" not in seen["camat"]
    html = client_for(malang, viewer).get(url("detail", agreement.pk)).content.decode()
    assert "188.4/12/DPRD/2026" in html
