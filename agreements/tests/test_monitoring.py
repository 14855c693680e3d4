"""The action plan, monitoring reports and reminder settings, through their actions: who may,
bad input that changes nothing, stale edits, and what the history says."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django_tenants.utils import tenant_context

from agreements.models import ActionItem, MonitoringReport, ReminderSettings
from agreements.monitoring import actions as monitoring
from agreements.monitoring import selectors as monitoring_selectors
from agreements.monitoring.periods import Period, latest_due
from agreements.register.selectors import history_for
from core.errors import Conflict, Forbidden
from tenants.audit import describe_events
from tenants.models import AuditEvent, Role
from tenants.region_lifecycle import suspend_tenant

from .factories import membership_of, new_agreement, step, to_ksb_signed

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 8, 15)
H1 = Period(2026, 1)


@pytest.fixture
def office(malang, member):
    return membership_of(member(malang, Role.ADMIN), malang)


@pytest.fixture
def opd(malang, member):
    return membership_of(member(malang, Role.OPD, opd="Dinas Pariwisata"), malang)


@pytest.fixture
def other_opd(malang, member):
    return membership_of(member(malang, Role.OPD, opd="Dinas Pertanian"), malang)


def codes(exc: ValidationError) -> dict[str, list[str]]:
    return {field: [e.code for e in errors] for field, errors in exc.error_dict.items()}


def in_implementation(office, **private):
    agreement = new_agreement(office, private={"responsible_opd": "Dinas Pariwisata", **private})
    to_ksb_signed(office, agreement)
    step(office, agreement, "start_implementation")
    agreement.refresh_from_db()
    agreement.cooperation.refresh_from_db()
    return agreement


def add(membership, agreement, **changes):
    values = {
        "activity": "Paket wisata bersama Malang-Batu",
        "owner_opd": "Dinas Pariwisata",
        "due_on": datetime.date(2026, 9, 30),
        "status": "planned",
    }
    values.update(changes)
    return monitoring.add_action_item(membership=membership, agreement=agreement, **values)


def report(membership, agreement, **changes):
    values = {
        "period": H1,
        "progress": "Dua dari tiga kegiatan selesai",
        "problems": "",
        "recommendation": "continue",
        "today": TODAY,
    }
    values.update(changes)
    return monitoring.file_monitoring_report(membership=membership, agreement=agreement, **values)


def actions_of(tenant, agreement) -> list[str]:
    return list(
        AuditEvent.objects.filter(tenant=tenant, object_id=str(agreement.pk))
        .order_by("created_at", "id")
        .values_list("action", flat=True)
    )


def test_the_office_and_the_responsible_opd_keep_the_action_plan(malang, office, opd):
    with tenant_context(malang):
        agreement = in_implementation(office)
        first = add(office, agreement)
        second = add(opd, agreement, activity="Promosi bersama", due_on=datetime.date(2026, 7, 1))
        assert [i.activity for i in monitoring_selectors.action_plan(agreement)] == [
            "Promosi bersama",
            "Paket wisata bersama Malang-Batu",
        ]
        updated = monitoring.update_action_item(
            membership=opd,
            item=first,
            version=1,
            activity=first.activity,
            owner_opd=first.owner_opd,
            due_on=first.due_on,
            status="done",
        )
        assert (updated.status, updated.version) == ("done", 2)
        monitoring.remove_action_item(membership=office, item=second, version=1)
        assert list(ActionItem.objects.values_list("activity", "status")) == [
            ("Paket wisata bersama Malang-Batu", "done")
        ]
        events = describe_events(history_for(agreement, tenant=malang, include_internal=True)[:3])
    assert [e.event.action for e in events] == [
        "agreement.action_item_removed",
        "agreement.action_item_updated",
        "agreement.action_item_added",
    ]
    assert events[1].description == (
        "Updated the action plan item “Paket wisata bersama Malang-Batu” of “Kesepakatan "
        "Bersama Malang Raya”. Changed: status."
    )


def test_opd_staff_of_another_opd_and_other_roles_are_refused_and_nothing_changes(
    malang, office, other_opd, member
):
    tkksd = membership_of(member(malang, Role.TKKSD), malang)
    viewer = membership_of(member(malang, Role.VIEWER), malang)
    with tenant_context(malang):
        agreement = in_implementation(office)
        item = add(office, agreement)
        for someone in (other_opd, tkksd, viewer):
            with pytest.raises(Forbidden):
                add(someone, agreement, activity="Tidak boleh")
            with pytest.raises(Forbidden):
                report(someone, agreement)
            with pytest.raises(Forbidden):
                monitoring.remove_action_item(membership=someone, item=item, version=1)
        assert ActionItem.objects.count() == 1
        assert MonitoringReport.objects.count() == 0
        # The OPD staff of another OPD become responsible: now they may.
        agreement.responsible_opd = "dinas pertanian "
        agreement.save()
        add(other_opd, agreement, activity="Sekarang boleh")
        assert ActionItem.objects.count() == 2


def test_bad_items_are_refused_with_their_codes_and_write_nothing(malang, office):
    with tenant_context(malang):
        agreement = in_implementation(office)
        with pytest.raises(ValidationError) as refused:
            add(office, agreement, activity="  ", owner_opd="", due_on=None, status="finished")
        assert codes(refused.value) == {
            "activity": ["activity_required"],
            "owner_opd": ["owner_opd_required"],
            "due_on": ["due_date_required"],
            "status": ["unknown_status"],
        }
        assert ActionItem.objects.count() == 0
    assert "agreement.action_item_added" not in actions_of(malang, agreement)


def test_a_stale_item_edit_is_refused_and_keeps_the_other_persons_change(malang, office, opd):
    with tenant_context(malang):
        agreement = in_implementation(office)
        item = add(office, agreement)
        seen = item.version
        monitoring.update_action_item(
            membership=opd,
            item=item,
            version=seen,
            activity=item.activity,
            owner_opd=item.owner_opd,
            due_on=item.due_on,
            status="in_progress",
        )
        with pytest.raises(Conflict) as refused:
            monitoring.update_action_item(
                membership=office,
                item=item,
                version=seen,
                activity=item.activity,
                owner_opd=item.owner_opd,
                due_on=item.due_on,
                status="held_up",
            )
        assert refused.value.code == "stale_version"
        with pytest.raises(Conflict):
            monitoring.remove_action_item(membership=office, item=item, version=seen)
        assert list(ActionItem.objects.values_list("status", "version")) == [("in_progress", 2)]


def test_a_closed_agreements_plan_is_closed(malang, office):
    with tenant_context(malang):
        agreement = new_agreement(office, private={"responsible_opd": "Dinas Pariwisata"})
        add(office, agreement)  # drafted in preparation already
        step(office, agreement, "reject", data={"reason": "Mitra menarik diri"})
        with pytest.raises(Conflict) as refused:
            add(office, agreement, activity="Terlambat")
        assert refused.value.code == "agreement_closed"
        assert ActionItem.objects.count() == 1


def test_a_suspended_region_keeps_no_plan(malang, office, staff_user):
    with tenant_context(malang):
        agreement = in_implementation(office)
    suspend_tenant(tenant=malang, acting_user=staff_user, reason="Pemeriksaan")
    office.tenant.refresh_from_db()
    with tenant_context(malang):
        with pytest.raises(Forbidden) as refused:
            add(office, agreement)
        assert refused.value.code == "tenant_suspended"
        assert ActionItem.objects.count() == 0


def test_a_monitoring_report_records_the_plans_progress_and_tells_the_office(
    malang, office, opd, member, mailoutbox, django_capture_on_commit_callbacks
):
    colleague = member(malang, Role.ADMIN)
    with tenant_context(malang):
        agreement = in_implementation(office)
        add(office, agreement, status="done")
        add(office, agreement, activity="Promosi bersama")
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            filed = report(opd, agreement, recommendation="expand")
        assert (filed.items_done, filed.items_total, filed.recommendation) == (1, 2, "expand")
        assert filed.filed_by_email == opd.user.email
        assert [r.period_label for r in monitoring_selectors.monitoring_reports(agreement)] == [
            "January-June 2026"
        ]
        with translation.override("en"):
            event = describe_events(
                history_for(agreement, tenant=malang, include_internal=True)[:1]
            )[0]
    # The period is recorded in the platform's language, like its e-mail.
    with translation.override(settings.LANGUAGE_CODE):
        period = H1.label
    assert event.event.data["period"] == period
    assert event.description == (
        f"Filed the monitoring report on “Kesepakatan Bersama Malang Raya” for {period}: "
        "1 of 2 action plan items done; recommends to expand."
    )
    assert [sorted(m.to) for m in mailoutbox] == [sorted([colleague.email, office.user.email])]


def test_bad_monitoring_reports_are_refused_and_write_nothing(malang, office):
    with tenant_context(malang):
        agreement = in_implementation(office)
        with pytest.raises(ValidationError) as refused:
            report(office, agreement, period=None, progress=" ", recommendation="pause")
        assert codes(refused.value) == {
            "period": ["period_invalid"],
            "progress": ["progress_required"],
            "recommendation": ["unknown_recommendation"],
        }
        with pytest.raises(ValidationError) as refused:
            report(office, agreement, period=Period(2026, 2), today=datetime.date(2026, 6, 1))
        assert codes(refused.value) == {"period": ["period_in_future"]}
        with pytest.raises(ValidationError) as refused:
            report(office, agreement, recommendation="stop", problems="")
        assert codes(refused.value) == {"problems": ["reason_required"]}
        with pytest.raises(ValidationError) as refused:
            report(office, agreement, period=Period(2025, 2))  # the term starts in 2026
        assert codes(refused.value) == {"period": ["period_outside_term"]}
        report(office, agreement)
        with pytest.raises(ValidationError) as refused:
            report(office, agreement, progress="Lagi")
        assert codes(refused.value) == {"period": ["monitoring_already_filed"]}
        assert list(MonitoringReport.objects.values_list("progress", flat=True)) == [
            "Dua dari tiga kegiatan selesai"
        ]
        # And the database itself refuses a second report for one period.
        with pytest.raises(IntegrityError), transaction.atomic():
            MonitoringReport.objects.create(
                agreement=agreement, year=2026, semester=1, progress="x", recommendation="stop"
            )


def test_no_monitoring_report_before_implementation(malang, office):
    with tenant_context(malang):
        agreement = new_agreement(office)
        to_ksb_signed(office, agreement)
        with pytest.raises(Conflict) as refused:
            report(office, agreement)
        assert refused.value.code == "monitoring_not_in_force"
        assert MonitoringReport.objects.count() == 0


def test_the_office_sets_the_reminder_days_and_bad_values_change_nothing(malang, office, opd):
    with tenant_context(malang):
        assert monitoring_selectors.reminder_settings().expiry_days == [90, 60, 30, 7, 0]
        assert ReminderSettings.objects.count() == 0  # reading the defaults writes nothing
        monitoring.update_reminder_settings(
            membership=office, expiry_days=[30, 120, 0, 30], grace_days=45
        )
        current = monitoring_selectors.reminder_settings()
        assert (current.expiry_days, current.monitoring_grace_days) == ([120, 30, 0], 45)
        for days, grace in (([], 30), ([-1], 30), ([800], 30), (list(range(9)), 30), ([7], 400)):
            with pytest.raises(ValidationError):
                monitoring.update_reminder_settings(
                    membership=office, expiry_days=days, grace_days=grace
                )
        with pytest.raises(Forbidden):
            monitoring.update_reminder_settings(membership=opd, expiry_days=[1], grace_days=1)
        current = monitoring_selectors.reminder_settings()
        assert (current.expiry_days, current.monitoring_grace_days) == ([120, 30, 0], 45)
    assert AuditEvent.objects.filter(action="agreement.reminder_settings_changed").count() == 1


def test_periods():
    assert Period.containing(datetime.date(2026, 6, 30)) == Period(2026, 1)
    assert Period.containing(datetime.date(2026, 7, 1)) == Period(2026, 2)
    assert Period(2026, 1).previous() == Period(2025, 2)
    assert (Period(2025, 2).start, Period(2025, 2).end) == (
        datetime.date(2025, 7, 1),
        datetime.date(2025, 12, 31),
    )
    assert Period.parse("2026-2") == Period(2026, 2)
    assert [Period.parse(v) for v in ("2026-3", "x-1", "", "2026")] == [None] * 4
    # The report for January-June is due 30 days after June 30.
    assert latest_due(datetime.date(2026, 7, 30), 30) == Period(2026, 1)
    assert latest_due(datetime.date(2026, 7, 29), 30) == Period(2025, 2)
