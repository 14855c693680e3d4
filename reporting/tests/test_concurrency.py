"""Two people of the same office submit the same semester's report at the same moment, in two
real, concurrent transactions. There is no current row to lock yet, so nothing in the code
serialises them: the partial unique index `reporting_one_current` does, and the one who commits
second is told the report was just submitted (409), with nothing of theirs stored."""

from __future__ import annotations

import threading

from django.db import connection

from agreements.tests.factories import membership_of
from reporting import actions, notifications
from reporting.errors import ReportingError
from reporting.models import Submission, SubmissionFile
from tenants.models import Role, Tenant
from tenants.tests.test_concurrency import _wait_until_blocked

from .conftest import H1, TODAY, letter


def test_two_submissions_at_once_store_one(committed_platform, member, monkeypatch):
    malang = Tenant.objects.get(region_id="35.73")
    offices = [membership_of(member(malang, Role.ADMIN), malang) for _ in range(2)]

    stored, release = threading.Event(), threading.Event()
    original = notifications.submitted

    def slow(submission, *, actor):
        original(submission, actor=actor)
        if threading.current_thread().name == "first":
            stored.set()
            release.wait(15)  # keep the first transaction open, its row not yet committed

    monkeypatch.setattr(notifications, "submitted", slow)
    outcomes: dict[str, str] = {}
    pids: dict[str, int] = {}
    second_connected = threading.Event()

    def submit(name, office):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pids[name] = cursor.fetchone()[0]
        if name == "second":
            second_connected.set()
        try:
            actions.submit_report(
                membership=office, semester=H1, letter=letter(f"050/{name}"), today=TODAY
            )
            outcomes[name] = "submitted"
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test reads
            outcomes[name] = getattr(exc, "code", repr(exc))
        finally:
            connection.close()

    first = threading.Thread(target=submit, args=("first", offices[0]), name="first")
    second = threading.Thread(target=submit, args=("second", offices[1]), name="second")
    first.start()
    assert stored.wait(60)
    second.start()
    assert second_connected.wait(10)
    # The second waits on the first's uncommitted entry in the unique index.
    blocked = _wait_until_blocked(pids["second"], by=pids["first"], timeout=60)
    release.set()
    first.join(60)
    second.join(60)

    assert blocked, "the second submission never waited for the first one"
    assert outcomes == {"first": "submitted", "second": ReportingError.ALREADY_SUBMITTED}
    assert list(Submission.objects.values_list("number", flat=True)) == ["050/first"]
    assert SubmissionFile.objects.count() == 2  # the first's XLSX and PDF, nothing else
