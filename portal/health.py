"""Health, readiness and metrics, for a load balancer and for Prometheus.

- `/healthz` liveness: the process answers. No database, no cache: a server whose database is
  down is alive (restarting it would not help).
- `/readyz` readiness: this server can serve. 200 or 503 with a JSON body naming each check.
  The database and the cache are required (503 when either fails: HAProxy takes the server out
  of rotation, docker/haproxy.cfg). The task worker's lag (age of the oldest task due), the
  search outbox's backlog and the search server's reachability are shared by every server, so
  they make the answer `degraded`, not 503 (taking every server out because Elasticsearch is
  down would turn a slower search into an outage; search falls back to PostgreSQL). `?strict=1`
  makes `degraded` a 503 as well, for a monitor rather than a load balancer.
- `/metrics` Prometheus' text format: the requests (core/observability.py), and at each scrape
  the task queue's depth and lag and the outbox's backlog. Loopback without a proxy, or a bearer
  token (JEJARING_METRICS_TOKEN); anyone else gets 404.

`HealthMiddleware` answers these paths before django-tenants looks the host up in the database
(so liveness needs no database and any Host the balancer sends works); the same views are in
portal/urls_common.py for reverse() and the permission matrix.
"""

from __future__ import annotations

import os
import socket
import time

from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
from django.http import HttpResponse, HttpResponseNotFound, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily

from core.observability import metrics_allowed

SEARCH_TIMEOUT_SECONDS = 1.0


def _limit(name: str, default: float) -> float:
    return float(getattr(settings, name, default))


def _database() -> dict:
    with transaction.atomic(), connection.cursor() as cursor:
        # Bounded: a readiness probe must answer before the balancer's own timeout.
        cursor.execute("SET LOCAL statement_timeout = 2000")
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"status": "ok"}


def _cache() -> dict:
    cache = caches["default"]
    key = f"readyz:{socket.gethostname()}:{os.getpid()}"
    value = str(time.time())
    cache.set(key, value, 30)
    if cache.get(key) != value:
        return {"status": "fail", "error": "value not read back"}
    return {"status": "ok"}


def _task_queue() -> dict:
    """Tasks due and not started (django-tasks-db's queue) and how long the oldest has waited."""
    backend = settings.TASKS["default"]["BACKEND"]
    if not backend.startswith("django_tasks_db"):
        return {"status": "ok", "backend": backend.rsplit(".", 1)[-1], "note": "no queue"}
    from django_tasks_db.models import DBTaskResult, get_date_max

    ready = DBTaskResult.objects.ready()
    depth = ready.count()
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", "run_after").first()
    lag = 0.0
    if oldest:
        since = oldest[0] if oldest[1] == get_date_max() else max(oldest)
        lag = max(0.0, (timezone.now() - since).total_seconds())
    limit = _limit("JEJARING_READY_MAX_TASK_LAG", 300)
    return {
        "status": "degraded" if lag > limit else "ok",
        "depth": depth,
        "oldest_seconds": round(lag, 1),
        "limit_seconds": limit,
    }


def _outbox() -> dict:
    from search.models import IndexTask

    pending = IndexTask.objects.pending()
    backlog = pending.count()
    oldest = pending.order_by("created_at").values_list("created_at", flat=True).first()
    age = max(0.0, (timezone.now() - oldest).total_seconds()) if oldest else 0.0
    limit = _limit("JEJARING_READY_MAX_OUTBOX_AGE", 600)
    return {
        "status": "degraded" if age > limit else "ok",
        "backlog": backlog,
        "oldest_seconds": round(age, 1),
        "limit_seconds": limit,
    }


def _search() -> dict:
    if not settings.ELASTICSEARCH_URL:
        return {"status": "ok", "backend": "postgresql"}
    from elasticsearch import Elasticsearch

    client = Elasticsearch(
        settings.ELASTICSEARCH_URL, request_timeout=SEARCH_TIMEOUT_SECONDS, max_retries=0
    )
    try:
        reachable = bool(client.ping())
    finally:
        client.close()
    return {
        "status": "ok" if reachable else "degraded",
        "backend": "elasticsearch",
        "reachable": reachable,
    }


REQUIRED = {"database": _database, "cache": _cache}
ADVISORY = {"tasks": _task_queue, "search_outbox": _outbox, "search": _search}


def _run(check) -> dict:
    started = time.perf_counter()
    try:
        result = check()
    except Exception as exc:  # noqa: BLE001 (a failing check is the answer, not a 500)
        result = {"status": "fail", "error": type(exc).__name__}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    connection.set_schema_to_public()
    checks = {name: _run(check) for name, check in REQUIRED.items()}
    required_ok = all(c["status"] == "ok" for c in checks.values())
    if required_ok:
        checks.update({name: _run(check) for name, check in ADVISORY.items()})
    else:
        # The database is what the other checks read: they are not run.
        checks.update({name: {"status": "skipped"} for name in ADVISORY})
    if not required_ok:
        status = "fail"
    elif all(c["status"] == "ok" for c in checks.values()):
        status = "ok"
    else:
        status = "degraded"
    strict = request.GET.get("strict") == "1"
    code = 503 if status == "fail" or (strict and status != "ok") else 200
    return JsonResponse({"status": status, "checks": checks}, status=code)


class _QueueCollector:
    """Read at each scrape from the shared database: the same figures from every server."""

    def collect(self):
        queue = _run(_task_queue)
        outbox = _run(_outbox)
        depth = GaugeMetricFamily(
            "jejaring_task_queue_depth", "Background tasks due and not started."
        )
        depth.add_metric([], queue.get("depth", float("nan")))
        lag = GaugeMetricFamily(
            "jejaring_task_queue_oldest_seconds", "Age of the oldest background task due."
        )
        lag.add_metric([], queue.get("oldest_seconds", float("nan")))
        backlog = GaugeMetricFamily(
            "jejaring_search_outbox_backlog", "Search index changes not yet applied."
        )
        backlog.add_metric([], outbox.get("backlog", float("nan")))
        age = GaugeMetricFamily(
            "jejaring_search_outbox_oldest_seconds", "Age of the oldest unapplied index change."
        )
        age.add_metric([], outbox.get("oldest_seconds", float("nan")))
        return [depth, lag, backlog, age]


def _request_metrics() -> bytes:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest(REGISTRY)


@never_cache
def metrics(request):
    if not metrics_allowed(request):
        return HttpResponseNotFound()
    connection.set_schema_to_public()
    shared = CollectorRegistry()
    shared.register(_QueueCollector())
    body = _request_metrics() + generate_latest(shared)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)


_PATHS = {
    "/healthz": ("healthz", healthz),
    "/readyz": ("readyz", readyz),
    "/metrics": ("metrics", metrics),
}


class HealthMiddleware:
    """Answers the three paths before the tenant middleware (no domain lookup, any host)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        found = _PATHS.get(request.path_info.rstrip("/") or "/")
        if found is None or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        name, view = found
        request.metrics_view = name
        return view(request)
