"""The audit log's registry: every recorded action is registered, and every registered one reads
as a sentence in the history."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tenants import audit
from tenants.models import AuditEvent, Membership, Role

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
# `audit.record("member.removed", ...)` / `record(\n "tenant.exported", ...)`
RECORDED = re.compile(r"""\brecord\(\s*["']([^"']+)["']""")

# Realistic data for each registered action (what its action function records).
SAMPLES = {
    "member.invited": {
        "email": "a@contoh.test",
        "role": "lurah",
        "opd": "",
        "area": "35.73.01.1007",
    },
    "member.invitation_revoked": {"email": "a@contoh.test"},
    "member.joined": {"email": "a@contoh.test", "role": "opd", "opd": "Bappeda", "area": None},
    "member.role_changed": {
        "email": "a@contoh.test",
        "before": {"role": "tkksd", "opd": "", "area": None},
        "after": {"role": "admin", "opd": "", "area": None},
    },
    "member.removed": {"email": "a@contoh.test", "role": "camat", "opd": "", "area": "35.73.01"},
    "document.uploaded": {"title": "KSB Malang Raya", "area": None, "restricted": True},
    "application.submitted": {"region": "35.73"},
    "application.approved": {},
    "application.rejected": {"reason": "Surat tugas tidak terbaca"},
    # Partner regions, meetings, proposals (agreements/partners/, agreements/proposals/).
    "agreement.offer_accepted": {"title": "KSB Malang Raya", "owner": "35.73", "cooperation": 7},
    "agreement.offer_declined": {
        "title": "KSB Malang Raya",
        "owner": "35.73",
        "cooperation": 7,
        "reason": "Belum masuk RKPD tahun ini",
    },
    "agreement.partner_accepted": {"title": "KSB Malang Raya", "partner": "35.79"},
    "agreement.partner_declined": {
        "title": "KSB Malang Raya",
        "partner": "35.79",
        "reason": "Belum masuk RKPD tahun ini",
    },
    "agreement.party_signed": {
        "title": "KSB Malang Raya",
        "region": "35.79",
        "instrument": "ksb",
        "signed_on": "2026-02-10",
        "file": "ksb-batu.pdf",
        "sha256": "ab" * 32,
    },
    "agreement.meeting_recorded": {
        "title": "KSB Malang Raya",
        "held_on": "2026-01-20",
        "place": "Balai Kota Among Tani",
        "host": "35.79",
    },
    "agreement.point_proposed": {
        "title": "KSB Malang Raya",
        "urusan": "2.15",
        "point": "Penanganan kemacetan lalu lintas",
    },
    "agreement.points_prioritised": {
        "title": "KSB Malang Raya",
        "chosen": 4,
        "first": "Penanganan kemacetan lalu lintas",
    },
    "agreement.points_adopted": {
        "title": "KSB Malang Raya",
        "points": 5,
        "pks": ["PKS Pariwisata — KSB Malang Raya", "PKS Pertanian — KSB Malang Raya"],
    },
    "agreement.text_version_added": {
        "title": "KSB Malang Raya",
        "number": 2,
        "file": "draf-v2.pdf",
        "sha256": "ab" * 32,
    },
    "agreement.own_dprd_recorded": {
        "title": "KSB Malang Raya",
        "number": "170/12/35.79/2026",
        "date": "2026-03-02",
    },
    "proposal.submitted": {
        "title": "Inkubasi tempe Sanan di Tarakan",
        "organisation": "PT Tempe Nusantara",
        "region": "35.73",
    },
    "proposal.more_info_requested": {
        "title": "Inkubasi tempe Sanan di Tarakan",
        "message": "Lampirkan profil perusahaan",
    },
    "proposal.info_provided": {"title": "Inkubasi tempe Sanan di Tarakan", "attachments": 1},
    "proposal.accepted": {
        "title": "Inkubasi tempe Sanan di Tarakan",
        "agreement": 12,
        "kind": "ksdpk",
    },
    "proposal.declined": {
        "title": "Inkubasi tempe Sanan di Tarakan",
        "reason": "Di luar prioritas RPJMD",
    },
    "application.email_confirmed": {"email": "kerjasama@malangkota.go.id"},
    "application.email_confirmation_resent": {"email": "kerjasama@malangkota.go.id"},
    "tenant.provisioned": {"region": "35.73", "first_admin": "admin@contoh.test"},
    "tenant.suspended": {"reason": "Pergantian pejabat"},
    "tenant.reactivated": {},
    "tenant.exported": {"file": "kota_malang-20260101.zip"},
    "tenant.deleted": {"region": "35.73", "name": "Kota Malang"},
    "tenant.export_requested": {"export": 7},
    "tenant.export_failed": {"error": "disk full", "schema": "kota_malang"},
    "tenant.export_expired": {"file": "kota_malang-20260101.zip", "schema": "kota_malang"},
    "tenant.export_downloaded": {"file": "kota_malang-20260101.zip"},
    "tenant.deletion_scheduled": {
        "region": "35.73",
        "purge_after": "2026-12-31T10:00:00+00:00",
        "final_export": 7,
    },
    "tenant.restored": {},
    "tenant.purged": {"region": "35.73", "name": "Kota Malang", "final_export": "x.zip"},
    "region.emblem_changed": {"bytes": 20480},
    # Agreements (agreements/register/: lifecycle.py, actions.py, reviews.py).
    "agreement.created": {"title": "KSB Malang Raya", "kind": "ksdd_sukarela"},
    "agreement.registered_signed": {
        "title": "PKS Pariwisata",
        "signed_on": "2024-05-02",
        "place": "Kota Batu",
        "file": "pks.pdf",
        "sha256": "ab" * 32,
        "instrument": "pks",
    },
    "agreement.updated": {"title": "KSB Malang Raya", "changed": ["akhir jangka waktu"]},
    "agreement.offer_sent": {"title": "KSB Malang Raya", "from": "preparation", "to": "offer"},
    "agreement.ksb_drafting_started": {"title": "KSB Malang Raya"},
    "agreement.ksb_signed": {
        "title": "KSB Malang Raya",
        "signed_on": "2026-02-10",
        "place": "Kota Batu",
        "file": "ksb.pdf",
        "sha256": "cd" * 32,
    },
    "agreement.submitted_to_dprd": {"title": "KSB Malang Raya"},
    "agreement.dprd_approved": {
        "title": "KSB Malang Raya",
        "number": "172/12/2026",
        "date": "2026-03-02",
    },
    "agreement.pks_drafting_started": {"title": "KSB Malang Raya"},
    "agreement.pks_signed": {
        "title": "KSB Malang Raya",
        "signed_on": "2026-04-10",
        "file": "pks.pdf",
        "sha256": "ef" * 32,
    },
    "agreement.implementation_started": {"title": "KSB Malang Raya"},
    "agreement.monitoring_started": {"title": "KSB Malang Raya"},
    "agreement.expired": {"title": "KSB Malang Raya", "ended_on": "2030-12-31"},
    "agreement.terminated": {
        "title": "KSB Malang Raya",
        "ended_on": "2027-01-01",
        "reason": "Anggaran tidak ada",
    },
    "agreement.rejected": {"title": "KSB Malang Raya", "reason": "Mitra menarik diri"},
    "agreement.extended": {"title": "KSB Malang Raya", "renewal": 9, "term_end": "2035-12-31"},
    "agreement.amended": {
        "title": "KSB Malang Raya",
        "addendum": 8,
        "addendum_title": "Addendum I",
        "signed_on": "2027-01-05",
        "file": "add.pdf",
        "sha256": "01" * 32,
    },
    "agreement.document_filed": {
        "title": "Telaah TKKSD",
        "file": "telaah.pdf",
        "sha256": "23" * 32,
    },
    "agreement.review_requested": {"title": "KSB Malang Raya", "round": 1},
    "agreement.review_recorded": {
        "title": "KSB Malang Raya",
        "round": 1,
        "recommendation": "revise",
    },
    # The register's outputs and bulk input (agreements/exporting, importing, reporting).
    "agreement.register_exported": {"format": "xlsx", "rows": 111, "filters": {"kind": "ksdpk"}},
    "agreement.imported": {"file": "arsip-2020.xlsx", "sha256": "45" * 32, "rows": 90},
    "agreement.semester_report_downloaded": {
        "period": "January-June 2026",
        "year": 2026,
        "semester": 1,
        "format": "pdf",
        "rows": 111,
    },
    # Carrying an agreement out (agreements/monitoring.py, agreements/reminders.py).
    "agreement.action_item_added": {
        "title": "PKS Pariwisata",
        "item": 3,
        "activity": "Paket wisata bersama",
        "owner_opd": "Dinas Pariwisata",
        "due_on": "2026-09-30",
        "status": "planned",
    },
    "agreement.action_item_updated": {
        "title": "PKS Pariwisata",
        "item": 3,
        "activity": "Paket wisata bersama",
        "owner_opd": "Dinas Pariwisata",
        "due_on": "2026-09-30",
        "status": "done",
        "changed": ["status"],
    },
    "agreement.action_item_removed": {
        "title": "PKS Pariwisata",
        "item": 3,
        "activity": "Paket wisata bersama",
        "owner_opd": "Dinas Pariwisata",
        "due_on": "2026-09-30",
        "status": "planned",
    },
    "agreement.monitoring_filed": {
        "title": "PKS Pariwisata",
        "report": 5,
        "period": "January-June 2026",
        "year": 2026,
        "semester": 1,
        "items_done": 2,
        "items_total": 5,
        "recommendation": "expand",
    },
    "agreement.reminder_sent": {
        "title": "PKS Pariwisata",
        "kind": "expiry",
        "due_on": "2026-10-02",
        "about_on": "2026-12-31",
        "days_before": 90,
        "recipients": ["kerjasama@malangkota.go.id"],
    },
    "agreement.reminder_settings_changed": {"expiry_days": [120, 90, 30, 0], "grace_days": 45},
    "agreement.areas_changed": {
        "title": "KSB Malang Raya",
        "areas": ["35.73.01"],
        "names": ["Kecamatan Blimbing"],
    },
    "agreement.dossier_given": {"title": "KSB Malang Raya", "member": "dprd@malangkota.go.id"},
    "agreement.dossier_withdrawn": {"title": "KSB Malang Raya", "member": "dprd@malangkota.go.id"},
    "agreement.stage_labels_changed": {"labels": {"preparation": "Penjajakan"}},
    # The marketplace's listings (marketplace/actions.py) and search's synonyms.
    "listing.created": {"title": "Tempe Sanan", "kind": "product", "area": "35.73.01.1007"},
    "listing.updated": {
        "title": "Tempe Sanan",
        "changed": ["description", "valid_until"],
        "back_to_moderation": True,
    },
    "listing.submitted": {"title": "Tempe Sanan"},
    "listing.published": {"title": "Tempe Sanan"},
    "listing.returned": {"title": "Tempe Sanan", "reason": "Lengkapi kapasitas produksi"},
    "listing.archived": {"title": "Tempe Sanan"},
    "listing.expired": {"title": "Tempe Sanan", "valid_until": "2026-12-31"},
    "listing.photo_added": {"title": "Tempe Sanan", "photo": 7, "width": 1600, "height": 1200},
    "listing.photo_removed": {"title": "Tempe Sanan", "photo": 7},
    # The public registry (public_registry/publishing.py; registered by public_registry's app).
    "registry.withholding_changed": {
        "title": "KSB Malang Raya",
        "fields": ["signatories"],
        "documents": True,
        "reason": "UU 14/2008 Pasal 17 huruf h",
        "version": 2,
    },
    "synonym.saved": {"words": "tempe, tempeh"},
    "synonym.removed": {"words": "tempe, tempeh"},
    "saved_search.saved": {"name": "Tempe Jawa Timur", "query": "q=tempe&province=35"},
    "saved_search.removed": {"name": "Tempe Jawa Timur"},
    # Inquiries about listings (marketplace/inquiries.py, agreements/inquiries.py).
    "inquiry.sent": {"subject": "Pasokan tempe", "listing": "Tempe Sanan", "from_region": "65.71"},
    "inquiry.answered": {"subject": "Pasokan tempe", "listing": "Tempe Sanan"},
    "inquiry.followed_up": {"subject": "Pasokan tempe", "listing": "Tempe Sanan"},
    "inquiry.offer_made": {
        "subject": "Pasokan tempe",
        "listing": "Tempe Sanan",
        "partner": "35.73",
        "cooperation": 12,
    },
    "inquiry.proposal_made": {"subject": "Pasokan tempe", "listing": "Tempe Sanan", "proposal": 4},
    "portal.editor_granted": {"email": "humas@malangkota.test"},
    "portal.editor_revoked": {"email": "humas@malangkota.test"},
    # API tokens (api/tokens.py).
    "api_token.created": {
        "name": "Sinkron SIPD",
        "prefix": "jjr_AbCdEfGh",
        "role": "opd",
        "expires": "2027-02-21",
    },
    "api_token.revoked": {"name": "Sinkron SIPD", "prefix": "jjr_AbCdEfGh"},
    # Trade missions (missions/actions.py).
    "mission.created": {
        "title": "Misi Dagang Jawa Timur 2026",
        "destination": "Kalimantan Utara",
        "starts_on": "2026-03-10",
        "ends_on": "2026-03-12",
    },
    "mission.slot_added": {
        "title": "Misi Dagang Jawa Timur 2026",
        "slot": "10 Maret 2026 09.00–10.00",
    },
    "mission.listing_enrolled": {
        "mission": "Misi Dagang Jawa Timur 2026",
        "listing": "Biji wijen Sidoarjo",
    },
    "meeting.requested": {
        "mission": "Misi Dagang Jawa Timur 2026",
        "listing": "Biji wijen Sidoarjo",
        "slot": "10 Maret 2026 09.00–10.00",
        "from_region": "65.71",
    },
    "meeting.accepted": {
        "mission": "Misi Dagang Jawa Timur 2026",
        "listing": "Biji wijen Sidoarjo",
        "with": "Kota Tarakan",
        "slot": "10 Maret 2026 09.00–10.00",
    },
    "meeting.declined": {
        "mission": "Misi Dagang Jawa Timur 2026",
        "listing": "Biji wijen Sidoarjo",
        "with": "Kota Tarakan",
        "slot": "10 Maret 2026 09.00–10.00",
    },
    "meeting.rescheduled": {
        "mission": "Misi Dagang Jawa Timur 2026",
        "listing": "Biji wijen Sidoarjo",
        "with": "Kota Tarakan",
        "slot": "10 Maret 2026 10.00–11.00",
        "before": "10 Maret 2026 09.00–10.00",
    },
    "mission.updated": {
        "title": "Misi Dagang Jawa Timur 2026",
        "changed": {"starts_on": ["2026-03-10", "2026-03-11"], "title": ["Misi", "Misi 2026"]},
    },
    "mission.slot_removed": {
        "title": "Misi Dagang Jawa Timur 2026",
        "slot": "10 Maret 2026 09.00–10.00",
        "cancelled": 2,
    },
    "meeting.cancelled": {
        "mission": "Misi Dagang Jawa Timur 2026",
        "listing": "Biji wijen Sidoarjo",
        "with": "Kota Tarakan",
        "slot": "10 Maret 2026 09.00–10.00",
        "by": "requester",
    },
    "privacy.request_made": {"request": 7, "kind": "access"},
    "privacy.request_completed": {"request": 7, "kind": "erasure"},
    "privacy.request_refused": {"request": 7, "kind": "restriction"},
    "privacy.request_withdrawn": {"request": 7},
    "privacy.account_erased": {"request": 7},
    "privacy.copy_ready": {"request": 7},
    "privacy.copy_downloaded": {"request": 7},
    "privacy.copy_expired": {"request": 7},
    "privacy.name_corrected": {},
    "privacy.letter_deleted": {"application": 12},
    "report.submitted": {
        "region": "35.73",
        "period": "Semester I 2026",
        "number": "415/123/35.73.201/2026",
        "total": 14,
        "supersedes": 3,
        "reason": "Satu PKS terlewat",
    },
    "report.returned": {
        "region": "35.73",
        "period": "Semester I 2026",
        "reason": "Lampiran kurang",
    },
    "report.accepted": {"region": "35.73", "period": "Semester I 2026"},
    "report.paper_entered": {
        "region": "35.15",
        "period": "Semester I 2026",
        "number": "415/77/2026",
        "total": 6,
    },
    "report.compiled": {
        "region": "35",
        "period": "Semester I 2026",
        "number": "120/900/2026",
        "total": 93,
        "missing": 30,
    },
    "report.reminder_sent": {"period": "Semester I 2026", "kind": "due", "due_on": "2026-07-15"},
    "signature.accepted": {
        "document": "PKS Malang Raya.pdf",
        "problem_label": "signer not verified",
        "reason": "Diverifikasi lewat BSrE",
    },
    "ministry.role_granted": {"email": "kemendagri@contoh.test", "unit": "Ditjen Bina Adwil"},
    "ministry.role_revoked": {"email": "kemendagri@contoh.test", "unit": "Ditjen Bina Adwil"},
}


def recorded_in_source() -> set[str]:
    found = set()
    for folder in (
        "core",
        "accounts",
        "tenants",
        "workspace",
        "cms",
        "marketplace",
        "search",
        "portal",
        "agreements",
        "cooperation",
        "missions",
    ):
        for path in (ROOT / folder).rglob("*.py"):
            if "tests" in path.parts:
                continue
            found.update(RECORDED.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_action_recorded_in_the_code_is_registered():
    found = recorded_in_source()
    # The scan itself works (it finds the actions of three apps, in both call layouts).
    assert {
        "member.removed",
        "member.role_changed",
        "document.uploaded",
        "tenant.suspended",
    } <= found
    assert found - audit.registered_actions() == set()


def test_the_announced_actions_are_registered():
    announced = {
        "tenant.export_requested",
        "tenant.export_failed",
        "tenant.deletion_scheduled",
        "tenant.restored",
        "tenant.purged",
        "application.email_confirmed",
        "application.email_confirmation_resent",
    }
    assert announced <= audit.registered_actions()
    assert set(SAMPLES) == audit.registered_actions()


def test_recording_an_unregistered_action_fails_and_writes_nothing(malang):
    before = AuditEvent.objects.count()
    with pytest.raises(audit.UnregisteredAuditAction):
        audit.record("member.role_chnged", tenant=malang, data={"email": "a@contoh.test"})
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("action", sorted(SAMPLES))
def test_every_registered_action_reads_as_a_sentence(action):
    described = audit.describe_event(AuditEvent(action=action, data=SAMPLES[action]))
    assert described.label and described.label != action
    assert described.description
    for raw in ("%(", "{'", "None", action):
        assert raw not in described.description, raw
    # Old or partial data never breaks the history: it falls back to saying what it can.
    assert audit.describe_event(AuditEvent(action=action, data={})).label == described.label


@translation.override("en")
def test_descriptions_use_role_labels_and_region_names():
    role_change = audit.describe_event(
        AuditEvent(action="member.role_changed", data=SAMPLES["member.role_changed"])
    )
    assert role_change.description == (
        "Changed the role of a@contoh.test from TKKSD member to Region administrator."
    )
    removal = audit.describe_event(
        AuditEvent(action="member.removed", data=SAMPLES["member.removed"])
    )
    assert (
        removal.description == "Removed a@contoh.test (Camat (Kecamatan Blimbing)) from the region."
    )


def test_an_event_recorded_under_an_action_no_longer_registered_still_shows():
    described = audit.describe_event(AuditEvent(action="legacy.thing", data={"note": "x"}))
    assert (described.label, described.description) == ("legacy.thing", "note: x")


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_history_page_says_what_happened_in_words(client_for, member, malang):
    admin = member(malang, Role.ADMIN)
    camat = member(malang, Role.TKKSD)
    response = english(client_for(malang, admin)).post(
        reverse("workspace:member_edit", args=[Membership.objects.get(user=camat).pk]),
        {"role": Role.CAMAT, "area": "35.73.01"},
    )
    assert response.status_code == 302
    html = english(client_for(malang, admin)).get(reverse("workspace:history")).content.decode()
    assert "Role changed" in html
    assert (
        f"Changed the role of {camat.email} from TKKSD member to Camat (Kecamatan Blimbing)."
        in html
    )
    assert "member.role_changed" not in html and "{&#x27;" not in html


def test_the_staff_tenant_page_describes_events_too(client_for, malang, staff_user):
    AuditEvent.objects.create(
        action="tenant.suspended", tenant=malang, data={"reason": "Pergantian pejabat"}
    )
    page = english(client_for(None, staff_user)).get(
        reverse("platform:tenant_detail", args=[malang.pk], urlconf=settings.PUBLIC_SCHEMA_URLCONF)
    )
    html = page.content.decode()
    assert "Suspended the region (read-only). Reason: Pergantian pejabat" in html
    assert "tenant.suspended" not in html
