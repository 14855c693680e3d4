"""Reminders before expiry and of overdue monitoring reports: sent once per event, whatever
runs twice; to the office and the responsible OPD; cheap for a region with nothing due."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction
from django_tenants.utils import tenant_context

from agreements.models import Reminder
from agreements.monitoring import actions as monitoring
from agreements.monitoring import reminders
from agreements.monitoring.periods import Period
from core import schedule
from tenants.models import AuditEvent, Role
from tenants.region_lifecycle import suspend_tenant

from .factories import membership_of, new_agreement, step, to_ksb_signed

pytestmark = pytest.mark.django_db

END = datetime.date(2026, 12, 31)


@pytest.fixture
def office(malang, member):
    return membership_of(member(malang, Role.ADMIN), malang)


@pytest.fixture
def people(malang, member, office):
    """Who hears of the agreement's reminders, and who does not."""
    return {
        "office": office.user.email,
        "opd": member(malang, Role.OPD, opd="Dinas Pariwisata").email,
        "other_opd": member(malang, Role.OPD, opd="Dinas Pertanian").email,
        "viewer": member(malang, Role.VIEWER).email,
    }


def in_implementation(office, **changes):
    changes.setdefault("term_end", END)
    agreement = new_agreement(office, private={"responsible_opd": "Dinas Pariwisata"}, **changes)
    to_ksb_signed(office, agreement)  # signed 2026-02-10
    step(office, agreement, "start_implementation")
    return agreement


@pytest.fixture
def run(django_capture_on_commit_callbacks, mailoutbox):
    """run(day) -> (reminders sent, the e-mails sent by that run)."""

    def go(day: datetime.date):
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            result = reminders.send_due_reminders(today=day)
        return result["sent"], [(m.subject, sorted(m.to)) for m in mailoutbox]

    return go


def sent_rows(tenant) -> list[tuple]:
    with tenant_context(tenant):
        return list(Reminder.objects.order_by("pk").values_list("kind", "due_on", "days_before"))


def test_the_latest_threshold_that_has_come_is_the_one_sent():
    days = [90, 60, 30, 7, 0]
    assert reminders.expiry_threshold(END, days, datetime.date(2026, 10, 1)) is None
    assert reminders.expiry_threshold(END, days, datetime.date(2026, 10, 2)) == (
        datetime.date(2026, 10, 2),
        90,
    )
    # Entered late (or the worker was down): only the nearest reminder, not the ones missed.
    assert reminders.expiry_threshold(END, days, datetime.date(2026, 12, 26)) == (
        datetime.date(2026, 12, 24),
        7,
    )
    assert reminders.expiry_threshold(END, days, END) == (END, 0)
    assert reminders.expiry_threshold(END, days, datetime.date(2027, 1, 7)) == (END, 0)
    assert reminders.expiry_threshold(END, days, datetime.date(2027, 1, 8)) is None


def test_each_reminder_is_sent_once_even_when_the_job_runs_twice(malang, office, people, run):
    with tenant_context(malang):
        agreement = in_implementation(office)
    title = "Kesepakatan Bersama Malang Raya"
    to = sorted([people["office"], people["opd"]])

    # 90 days before the end; January-June's monitoring report is overdue too (due July 30).
    first = run(datetime.date(2026, 10, 2))
    assert first[0] == 2
    assert sorted(first[1]) == sorted(
        [
            (f"“{title}” expires in 90 days", to),
            (f"Monitoring report overdue: “{title}”", to),
        ]
    )
    assert run(datetime.date(2026, 10, 2)) == (0, [])  # the same day again: nothing
    assert run(datetime.date(2026, 10, 20)) == (0, [])  # nothing new has come
    assert run(datetime.date(2026, 11, 1)) == (1, [(f"“{title}” expires in 60 days", to)])
    # The worker was down through the 30 and 7 days: one reminder on the day itself.
    assert run(END) == (1, [(f"“{title}” expires today", to)])
    assert run(END) == (0, [])
    assert sent_rows(malang) == [
        ("expiry", datetime.date(2026, 10, 2), 90),
        ("monitoring_overdue", datetime.date(2026, 7, 30), None),
        ("expiry", datetime.date(2026, 11, 1), 60),
        ("expiry", END, 0),
    ]
    history = list(
        AuditEvent.objects.filter(
            tenant=malang, object_id=str(agreement.pk), action="agreement.reminder_sent"
        ).values_list("data__kind", "data__recipients")
    )
    assert sorted(history) == sorted(
        [("expiry", to), ("monitoring_overdue", to), ("expiry", to), ("expiry", to)]
    )


