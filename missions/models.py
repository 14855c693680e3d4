"""Trade missions (misi dagang), in the public schema: a province's mission, the listings its
regions enrol in it, its time slots and the meetings requested in them.

A mission is read across regions (its catalogue is public, buyers and partner regions of any
province request meetings) and its records point at listings, regions and accounts, which all
live in the public schema; no region's workspace is involved (docs/architecture.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MissionQuerySet(models.QuerySet):
    def live(self):
        """Missions of provinces that are not being deleted."""
        return self.exclude(organiser__status="pending_deletion")


class Mission(models.Model):
    """A trade mission organised by a province's cooperation office (the province's tenant):
    to a destination, on dates, on a theme. East Java runs one every year for all its regions."""

    organiser = models.ForeignKey(
        "tenants.Tenant",
        on_delete=models.CASCADE,
        related_name="missions",
        verbose_name=_("organising province"),
    )
    title = models.CharField(_("title"), max_length=160)
    destination = models.CharField(_("destination"), max_length=160)
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = MissionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("trade mission")
        verbose_name_plural = _("trade missions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="mission_dates_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_over(self) -> bool:
        return self.ends_on < timezone.localdate()


class SlotQuerySet(models.QuerySet):
    def current(self):
        """The slots on the mission's programme (not removed by the organiser)."""
        return self.filter(removed_at__isnull=True)


class Slot(models.Model):
    """A time in which the mission's regions meet buyers and partners (within its dates).

    A slot the organiser removes is deleted when no meeting was ever asked in it; otherwise it
    stays, marked removed, so the meetings cancelled with it still say when they were to be
    (missions.actions.remove_slot)."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=160, blank=True)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)

    objects = SlotQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="mission_slot_ordered"
            ),
            # A removed slot's time may be given to a new slot.
            models.UniqueConstraint(
                fields=["mission", "starts_at"],
                condition=Q(removed_at__isnull=True),
                name="mission_slot_once",
            ),
        ]

    def __str__(self) -> str:
        start = timezone.localtime(self.starts_at)
        end = timezone.localtime(self.ends_at)
        return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"


class Enrolment(models.Model):
    """A published listing of a region of the province, in the mission's catalogue. `tenant` is
    the listing's region (kept here so a catalogue and an agenda filter by region directly)."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="enrolments")
    listing = models.ForeignKey(
        "marketplace.Listing", on_delete=models.CASCADE, related_name="mission_enrolments"
    )
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    enrolled_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["tenant__name", "listing__title", "id"]
        constraints = [
            models.UniqueConstraint(fields=["mission", "listing"], name="mission_listing_once")
        ]
        indexes = [models.Index(fields=["mission", "tenant"], name="enrolment_mission_region")]

    def __str__(self) -> str:
        return f"{self.mission_id}: {self.listing_id}"


class MeetingStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    RESCHEDULED = "rescheduled", _("Rescheduled")
    CANCELLED = "cancelled", _("Cancelled")


class CancelledBy(models.TextChoices):
    """Who called a meeting off: the side that asked for it, or the organiser, by removing
    its slot from the programme. (The region asked calls a meeting off by declining it.)"""

    REQUESTER = "requester", _("the requester")
    ORGANISER = "organiser", _("the organiser")


# A meeting holds its slot once accepted, or once the region moved it to another slot (which it
# chose free); a request holds the requester's own time too, so they cannot be in two places.
BOOKED = (MeetingStatus.ACCEPTED, MeetingStatus.RESCHEDULED)
HOLDS_REQUESTER = (MeetingStatus.REQUESTED, *BOOKED)
# A request or meeting still on: the requester may cancel it, removing its slot cancels it.
LIVE = HOLDS_REQUESTER


class Meeting(models.Model):
    """A request, by a member of another region (for that region) or a third party, to meet an
    enrolled region in one of the mission's slots, and the region's answer."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="meetings")
    # RESTRICT, not PROTECT: a slot with meetings is never deleted alone, but a mission deleted
    # (its province purged) takes its slots and meetings together.
    slot = models.ForeignKey(Slot, on_delete=models.RESTRICT, related_name="meetings")
    # The enrolled region asked to meet, and the enrolled listing the request is about.
    tenant = models.ForeignKey(
        "tenants.Tenant", on_delete=models.CASCADE, related_name="mission_meetings"
    )
    listing = models.ForeignKey(
        "marketplace.Listing", on_delete=models.CASCADE, related_name="mission_meetings"
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requester_email = models.EmailField()
    requester_tenant = models.ForeignKey(
        "tenants.Tenant", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    organisation = models.CharField(_("organisation"), max_length=160, blank=True)
    message = models.TextField(_("message"), max_length=2000)
    status = models.CharField(
        max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.REQUESTED
    )
    requested_slot = models.ForeignKey(
        Slot, on_delete=models.RESTRICT, related_name="+", verbose_name=_("slot asked for")
    )
    answer = models.TextField(_("answer"), max_length=2000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    cancelled_as = models.CharField(max_length=16, choices=CancelledBy.choices, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_note = models.TextField(_("why it was cancelled"), max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["slot__starts_at", "id"]
        constraints = [
            # No double booking: a region meets one party per slot.
            models.UniqueConstraint(
                fields=["tenant", "slot"],
                condition=Q(status__in=BOOKED),
                name="meeting_region_slot_booked_once",
            ),
            models.UniqueConstraint(
                fields=["requester", "slot"],
                condition=Q(status__in=HOLDS_REQUESTER),
                name="meeting_requester_slot_once",
            ),
        ]
        indexes = [models.Index(fields=["mission", "tenant"], name="meeting_mission_region")]

    def __str__(self) -> str:
        return f"{self.mission_id}: {self.tenant_id} @ {self.slot_id}"

    @property
    def is_booked(self) -> bool:
        return self.status in BOOKED

    @property
    def is_live(self) -> bool:
        return self.status in LIVE

    @property
    def requester_label(self) -> str:
        """Who asked, as the region sees it: their region, or their organisation."""
        if self.requester_tenant_id is not None:
            return self.requester_tenant.name
        return self.organisation or self.requester_email
