"""What an operator sees of a running server: a request id on every log line, JSON log lines with
the region, and Prometheus metrics of the requests.

- `RequestIdMiddleware` (outermost): takes the proxy's `X-Request-ID` when it is a sane token
  (HAProxy makes one per request, docker/haproxy.cfg) or makes one, returns it in the response,
  counts the request and its latency per view (Prometheus), and writes one access line
  (logger `jejaring.access`, when JEJARING_ACCESS_LOG is on).
- `ContextFilter` puts `request_id` and `region` (the database schema in use: `public` on the
  platform, `kota_malang` on Kota Malang's subdomain) on every log record of the process, and
  `JsonFormatter` writes each record as one JSON line (LOG_FORMAT=json, portal/settings).
- Metrics live in prometheus_client's default registry; with several gunicorn workers,
  PROMETHEUS_MULTIPROC_DIR makes them add up across the workers (docker/gunicorn.conf.py).
  `/metrics` itself (portal/health.py) is for loopback or a bearer token only.
"""

from __future__ import annotations

import contextvars
import hmac
import ipaddress
import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime

from django.conf import settings
from django.core.signals import request_finished
from django.dispatch import receiver
from prometheus_client import Counter, Histogram

REQUEST_ID_HEADER = "X-Request-ID"
_SANE_ID = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")
request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

access_log = logging.getLogger("jejaring.access")

REQUESTS = Counter(
    "jejaring_http_requests",
    "HTTP requests answered, by view, method and status code.",
    ["view", "method", "status"],
)
LATENCY = Histogram(
    "jejaring_http_request_duration_seconds",
    "Time from the request reaching Django to its response, by view.",
    ["view"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)


def current_request_id() -> str:
    return request_id_var.get()


def _view_name(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        # 404s and answers given before URL resolution (redirects, health checks): one label,
        # so unknown paths never multiply the metric's series.
        return getattr(request, "metrics_view", "<unresolved>")
    return match.view_name or match._func_path


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _SANE_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        # Kept until the response is closed (request_finished below): Django logs a 4xx or 5xx
        # (`django.request`) after the middleware has returned.
        request_id_var.set(request_id)
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - started
        response[REQUEST_ID_HEADER] = request_id
        view = _view_name(request)
        REQUESTS.labels(view, request.method, str(response.status_code)).inc()
        LATENCY.labels(view).observe(elapsed)
        if access_log.isEnabledFor(logging.INFO):
            access_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "view": view,
                    "duration_ms": round(elapsed * 1000, 1),
                    # As sent (get_host() would raise for a host not allowed).
                    "host": request.META.get("HTTP_HOST", "")[:255],
                },
            )
        return response


@receiver(request_finished)
def _forget_request_id(**kwargs):
    request_id_var.set("-")


def _region() -> str:
    try:
        from django.db import connection

        return getattr(connection, "schema_name", None) or "-"
    except Exception:  # noqa: BLE001 (a log line is never lost to its context)
        return "-"


class ContextFilter(logging.Filter):
    """Adds `request_id` and `region` to every record (handlers of portal/settings' LOGGING)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        if not hasattr(record, "region"):
            record.region = _region()
        return True


_EXTRA_FIELDS = ("method", "path", "status", "view", "duration_ms", "host")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, request_id, region, and the
    access line's fields; an exception's traceback as one string field."""

    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
            "region": getattr(record, "region", "-"),
        }
        for name in _EXTRA_FIELDS:
            if hasattr(record, name):
                data[name] = getattr(record, name)
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    def __init__(self):
        super().__init__(
            "%(asctime)s %(levelname)s %(name)s [%(request_id)s %(region)s] %(message)s"
        )


def metrics_allowed(request) -> bool:
    """`/metrics` is never public: a bearer token equal to JEJARING_METRICS_TOKEN, or a request
    from this machine that no proxy forwarded (a proxy on the same machine connects from
    loopback too, and adds X-Forwarded-For: docker/haproxy.cfg also refuses the path)."""
    token = getattr(settings, "JEJARING_METRICS_TOKEN", "")
    given = request.headers.get("Authorization", "")
    if token and given.startswith("Bearer "):
        return hmac.compare_digest(given[7:].encode(), token.encode())
    if "X-Forwarded-For" in request.headers or "Forwarded" in request.headers:
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False
