"""HTTP throughput: the platform served the way `make run` serves it (gunicorn, the same worker
count, DEBUG off, persistent database connections) on a free loopback port, loaded by `wrk` with
8 concurrent connections, beside a bare Django "hello" view (bench/hello.py) under gunicorn with
the same workers, measured in the same run.

Pages: the platform's home page, a region's public page (Wagtail RegionPage /kota-malang/), the
region API (/api/wilayah/35.73/), and a signed-in workspace page (Kota Malang's dashboard on
kota-malang.localhost, with the session cookie of the demo lurah, who needs no second factor).
Needs the demo data (`make bench` loads it). `wrk` is installed from Debian when missing (as root).

Environment: BENCH_HTTP_SECONDS (per page, default 10), BENCH_HTTP_CONNECTIONS (default 8),
WORKERS (default 2 x CPUs + 1, as `make run`).
Prints one JSON object on its last line: requests per second and p95 latency in ms per page.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
DEMO_MEMBER = "lurah.purwantoro@jejaring.test"

# wrk prints the figures this bench reports (p95 is not among its own --latency percentiles).
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format(
    "BENCH {\\"requests\\": %d, \\"duration_us\\": %d, \\"p95_us\\": %d, \\"non_2xx_3xx\\": %d, "
    .. "\\"socket_errors\\": %d}\\n",
    summary.requests, summary.duration, latency:percentile(95), summary.errors.status, errors))
end
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0:
        raise SystemExit("wrk is missing: sudo apt-get install wrk")
    print("Installing wrk (Debian package)...", file=sys.stderr, flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)  # noqa: S607
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env)  # noqa: S607
    return shutil.which("wrk") or "wrk"


def _serve(app: str, port: int, workers: int, env: dict) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603
        [
            str(GUNICORN),
            app,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            "--no-control-socket",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )


def _get(port: int, path: str, host: str, cookie: str = "") -> tuple[int, str]:
    headers = {"Host": host, **({"Cookie": cookie} if cookie else {})}
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)  # noqa: S310

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


def _wait_ready(port: int, host: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn on port {port} exited with {process.returncode}")
        try:
            _get(port, "/", host)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn on port {port} did not answer within 90 s")


def _wrk(
    wrk: str,
    script: str,
    port: int,
    path: str,
    host: str,
    cookie: str,
    seconds: int,
    connections: int,
) -> dict:
    command = [
        wrk,
        "-t",
        "2",
        "-c",
        str(connections),
        "-d",
        f"{seconds}s",
        "-s",
        script,
        "-H",
        f"Host: {host}",
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    url = f"http://127.0.0.1:{port}{path}"
    # A short warm-up (each worker's first requests fill its caches and open its connection).
    subprocess.run([*command[:6], "2s", *command[7:], url], check=True, capture_output=True)  # noqa: S603
    out = subprocess.run([*command, url], check=True, capture_output=True, text=True).stdout  # noqa: S603
    figures = json.loads(next(line[6:] for line in out.splitlines() if line.startswith("BENCH ")))
    if figures["non_2xx_3xx"] or figures["socket_errors"]:
        raise SystemExit(f"{host}{path}: errors under load: {figures}")
    return {
        "req_s": round(figures["requests"] / (figures["duration_us"] / 1e6), 1),
        "p95_ms": round(figures["p95_us"] / 1000, 2),
    }


def _session_cookie(email: str) -> tuple[str, str]:
    from django.conf import settings
    from django.test import Client

    from accounts.models import User

    user = User.objects.filter(email=email).first()
    if user is None:
        raise SystemExit(f"Demo account {email} is missing: load the demo data (make demo).")
    client = Client()
    client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[0])
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    return key, f"{settings.SESSION_COOKIE_NAME}={key}"


def main() -> None:
    from django.conf import settings
    from django.contrib.sessions.models import Session

    seconds = int(os.environ.get("BENCH_HTTP_SECONDS", "10"))
    connections = int(os.environ.get("BENCH_HTTP_CONNECTIONS", "8"))
    workers = int(os.environ.get("WORKERS") or (os.cpu_count() or 1) * 2 + 1)
    wrk = _ensure_wrk()
    base = settings.JEJARING_BASE_DOMAIN
    session_key, cookie = _session_cookie(DEMO_MEMBER)

    app_port, hello_port = _free_port(), _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_DEBUG": "false",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "JEJARING_PORT": str(app_port),
    }
    hello_env = {k: v for k, v in env.items() if k != "DJANGO_SETTINGS_MODULE"}
    platform = f"{base}:{app_port}"
    region = f"kota-malang.{base}:{app_port}"
    pages = [
        ("home", app_port, "/", platform, ""),
        ("region_page", app_port, "/kota-malang/", platform, ""),
        ("region_api", app_port, "/api/wilayah/35.73/", platform, ""),
        ("workspace", app_port, "/", region, cookie),
        ("hello", hello_port, "/", f"localhost:{hello_port}", ""),
    ]
    servers = [
        _serve("portal.wsgi:application", app_port, workers, env),
        _serve("bench.hello:application", hello_port, workers, hello_env),
    ]
    results: dict[str, float] = {
        "gunicorn_workers": workers,
        "wrk_connections": connections,
        "seconds_per_page": seconds,
    }
    try:
        _wait_ready(app_port, platform, servers[0])
        _wait_ready(hello_port, f"localhost:{hello_port}", servers[1])
        # Each page answers 200 with the right content before it is measured.
        expected = {
            "home": "Jejaring",
            "region_page": "Malang",
            "region_api": "35.73",
            "workspace": "Kota Malang",
            "hello": "hello",
        }
        for name, port, path, host, page_cookie in pages:
            status, body = _get(port, path, host, page_cookie)
            if status != 200 or expected[name] not in body:
                raise SystemExit(f"{name}: {host}{path} answered {status}, not the page expected")
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_SCRIPT)
        for name, port, path, host, page_cookie in pages:
            figures = _wrk(wrk, script.name, port, path, host, page_cookie, seconds, connections)
            print(
                f"{name:12} {host}{path}: {figures['req_s']} req/s, p95 {figures['p95_ms']} ms",
                flush=True,
            )
            results[f"{name}_req_s"] = figures["req_s"]
            results[f"{name}_p95_ms"] = figures["p95_ms"]
        # Persistent connections keep the right schema: after the load, a region's page still
        # answers as that region, the platform as the platform.
        for _ in range(20):
            assert "Kota Malang" in _get(app_port, "/", region, cookie)[1]
            assert _get(app_port, "/api/wilayah/35.73/", platform)[0] == 200
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
        for server in servers:
            server.wait(timeout=30)
        Session.objects.filter(session_key=session_key).delete()
        if "script" in locals():
            os.unlink(script.name)
    print(json.dumps(results))
