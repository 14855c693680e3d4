"""Double booking with two real, concurrent transactions: two people of the region accept two
requests for the same slot at the same moment. Each locks only its own meeting, so nothing in
the code serialises them: the database's partial unique constraint does, and the one who
commits second is told the slot is taken."""

from __future__ import annotations

import threading
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from marketplace.models import Listing
from missions import actions, notifications
from missions.errors import MissionError
from missions.models import Enrolment, Meeting, MeetingStatus, Mission, Slot
from missions.tests.conftest import at, schemaless_region
from tenants.models import Membership, Role, Tenant
from tenants.tests.test_concurrency import _wait_until_blocked


def test_two_answers_at_once_book_the_slot_once(
    committed_platform, member, user_factory, monkeypatch
):
    malang = Tenant.objects.get(region_id="35.73")
    jatim = schemaless_region("35")
    first_day = timezone.localdate() + timedelta(days=10)
    mission = Mission.objects.create(
        organiser=jatim, title="Misi", destination="Tarakan", starts_on=first_day, ends_on=first_day
    )
    slot = Slot.objects.create(
        mission=mission, starts_at=at(first_day, 9), ends_at=at(first_day, 10)
    )
    listing = Listing.objects.create(
        tenant=malang,
        kind="product",
        title="Tempe",
        description="Tempe.",
        sector="C",
        urusan="3.31",
        contact_name="Lurah",
        contact_phone="1",
        status="published",
        valid_until=first_day + timedelta(days=30),
    )
    Enrolment.objects.create(mission=mission, listing=listing, tenant=malang)
    meetings = [
        Meeting.objects.create(
            mission=mission,
            slot=slot,
            requested_slot=slot,
            tenant=malang,
            listing=listing,
            requester=buyer,
            requester_email=buyer.email,
            message="Tempe",
        )
        for buyer in (user_factory(), user_factory())
    ]
    answerers = [
        Membership.objects.select_related("tenant__region", "area", "user").get(
            user=member(malang, Role.ADMIN)
        )
        for _ in range(2)
    ]

    saved, release = threading.Event(), threading.Event()
    original = notifications.meeting_answered

    def slow_mail(meeting):
        original(meeting)
        if threading.current_thread().name == "first":
            saved.set()
            release.wait(15)  # keep the first transaction open, its booking not yet committed

    monkeypatch.setattr(notifications, "meeting_answered", slow_mail)
    outcomes: dict[str, str] = {}
    pids: dict[str, int] = {}
    second_connected = threading.Event()

    def accept(name, membership, meeting):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pids[name] = cursor.fetchone()[0]
        if name == "second":
            second_connected.set()
        try:
            actions.accept_meeting(membership=membership, meeting=meeting)
            outcomes[name] = "accepted"
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test reads
            codes = {e.code for errors in getattr(exc, "error_dict", {}).values() for e in errors}
            outcomes[name] = ",".join(sorted(codes)) or repr(exc)
        finally:
            connection.close()

    first = threading.Thread(target=accept, args=("first", answerers[0], meetings[0]), name="first")
    second = threading.Thread(
        target=accept, args=("second", answerers[1], meetings[1]), name="second"
    )
    first.start()
    assert saved.wait(10)
    second.start()
    assert second_connected.wait(10)
    # The second waits on the first's uncommitted entry in the unique index.
    blocked = _wait_until_blocked(pids["second"], by=pids["first"])
    release.set()
    first.join(10)
    second.join(10)

    assert blocked, "the second booking never waited for the first one"
    assert outcomes == {"first": "accepted", "second": MissionError.DOUBLE_BOOKED}
    assert [m.status for m in Meeting.objects.order_by("pk")] == [
        MeetingStatus.ACCEPTED,
        MeetingStatus.REQUESTED,
    ]
