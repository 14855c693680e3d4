"""The trade missions' e-mails, sent after the commit (core.mail). Addresses come from the
memberships and the meeting itself; nothing is sent to the person who acted."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from core.hosts import platform_url
from core.mail import send_templated_email_on_commit
from tenants.models import Membership, Role, Tenant

from .models import LIVE, CancelledBy, Enrolment, Meeting, Mission


def mission_link(mission: Mission) -> str:
    return platform_url(
        reverse("missions:detail", args=[mission.pk], urlconf=settings.PUBLIC_SCHEMA_URLCONF)
    )


def meeting_link(meeting: Meeting) -> str:
    return platform_url(
        reverse("missions:meeting", args=[meeting.pk], urlconf=settings.PUBLIC_SCHEMA_URLCONF)
    )


def _office_emails(tenants) -> list[str]:
    return sorted(
        set(
            Membership.objects.filter(tenant__in=tenants, role=Role.ADMIN).values_list(
                "user__email", flat=True
            )
        )
    )


def mission_created(mission: Mission) -> None:
    """The offices of the province's regions (and of the province) may enrol their listings."""
    province = mission.organiser.region_id
    tenants = Tenant.objects.live().filter(region__code__startswith=f"{province}.") | (
        Tenant.objects.filter(pk=mission.organiser_id)
    )
    recipients = [
        e for e in _office_emails(tenants) if e != getattr(mission.created_by, "email", "")
    ]
    if recipients:
        send_templated_email_on_commit(
            "missions/email/mission_created",
            {"mission": mission, "url": mission_link(mission)},
            recipients,
        )


def listing_enrolled(enrolment: Enrolment) -> None:
    """The organising office hears of each listing in its catalogue."""
    recipients = [
        e
        for e in _office_emails([enrolment.mission.organiser])
        if e != getattr(enrolment.enrolled_by, "email", "")
    ]
    if recipients:
        send_templated_email_on_commit(
            "missions/email/listing_enrolled",
            {
                "mission": enrolment.mission,
                "listing": enrolment.listing,
                "region": enrolment.tenant.name,
                "url": mission_link(enrolment.mission),
            },
            recipients,
        )


def _region_asked_emails(meeting: Meeting) -> set[str]:
    """The region asked: its office and the listing's publisher (while still a member)."""
    emails = set(_office_emails([meeting.tenant]))
    listing = meeting.listing
    if (
        listing.created_by_id is not None
        and Membership.objects.filter(
            tenant_id=listing.tenant_id, user_id=listing.created_by_id
        ).exists()
    ):
        emails.add(listing.created_by.email)
    return emails


def meeting_requested(meeting: Meeting) -> None:
    """The region asked: its office and the listing's publisher (while still a member)."""
    emails = _region_asked_emails(meeting)
    emails.discard(meeting.requester_email)
    if emails:
        send_templated_email_on_commit(
            "missions/email/meeting_requested",
            {"meeting": meeting, "url": meeting_link(meeting)},
            sorted(e for e in emails if e),
        )


def meeting_answered(meeting: Meeting) -> None:
    """The requester hears the answer: accepted, declined or moved to another slot."""
    send_templated_email_on_commit(
        "missions/email/meeting_answered",
        {"meeting": meeting, "url": meeting_link(meeting)},
        [meeting.requester_email],
    )


def mission_changed(mission: Mission, *, actor) -> None:
    """New dates or a new destination: the offices of the enrolled regions and everyone with a
    request or a meeting still on (they travel on those dates)."""
    emails = set(_office_emails(Tenant.objects.filter(pk__in=mission.enrolments.values("tenant"))))
    emails.update(
        mission.meetings.filter(status__in=LIVE).values_list("requester_email", flat=True)
    )
    emails.discard(getattr(actor, "email", ""))
    if emails:
        send_templated_email_on_commit(
            "missions/email/mission_changed",
            {"mission": mission, "url": mission_link(mission)},
            sorted(e for e in emails if e),
        )


def meeting_cancelled(meeting: Meeting, *, actor) -> None:
    """Both sides of a cancelled request or meeting hear of it, except whoever cancelled: the
    region asked (its office and the listing's publisher) and the requester."""
    emails = _region_asked_emails(meeting) | {meeting.requester_email}
    emails.discard(getattr(actor, "email", ""))
    if emails:
        send_templated_email_on_commit(
            "missions/email/meeting_cancelled",
            {
                "meeting": meeting,
                "by_organiser": meeting.cancelled_as == CancelledBy.ORGANISER,
                "url": meeting_link(meeting),
            },
            sorted(e for e in emails if e),
        )
