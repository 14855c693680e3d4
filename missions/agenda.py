"""A region's agenda of a trade mission as an iCalendar file (RFC 5545, through `icalendar`):
one event per meeting the region holds (accepted or moved to another slot), in the mission's
slots, for the members who read the region's meetings. Requests still unanswered and declined
meetings are not on it."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .models import BOOKED, Meeting, Mission
from .notifications import meeting_link


def agenda_ics(*, mission: Mission, region_name: str, meetings) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Jejaring//Misi Dagang//ID")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{mission.title}: {region_name}")
    stamp = timezone.now()
    for meeting in meetings:
        if meeting.status not in BOOKED:
            continue
        calendar.add_component(_event(meeting, stamp))
    return calendar.to_ical()


def _event(meeting: Meeting, stamp) -> Event:
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@{settings.JEJARING_BASE_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("dtstart", meeting.slot.starts_at)
    event.add("dtend", meeting.slot.ends_at)
    event.add(
        "summary",
        _("Meeting with %(who)s: %(listing)s")
        % {"who": meeting.requester_label, "listing": meeting.listing.title},
    )
    if meeting.slot.place:
        event.add("location", meeting.slot.place)
    event.add("description", f"{meeting.message}\n\n{meeting_link(meeting)}")
    event.add("url", meeting_link(meeting))
    event.add("status", "CONFIRMED")
    return event
