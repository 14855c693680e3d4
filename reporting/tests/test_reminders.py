"""Reminders before a deadline and when a report is overdue: once per event."""

from __future__ import annotations

import datetime

import pytest

from reporting import actions, reminders
from reporting.models import ReportReminder
from tenants.models import AuditEvent

from .conftest import H1, fill_register, letter

pytestmark = pytest.mark.django_db

BEFORE = datetime.date(2026, 7, 10)  # 5 days before 15 July
OVERDUE = datetime.date(2026, 7, 20)
EARLY = datetime.date(2026, 7, 2)  # more than a week before


def run(today, capture):
    with capture(execute=True):
        return reminders.send_due_reminders(today=today)


def test_once_before_the_deadline_and_once_when_overdue(
    malang, batu, office_of, django_capture_on_commit_callbacks, mailoutbox
):
    malang_office = office_of(malang)
    batu_office = office_of(batu)
    assert run(EARLY, django_capture_on_commit_callbacks)["sent"] == 0
    first = run(BEFORE, django_capture_on_commit_callbacks)
    assert first["sent"] == 2  # Kota Malang and Kota Batu
    again = run(BEFORE + datetime.timedelta(days=1), django_capture_on_commit_callbacks)
    assert again["sent"] == 0  # never twice
    to_malang = [m for m in mailoutbox if malang_office.user.email in m.to]
    assert len(to_malang) == 1 and "15 Juli 2026" in to_malang[0].body
    # Kota Batu submits; only Kota Malang is overdue.
    fill_register(batu, batu_office, signed=1, in_process=0)
    actions.submit_report(membership=batu_office, semester=H1, letter=letter(), today=BEFORE)
    overdue = run(OVERDUE, django_capture_on_commit_callbacks)
    assert overdue["sent"] == 1
    assert run(OVERDUE, django_capture_on_commit_callbacks)["sent"] == 0
    assert ReportReminder.objects.filter(region_id="35.73").count() == 2
    assert ReportReminder.objects.filter(region_id="35.79").count() == 1
    events = AuditEvent.objects.filter(action="report.reminder_sent", tenant=malang)
    assert sorted(e.data["kind"] for e in events) == ["before", "overdue"]


def test_a_returned_report_is_still_due(
    malang, jatim, office_of, django_capture_on_commit_callbacks
):
    malang_office = office_of(malang)
    fill_register(malang, malang_office, signed=1, in_process=0)
    submission = actions.submit_report(
        membership=malang_office, semester=H1, letter=letter(), today=BEFORE
    )
    actions.return_submission(
        membership=office_of(jatim), submission=submission, reason="Lampiran kurang"
    )
    run(OVERDUE, django_capture_on_commit_callbacks)
    assert ReportReminder.objects.filter(region_id="35.73", kind="overdue").exists()
