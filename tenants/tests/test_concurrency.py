"""Races that only show with two real, concurrent transactions."""

import threading
import time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from tenants import members
from tenants.models import Membership, Role, Tenant


def test_two_admins_demoting_each_other_leave_one_admin(committed_platform, member, monkeypatch):
    malang = Tenant.objects.get(region_id="35.73")
    a, b = member(malang, Role.ADMIN), member(malang, Role.ADMIN)
    membership_a = Membership.objects.get(user=a)
    membership_b = Membership.objects.get(user=b)

    first_checked, release = threading.Event(), threading.Event()
    original_check = members._ensure_another_admin

    def slow_check(membership):
        original_check(membership)
        if threading.current_thread().name == "first":
            first_checked.set()
            release.wait(15)  # hold the transaction open until the second one waits for it

    monkeypatch.setattr(members, "_ensure_another_admin", slow_check)
    outcomes: dict[str, str] = {}
    backend_pids: dict[str, int] = {}
    second_connected = threading.Event()

    def demote(name, target, actor):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend_pids[name] = cursor.fetchone()[0]
        if name == "second":
            second_connected.set()
        try:
            members.change_member_role(membership=target, role=Role.VIEWER, acting_user=actor)
            outcomes[name] = "changed"
        except (ValidationError, PermissionDenied) as exc:
            outcomes[name] = getattr(exc, "code", None) or "denied"
        finally:
            connection.close()

    first = threading.Thread(target=demote, args=("first", membership_b, a), name="first")
    second = threading.Thread(target=demote, args=("second", membership_a, b), name="second")
    first.start()
    assert first_checked.wait(10)
    second.start()
    assert second_connected.wait(10)
    # Release the first transaction only once the second one is blocked by it (PostgreSQL says
    # so), not after a guessed delay: on a loaded machine the second may not have started yet.
    # Without the per-region lock the second never blocks, and this fails.
    blocked = _wait_until_blocked(backend_pids["second"], by=backend_pids["first"])
    release.set()
    first.join(10)
    second.join(10)

    assert blocked, "the second demotion never waited for the first one's lock"
    assert outcomes == {"first": "changed", "second": "last_admin"}
    assert Membership.objects.filter(tenant=malang, role=Role.ADMIN).count() == 1


def _wait_until_blocked(pid: int, *, by: int, timeout: float = 10.0) -> bool:
    """Poll (from this thread's own connection) until backend `pid` waits for a lock held by
    backend `by`."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT %s = ANY(pg_blocking_pids(%s))", [by, pid])
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.01)
    return False
