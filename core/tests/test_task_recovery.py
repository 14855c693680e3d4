"""A task whose worker died is run again, once (core/task_recovery.py): requeued when its
liveness lock is free, left alone while a worker holds it or within the grace period, failed
after MAX_RUNS lost runs; a region export goes back to PENDING and is built once."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core import task_recovery
from tenants import region_lifecycle
from tenants.models import ExportState, TenantExport

pytestmark = pytest.mark.django_db


def _running(task_path="search.tasks.apply_outbox_task", args=(), minutes_ago=5, workers=1):
    now = timezone.now()
    return DBTaskResult.objects.create(
        task_path=task_path,
        args_kwargs={"args": list(args), "kwargs": {}},
        backend_name="default",
        queue_name="default",
        status=TaskResultStatus.RUNNING,
        started_at=now - timedelta(minutes=minutes_ago),
        run_after=now - timedelta(minutes=minutes_ago),
        worker_ids=[f"worker-{i}" for i in range(workers)],
        exception_class_path="",
        traceback="",
    )


def test_a_task_whose_worker_died_is_requeued():
    lost = _running()
    done = task_recovery.recover_stale_tasks()
    assert done == {"requeued": [str(lost.pk)], "failed": []}
    lost.refresh_from_db()
    assert lost.status == TaskResultStatus.READY and lost.started_at is None
    assert lost.worker_ids == ["worker-0"]  # the record of who ran it stays
    assert DBTaskResult.objects.ready().filter(pk=lost.pk).exists()  # a worker will take it


def test_a_task_whose_worker_is_alive_or_just_started_is_left_alone():
    alive = _running()
    fresh = _running(minutes_ago=0)
    with (
        task_recovery._connect() as worker_connection,
        task_recovery.held(alive.pk, worker_connection),
    ):
        assert task_recovery.recover_stale_tasks() == {"requeued": [], "failed": []}
    for task in (alive, fresh):
        task.refresh_from_db()
        assert task.status == TaskResultStatus.RUNNING
    # Once the worker's connection is gone, the lock with it, the task is taken for lost.
    assert task_recovery.recover_stale_tasks()["requeued"] == [str(alive.pk)]


def test_a_task_lost_too_often_fails_instead_of_looping():
    lost = _running(workers=task_recovery.MAX_RUNS)
    assert task_recovery.recover_stale_tasks() == {"requeued": [], "failed": [str(lost.pk)]}
    lost.refresh_from_db()
    assert lost.status == TaskResultStatus.FAILED
    assert lost.exception_class_path == "core.task_recovery.WorkerLost"


def test_an_export_whose_worker_died_is_built_once(malang, staff_user):
    export = TenantExport.objects.create(
        tenant=malang,
        tenant_schema=malang.schema_name,
        tenant_name=malang.name,
        requested_by=staff_user,
        state=ExportState.RUNNING,  # the dead worker had started it
    )
    root = Path(settings.EXPORT_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    partial = root / f"{malang.schema_name}-20261207-100000-WIB-{export.pk}.zip.part"
    partial.write_bytes(b"half an archive")
    # Without the reset, the retried task finds the export RUNNING and never builds it.
    assert region_lifecycle.build_export(export_id=export.pk).state == ExportState.RUNNING

    lost = _running("tenants.tasks.build_tenant_export", args=[export.pk])
    assert task_recovery.recover_stale_tasks()["requeued"] == [str(lost.pk)]
    export.refresh_from_db()
    assert export.state == ExportState.PENDING
    assert not partial.exists()

    assert region_lifecycle.build_export(export_id=export.pk).state == ExportState.READY
    region_lifecycle.build_export(export_id=export.pk)  # a duplicate run does nothing
    archives = list(root.glob(f"{malang.schema_name}-*-{export.pk}.zip"))
    assert len(archives) == 1
    export.refresh_from_db()
    assert export.state == ExportState.READY and export.file_name == archives[0].name