def test_the_database_refuses_a_second_reminder_for_one_event(malang, office):
    with tenant_context(malang):
        agreement = in_implementation(office)
        Reminder.objects.create(agreement=agreement, kind="expiry", due_on=END, about_on=END)
        with pytest.raises(IntegrityError), transaction.atomic():
            Reminder.objects.create(agreement=agreement, kind="expiry", due_on=END, about_on=END)


def test_a_filed_report_stops_the_overdue_reminder(malang, office, people, run):
    with tenant_context(malang):
        agreement = in_implementation(office, term_end=datetime.date(2028, 12, 31))
        monitoring.file_monitoring_report(
            membership=office,
            agreement=agreement,
            period=Period(2026, 1),
            progress="Berjalan",
            problems="",
            recommendation="continue",
            today=datetime.date(2026, 7, 10),
        )
    assert run(datetime.date(2026, 8, 1)) == (0, [])
    # July-December's report is due on January 30 and is missing.
    sent, mails = run(datetime.date(2027, 1, 30))
    assert sent == 1
    assert sent_rows(malang) == [("monitoring_overdue", datetime.date(2027, 1, 30), None)]


def test_the_regions_own_reminder_days(malang, office, people, run):
    with tenant_context(malang):
        in_implementation(office)
        monitoring.update_reminder_settings(membership=office, expiry_days=[45], grace_days=90)
    # 45 days before the end; the first half's report is due only on September 28.
    assert run(datetime.date(2026, 9, 27)) == (0, [])
    assert run(datetime.date(2026, 11, 16))[0] == 2
    assert sent_rows(malang) == [
        ("expiry", datetime.date(2026, 11, 16), 45),
        ("monitoring_overdue", datetime.date(2026, 9, 28), None),
    ]


def test_closed_agreements_and_suspended_regions_get_no_reminders(
    malang, office, people, run, staff_user
):
    with tenant_context(malang):
        ended = in_implementation(office)
        step(
            office,
            ended,
            "terminate",
            data={"reason": "Anggaran dicabut", "ended_on": datetime.date(2026, 6, 1)},
        )
        in_implementation(office, title="PKS Pariwisata")
    suspend_tenant(tenant=malang, acting_user=staff_user, reason="Pemeriksaan")
    assert run(datetime.date(2026, 10, 2)) == (0, [])
    assert sent_rows(malang) == []


def test_a_region_with_nothing_due_costs_a_few_queries(
    malang, office, django_assert_max_num_queries
):
    with tenant_context(malang):
        for n in range(5):
            new_agreement(office, title=f"Persiapan {n}", term_end=END)
    # The settings row and the two candidate queries (setting the search path aside).
    with django_assert_max_num_queries(4):
        assert reminders.remind_region(malang, today=datetime.date(2026, 10, 2)) == 0


def test_the_reminders_run_daily_on_the_platforms_schedule():
    jobs = {job.name: job for job in schedule.jobs()}
    job = jobs["agreements.reminders.send_reminders_task"]
    assert job.interval == datetime.timedelta(days=1)
    assert reminders.send_reminders_task.enqueue().return_value == {
        "regions": 2,
        "sent": 0,
        "failed": 0,
    }
