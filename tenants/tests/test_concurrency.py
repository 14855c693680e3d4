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
            release.wait(5)  # hold the transaction open while the second one starts

    monkeypatch.setattr(members, "_ensure_another_admin", slow_check)
    outcomes: dict[str, str] = {}

    def demote(name, target, actor):
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
    assert first_checked.wait(5)
    second.start()
    time.sleep(0.5)  # the second transaction is now waiting for the first one's lock
    release.set()
    first.join(10)
    second.join(10)

    assert outcomes == {"first": "changed", "second": "last_admin"}
    assert Membership.objects.filter(tenant=malang, role=Role.ADMIN).count() == 1
