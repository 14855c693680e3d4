"""Health, readiness, metrics and structured logs (portal/health.py, core/observability.py)."""

from __future__ import annotations

import io
import json
import logging
import socket
import threading
import time
from datetime import timedelta

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.utils import timezone

from core.observability import ContextFilter, JsonFormatter
from search.models import IndexTask


def test_liveness_needs_no_database_and_any_host():
    # No django_db mark: pytest-django refuses every database access in this test.
    response = Client(HTTP_HOST="balancer.internal").get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_readiness_reports_each_check(client_for, malang):
    for client in (Client(), client_for(malang)):
        response = client.get("/readyz")
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["status"] == "ok"
        assert set(body["checks"]) == {"database", "cache", "tasks", "search_outbox", "search"}
        assert body["checks"]["database"]["status"] == "ok"
        assert body["checks"]["search"]["backend"] == "postgresql"


@pytest.mark.django_db
def test_readiness_fails_without_the_database(monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken)
    response = Client().get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["database"] == {
        "status": "fail",
        "error": "OperationalError",
        "ms": body["checks"]["database"]["ms"],
    }
    assert body["checks"]["search_outbox"] == {"status": "skipped"}
    # Liveness is unaffected: restarting the process would not bring the database back.
    assert Client().get("/healthz").status_code == 200


@pytest.mark.django_db
def test_a_lagging_worker_and_an_old_outbox_degrade_readiness(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.JEJARING_READY_MAX_TASK_LAG = 60
    settings.JEJARING_READY_MAX_OUTBOX_AGE = 60
    from django_tasks_db.models import get_date_max

    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="search.tasks.apply_outbox_task",
        backend_name="default",
        run_after=get_date_max(),
    )
    DBTaskResult.objects.filter(id=task.id).update(
        enqueued_at=timezone.now() - timedelta(minutes=10)
    )
    IndexTask.objects.create(
        doc_type="listing", object_id=1, created_at=timezone.now() - timedelta(minutes=20)
    )
    response = Client().get("/readyz")
    assert response.status_code == 200  # shared by every server: not a reason to drop one
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["tasks"]["status"] == "degraded"
    assert body["checks"]["tasks"]["depth"] >= 1
    assert body["checks"]["tasks"]["oldest_seconds"] >= 590
    assert body["checks"]["search_outbox"]["status"] == "degraded"
    assert body["checks"]["search_outbox"]["backlog"] >= 1
    assert Client().get("/readyz?strict=1").status_code == 503


@pytest.fixture
def hanging_port():
    """A loopback port that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    accepted = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    server.close()


@pytest.mark.django_db
def test_a_hanging_search_server_degrades_readiness_within_its_timeout(settings, hanging_port):
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{hanging_port}"
    started = time.monotonic()
    response = Client().get("/readyz")
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    search = response.json()["checks"]["search"]
    assert search["status"] == "degraded"
    assert search["reachable"] is False
    assert elapsed < 5


@pytest.mark.django_db
def test_metrics_for_loopback_or_a_token_only(settings, client_for, malang):
    client_for(malang).get("/")
    Client().get("/healthz")
    response = Client().get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert 'jejaring_http_requests_total{method="GET",status="200",view="healthz"}' in text
    assert "jejaring_http_request_duration_seconds_bucket{" in text
    assert "jejaring_task_queue_depth " in text
    assert "jejaring_search_outbox_backlog " in text

    # Through a proxy (which connects from loopback too) or from another machine: not found.
    assert Client().get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 404
    assert Client(REMOTE_ADDR="10.1.2.3").get("/metrics").status_code == 404
    settings.JEJARING_METRICS_TOKEN = "s3cret-token-for-prometheus"
    remote = Client(REMOTE_ADDR="10.1.2.3")
    assert remote.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    authorised = remote.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token-for-prometheus")
    assert authorised.status_code == 200


@pytest.fixture
def json_log():
    """The settings' console handler's filter and formatter, writing to a buffer."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.addFilter(ContextFilter())
    handler.setFormatter(JsonFormatter())
    loggers = [logging.getLogger("jejaring.access"), logging.getLogger("django.request")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    for lg, level in zip(loggers, levels, strict=True):
        lg.removeHandler(handler)
        lg.setLevel(level)


@pytest.mark.django_db
def test_every_log_line_carries_the_request_id_and_the_region(json_log, client_for, malang):
    client = client_for(malang)
    response = client.get("/tidak-ada/", HTTP_X_REQUEST_ID="haproxy-7f3a.42")
    assert response.status_code == 404
    assert response["X-Request-ID"] == "haproxy-7f3a.42"
    lines = json_log()
    # django.request's warning for the 404, and the access line.
    assert {line["logger"] for line in lines} == {"django.request", "jejaring.access"}
    for line in lines:
        assert line["request_id"] == "haproxy-7f3a.42"
        assert line["region"] == malang.schema_name
    access = next(line for line in lines if line["logger"] == "jejaring.access")
    assert access["status"] == 404
    assert access["path"] == "/tidak-ada/"
    assert access["duration_ms"] >= 0


@pytest.mark.django_db
def test_a_request_id_is_made_when_none_or_a_bad_one_comes(json_log):
    first = Client().get("/healthz")
    second = Client().get("/healthz", HTTP_X_REQUEST_ID="bad id\nwith a line break")
    ids = [first["X-Request-ID"], second["X-Request-ID"]]
    assert all(len(value) == 32 for value in ids)
    assert ids[0] != ids[1]
    assert [line["request_id"] for line in json_log()] == ids
    assert [line["region"] for line in json_log()] == ["public", "public"]
