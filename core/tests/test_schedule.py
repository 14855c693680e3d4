"""The platform's scheduler enqueues each periodic job once per interval, whatever restarts."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from core import schedule
from core.models import ScheduledJob

pytestmark = pytest.mark.django_db


@pytest.fixture
def counted_job(monkeypatch):
    runs = []

    class FakeTask:
        def enqueue(self):
            runs.append(timezone.now())

    monkeypatch.setattr(schedule, "_jobs", {})
    monkeypatch.setattr(schedule, "import_string", lambda path: FakeTask())
    schedule.every(timedelta(hours=1), "test.job")
    return runs


def test_a_job_is_enqueued_once_per_interval(counted_job):
    now = timezone.now()
    assert schedule.run_due(now) == ["test.job"]
    # A restart (a new process) asks again at once: the database remembers, nothing is enqueued.
    assert schedule.run_due(now + timedelta(minutes=59)) == []
    assert schedule.run_due(now + timedelta(hours=1)) == ["test.job"]
    assert len(counted_job) == 2
    assert ScheduledJob.objects.get(name="test.job").last_enqueued_at == now + timedelta(hours=1)


def test_the_command_checks_once_and_exits(counted_job):
    call_command("run_scheduler", "--once")
    call_command("run_scheduler", "--once")
    assert len(counted_job) == 1


def test_the_platforms_daily_housekeeping_is_scheduled():
    names = {job.name: job for job in schedule.jobs()}
    assert names["tenants.tasks.expire_exports_task"].interval == timedelta(days=1)
    assert names["tenants.tasks.purge_deleted_regions_task"].interval == timedelta(days=1)


def test_the_housekeeping_tasks_run(settings):
    from tenants.tasks import expire_exports_task, purge_deleted_regions_task

    result = expire_exports_task.enqueue()
    assert set(result.return_value) >= {"expired", "abandoned", "orphans"}
    assert purge_deleted_regions_task.enqueue().return_value == {"purged": [], "skipped": []}
