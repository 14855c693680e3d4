"""The action plan, monitoring reports, notifications and reminder settings pages: who gets
what, bad input that changes nothing, and what the agreement's page shows."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django_tenants.utils import tenant_context

from agreements.models import ActionItem, MonitoringReport, ReminderSettings
from agreements.monitoring import reminders
from tenants.models import Role

from .factories import membership_of, new_agreement, step, to_ksb_signed

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"agreements:{name}", args=args, urlconf="portal.urls_tenant")


@pytest.fixture
def admin(malang, member):
    return member(malang, Role.ADMIN)


@pytest.fixture
def agreement(malang, admin):
    office = membership_of(admin, malang)
    with tenant_context(malang):
        agreement = new_agreement(office, private={"responsible_opd": "Dinas Pariwisata"})
        to_ksb_signed(office, agreement)
        step(office, agreement, "start_implementation")
    return agreement


ITEM = {
    "activity": "Paket wisata bersama",
    "owner_opd": "Dinas Pariwisata",
    "due_on": "2026-09-30",
    "status": "planned",
}


def test_the_responsible_opd_adds_to_the_plan_and_another_opd_is_refused(
    client_for, malang, member, agreement
):
    own = client_for(malang, member(malang, Role.OPD, opd="Dinas Pariwisata"))
    other = client_for(malang, member(malang, Role.OPD, opd="Dinas Pertanian"))
    assert other.get(url("action_item_create", agreement.pk)).status_code == 403
    assert other.post(url("action_item_create", agreement.pk), ITEM).status_code == 403
    with tenant_context(malang):
        assert ActionItem.objects.count() == 0
    response = own.post(url("action_item_create", agreement.pk), ITEM)
    assert response.status_code == 302
    assert response["Location"] == url("detail", agreement.pk)
    page = own.get(url("detail", agreement.pk)).content.decode()
    assert "Paket wisata bersama" in page
    assert url("monitoring_create", agreement.pk) in page


def test_bad_input_and_a_stale_edit_change_nothing(client_for, malang, admin, agreement):
    client = client_for(malang, admin)
    refused = client.post(url("action_item_create", agreement.pk), {**ITEM, "due_on": ""})
    assert refused.status_code == 400
    assert list(refused.context["form"].errors) == ["due_on"]
    assert client.post(url("action_item_create", agreement.pk), ITEM).status_code == 302
    with tenant_context(malang):
        item = ActionItem.objects.get()
    edit = url("action_item_edit", agreement.pk, item.pk)
    assert client.post(edit, {**ITEM, "status": "done", "version": 1}).status_code == 302
    stale = client.post(edit, {**ITEM, "status": "held_up", "version": 1})
    assert stale.status_code == 409
    assert "Someone else changed this action plan item" in stale.content.decode()
    with tenant_context(malang):
        assert list(ActionItem.objects.values_list("status", "version")) == [("done", 2)]


def test_filing_a_monitoring_report_from_its_page(
    client_for, malang, admin, agreement, monkeypatch
):
    monkeypatch.setattr(
        "agreements.monitoring.views.timezone.localdate", lambda: datetime.date(2026, 8, 15)
    )
    client = client_for(malang, admin)
    bad = client.post(url("monitoring_create", agreement.pk), {"period": "2026-9"})
    assert bad.status_code == 400
    assert set(bad.context["form"].errors) == {"period", "progress", "recommendation"}
    outside = {"period": "2025-2", "progress": "Berjalan baik", "recommendation": "continue"}
    refused = client.post(url("monitoring_create", agreement.pk), outside)
    assert refused.status_code == 400
    assert [e.code for e in refused.context["form"].errors.as_data()["period"]] == [
        "period_outside_term"
    ]
    response = client.post(url("monitoring_create", agreement.pk), {**outside, "period": "2026-1"})
    with tenant_context(malang):
        report = MonitoringReport.objects.get()
    assert (report.year, report.semester) == (2026, 1)
    assert response["Location"] == url("monitoring_detail", agreement.pk, report.pk)
    assert "Berjalan baik" in client.get(response["Location"]).content.decode()
    again = client.post(url("monitoring_create", agreement.pk), {**outside, "period": "2026-1"})
    assert again.status_code == 400
    assert "has been filed already" in again.content.decode()


def test_viewers_do_not_see_the_working_record_other_regions_do_not_find_it(
    client_for, malang, batu, member, agreement
):
    with tenant_context(malang):
        report = MonitoringReport.objects.create(
            agreement_id=agreement.pk,
            year=2026,
            semester=1,
            progress="Rahasia kecil",
            recommendation="continue",
        )
    viewer = client_for(malang, member(malang, Role.VIEWER))
    page = viewer.get(url("detail", agreement.pk)).content.decode()
    assert "Rahasia kecil" not in page and url("monitoring_create", agreement.pk) not in page
    assert viewer.get(url("monitoring_detail", agreement.pk, report.pk)).status_code == 403
    assert viewer.get(url("notifications")).status_code == 403
    stranger = client_for(malang, member(batu, Role.ADMIN))
    assert stranger.get(url("monitoring_detail", agreement.pk, report.pk)).status_code == 404
    assert stranger.post(url("action_item_create", agreement.pk), ITEM).status_code == 404
    anonymous = client_for(malang)
    assert anonymous.get(url("monitoring_create", agreement.pk)).status_code == 302
    with tenant_context(malang):
        assert ActionItem.objects.count() == 0


def test_notifications_show_each_person_their_reminders(
    client_for, malang, admin, member, agreement, django_capture_on_commit_callbacks
):
    with tenant_context(malang):
        other = new_agreement(
            membership_of(admin, malang),
            title="PKS Pertanian",
            private={"responsible_opd": "Dinas Pertanian"},
        )
        to_ksb_signed(membership_of(admin, malang), other)
    with django_capture_on_commit_callbacks(execute=True):
        # The first: its expiry and its missing monitoring report; the second: its expiry.
        assert reminders.send_due_reminders(today=datetime.date(2030, 10, 2))["sent"] == 3

    def titles(user) -> list[str]:
        page = client_for(malang, user).get(url("notifications"))
        return sorted(r.agreement.cooperation.title for r in page.context["page"])

    ksb = "Kesepakatan Bersama Malang Raya"
    assert titles(admin) == [ksb, ksb, "PKS Pertanian"]
    assert titles(member(malang, Role.TKKSD)) == [ksb, ksb, "PKS Pertanian"]
    assert titles(member(malang, Role.OPD, opd="Dinas Pariwisata")) == [ksb, ksb]
    assert titles(member(malang, Role.OPD, opd="")) == []


def test_the_reminder_settings_page(client_for, malang, admin, member):
    client = client_for(malang, admin)
    form = client.get(url("reminder_settings")).context["form"]
    assert form["expiry_days"].value() == "90, 60, 30, 7, 0"
    bad = client.post(url("reminder_settings"), {"expiry_days": "90, soon", "grace_days": "30"})
    assert bad.status_code == 400
    too_far = client.post(url("reminder_settings"), {"expiry_days": "900", "grace_days": "30"})
    assert too_far.status_code == 400
    assert [e.code for e in too_far.context["form"].errors.as_data()["expiry_days"]] == [
        "expiry_days_invalid"
    ]
    with tenant_context(malang):
        assert ReminderSettings.objects.count() == 0
    saved = client.post(url("reminder_settings"), {"expiry_days": "120, 30; 0", "grace_days": "14"})
    assert saved.status_code == 302
    with tenant_context(malang):
        row = ReminderSettings.objects.get()
    assert (row.expiry_days, row.monitoring_grace_days) == ([120, 30, 0], 14)
    opd = client_for(malang, member(malang, Role.OPD, opd="Dinas Pariwisata"))
    assert (
        opd.post(url("reminder_settings"), {"expiry_days": "1", "grace_days": "1"}).status_code
        == 403
    )
