"""docker-compose.yml and the configuration files it mounts, checked without a Docker engine (these
machines have none: the file has never been started here, see its header). The structure is read
with PyYAML; HAProxy's configuration is checked by HAProxy itself (`haproxy -c`, the Debian
package `make test` installs); `docker compose config` runs where a docker CLI exists."""

from __future__ import annotations

import configparser
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.tools import missing_tool

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
APP = ("migrate", "web1", "web2", "worker", "scheduler")


def env(service: str) -> dict[str, str]:
    return {k: str(v) for k, v in SERVICES[service].get("environment", {}).items()}


def test_the_services_of_the_production_shape():
    assert {
        "proxy",
        "balancer",
        "web1",
        "web2",
        "worker",
        "scheduler",
        "migrate",
        "pgbouncer",
        "db",
        "es1",
        "es2",
        "es3",
        "mailpit",
    } <= set(SERVICES)
    assert SERVICES["worker"]["deploy"]["replicas"] == 2
    assert SERVICES["scheduler"]["deploy"]["replicas"] == 2
    # Only the Citus services are in a profile: a plain `up` never starts them.
    profiled = {name for name, s in SERVICES.items() if "profiles" in s}
    assert profiled == {"citus-coordinator", "citus-worker1", "citus-worker2"}
    assert all(SERVICES[name]["profiles"] == ["citus"] for name in profiled)
    assert "citus.enable_schema_based_sharding=on" in SERVICES["citus-coordinator"]["command"]


def test_references_resolve():
    volumes = set(COMPOSE["volumes"])
    for name, service in SERVICES.items():
        for dependency in service.get("depends_on", {}):
            assert dependency in SERVICES, f"{name} depends on unknown {dependency}"
        for mount in service.get("volumes", []):
            source = mount.split(":")[0]
            if source.startswith("./"):
                assert (ROOT / source).exists(), f"{name} mounts missing {source}"
            else:
                assert source in volumes, f"{name} uses undeclared volume {source}"
        build = service.get("build")
        if isinstance(build, dict):
            assert (ROOT / build["context"] / build.get("dockerfile", "Dockerfile")).is_file()
    # Each named volume is used (a leftover would hold data nobody reads).
    used = {m.split(":")[0] for s in SERVICES.values() for m in s.get("volumes", [])}
    assert volumes <= used


def test_applications_go_through_the_pooler_and_migrations_do_not():
    for service in ("web1", "web2", "worker", "scheduler"):
        variables = env(service)
        assert "@pgbouncer:6432/" in variables["DATABASE_URL"], service
        assert variables["JEJARING_DB_POOLER"] == "transaction", service
        # Session locks (core/task_recovery.py) need a session: straight to PostgreSQL.
        assert "@db:5432/" in variables["JEJARING_TASK_LOCK_DATABASE_URL"], service
    migrate = env("migrate")
    assert "@db:5432/" in migrate["DATABASE_URL"]
    assert migrate["JEJARING_DB_POOLER"] == ""
    assert migrate["JEJARING_SETUP"] == "1"
    for service in ("web1", "web2", "worker", "scheduler"):
        assert env(service)["JEJARING_SETUP"] == "0"
        assert SERVICES[service]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }


def test_web_replicas_behind_haproxy_with_health_checks_and_redispatch():
    for web in ("web1", "web2"):
        command = SERVICES[web]["command"]
        assert command[command.index("--config") + 1] == "docker/gunicorn.conf.py"
        assert env(web)["PROMETHEUS_MULTIPROC_DIR"] in SERVICES[web]["tmpfs"]
        assert "/readyz" in " ".join(SERVICES[web]["healthcheck"]["test"])
    balancer = env("balancer")
    assert balancer["JEJARING_WEB1"] == "web1:8000"
    assert balancer["JEJARING_WEB2"] == "web2:8000"
    assert (
        "./docker/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro"
        in (SERVICES["balancer"]["volumes"])
    )
    cfg = (ROOT / "docker" / "haproxy.cfg").read_text()
    for line in (
        "option redispatch",
        "retries 3",
        "http-check send meth GET uri /readyz",
        'server web1 "${JEJARING_WEB1}"',
        'server web2 "${JEJARING_WEB2}"',
        "http-request deny deny_status 404 if { path -m beg /metrics }",
        "option forwardfor",
    ):
        assert line in cfg, line
    caddy = (ROOT / "docker" / "Caddyfile").read_text()
    assert re.search(r"reverse_proxy balancer:8000\b", caddy)


def test_pgbouncer_in_transaction_mode_everywhere():
    ini = configparser.ConfigParser(delimiters=("=",), comment_prefixes=(";", "#"))
    ini.read(ROOT / "docker" / "pgbouncer.ini")
    assert ini["pgbouncer"]["pool_mode"] == "transaction"
    assert ini["databases"]["jejaring"].startswith("host=db port=5432")
    assert "timezone=UTC" in ini["databases"]["jejaring"]
    script = (ROOT / "scripts" / "pgbouncer.sh").read_text()
    assert "pool_mode = transaction" in script
    assert "timezone=UTC" in script


def test_elasticsearch_is_a_three_node_cluster():
    nodes = ["es1", "es2", "es3"]
    for node in nodes:
        variables = env(node)
        assert variables["node.name"] == node
        assert variables["cluster.name"] == "jejaring"
        assert variables["cluster.initial_master_nodes"] == ",".join(nodes)
        assert sorted(variables["discovery.seed_hosts"].split(",")) == [
            n for n in nodes if n != node
        ]
        assert "discovery.type" not in variables
    assert len({SERVICES[n]["volumes"][0] for n in nodes}) == 3
    assert env("web1")["ELASTICSEARCH_URL"].startswith("http://es1:9200")


def test_haproxy_accepts_its_configuration():
    haproxy = shutil.which("haproxy") or (
        "/usr/sbin/haproxy" if os.path.exists("/usr/sbin/haproxy") else None
    )
    if haproxy is None:
        missing_tool("HAProxy", "sudo apt-get install haproxy")
    result = subprocess.run(  # noqa: S603 (the Debian package's binary)
        [haproxy, "-c", "-f", str(ROOT / "docker" / "haproxy.cfg")],
        env={
            **os.environ,
            "JEJARING_LISTEN": "127.0.0.1:18000",
            "JEJARING_WEB1": "127.0.0.1:18001",
            "JEJARING_WEB2": "127.0.0.1:18002",
            "JEJARING_STATS": "127.0.0.1:18404",
        },
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_docker_compose_config_where_a_docker_cli_exists():
    """Docker's own validation. No docker CLI on these machines: then this says so (the checks
    above still ran)."""
    docker = shutil.which("docker")
    has_compose = docker is not None and (
        subprocess.run(  # noqa: S603
            [docker, "compose", "version"], capture_output=True, timeout=30
        ).returncode
        == 0
    )
    if not has_compose:
        pytest.skip(
            "No docker CLI with the compose plugin here: `docker compose config` not run "
            "(the structure was checked above)."
        )
    result = subprocess.run(  # noqa: S603
        [
            docker,
            "compose",
            "-f",
            str(ROOT / "docker-compose.yml"),
            "--profile",
            "citus",
            "config",
            "--quiet",
        ],
        env={
            **os.environ,
            "DJANGO_SECRET_KEY": "x" * 50,
            "POSTGRES_PASSWORD": "p",
            "JEJARING_DB_PASSWORD": "q",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
