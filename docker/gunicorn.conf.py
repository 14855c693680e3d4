"""gunicorn settings shared by `make cluster` (scripts/cluster.sh) and the image (Dockerfile).

The command line still gives the address and the number of workers. What lives here:
- Prometheus' multiprocess mode: with PROMETHEUS_MULTIPROC_DIR set (an empty folder per server,
  emptied before it starts), each worker writes its counters there and /metrics adds them up
  (portal/health.py); a worker that exits is marked dead so its gauges leave the sum.
- Request lines up to 8190 bytes (gunicorn's largest; scripts/serve.sh says why).
- No access log of gunicorn's own: the app writes one JSON line per request with the request id
  and the region when JEJARING_ACCESS_LOG is on (core/observability.py).
"""

import os

limit_request_line = 8190
graceful_timeout = 10
# The proxy's health check and keep-alive connections: answer within HAProxy's `timeout server`.
timeout = 60
accesslog = None
errorlog = "-"


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
