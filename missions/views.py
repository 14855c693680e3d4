"""The trade mission pages, on the platform (mounted at /misi-dagang/ by portal/urls_public.py):
the missions and each one's public catalogue; the province's office creates a mission and sets
its slots; the regions of the province enrol their listings; anyone signed in requests a
meeting; the region asked answers; each region's agenda as a calendar file. Views shape input
and output; missions/actions.py decides and writes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from core.form_actions import run, submit
from marketplace.inquiries import member_regions
from tenants.models import Membership, Tenant
from tenants.policy import can_act, membership_for, role_allows

from . import actions, agenda, selectors
from .forms import (
    AnswerForm,
    CancelForm,
    EnrolForm,
    MeetingRequestForm,
    MissionFields,
    MissionForm,
    RemoveSlotForm,
    RescheduleForm,
    SlotForm,
)
from .models import BOOKED, LIVE, MeetingStatus
from .policy import MissionPerm, can_answer_meeting, can_cancel_meeting, can_organise_missions


def _organising(user) -> list[Membership]:
    """The user's memberships in provinces whose missions they organise."""
    if not (user and user.is_authenticated):
        return []
    return [
        m
        for m in Membership.objects.filter(user=user).select_related("tenant__region")
        if can_organise_missions(m)
    ]


@require_GET
def mission_list(request):
    return render(
        request,
        "missions/list.html",
        {"missions": selectors.missions(), "may_organise": bool(_organising(request.user))},
    )


@login_required
def mission_create(request):
    memberships = _organising(request.user)
    if not memberships:
        raise PermissionDenied
    form = MissionForm(
        request.POST or None,
        memberships=memberships,
        initial={"organiser": memberships[0].pk},
    )
    submitted = submit(
        request,
        form,
        lambda data: actions.create_mission(
            membership=data["organiser"],
            title=data["title"],
            destination=data["destination"],
            theme=data["theme"],
            description=data["description"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
        ),
    )
    if submitted.done:
        messages.success(request, _("The mission was created. Now add its time slots."))
        return redirect("missions:detail", pk=submitted.result.pk)
    return render(request, "missions/create.html", {"form": form}, status=submitted.status)


@login_required
def mission_edit(request, pk: int):
    """The organising office changes its mission (missions.actions.update_mission)."""
    mission = selectors.get_mission(pk)
    managing = selectors.managing_membership(request.user, mission)
    if managing is None:
        raise PermissionDenied
    form = MissionFields(
        request.POST or None,
        initial={
            name: getattr(mission, name)
            for name in ("title", "destination", "theme", "description", "starts_on", "ends_on")
        },
    )
    submitted = submit(
        request,
        form,
        lambda data: actions.update_mission(membership=managing, mission=mission, **data),
    )
    if submitted.done:
        messages.success(request, _("The mission was saved."))
        return redirect("missions:detail", pk=mission.pk)
    return render(
        request, "missions/edit.html", {"mission": mission, "form": form}, status=submitted.status
    )


def _detail_page(request, mission, slot_form=None, status=200):
    user = request.user
    managing = selectors.managing_membership(user, mission)
    total, rows = selectors.outcomes(mission) if mission.is_over else (None, [])
    return render(
        request,
        "missions/detail.html",
        {
            "mission": mission,
            "catalogue": selectors.catalogue(mission),
            "slots": selectors.programme(mission)
            if managing
            else selectors.slots_with_booking(mission),
            "managing": managing is not None,
            "now": timezone.now(),
            "slot_form": slot_form or (SlotForm() if managing else None),
            "may_enrol": selectors.may_enrol(user, mission) and not mission.is_over,
            "overview": selectors.mission_overview(user, mission),
            "region_meetings": selectors.meetings_by_region(user, mission),
            "own_meetings": selectors.meetings_of(user, mission),
            "outcome_total": total,
            "outcome_rows": rows,
            "follow_up_days": selectors.FOLLOW_UP_DAYS,
        },
        status=status,
    )


@require_GET
def mission_detail(request, pk: int):
    return _detail_page(request, selectors.get_mission(pk))


@login_required
@require_POST
def slot_add(request, pk: int):
    mission = selectors.get_mission(pk)
    managing = selectors.managing_membership(request.user, mission)
    if managing is None:
        raise PermissionDenied
    form = SlotForm(request.POST)
    added = run(form, lambda data: actions.add_slot(membership=managing, mission=mission, **data))
    if not added.done:
        return _detail_page(request, mission, form, status=added.status)
    messages.success(request, _("The slot was added."))
    return redirect("missions:detail", pk=mission.pk)


@login_required
def slot_remove(request, pk: int, slot: int):
    """The organising office takes a slot off the programme, after seeing what it holds; with
    requests or meetings in it, only once it confirms they are cancelled (both sides told)."""
    mission = selectors.get_mission(pk)
    slot, managing = selectors.get_slot_to_manage(request.user, mission, slot)
    form = RemoveSlotForm(request.POST or None)
    submitted = submit(
        request,
        form,
        lambda data: actions.remove_slot(membership=managing, slot=slot, **data),
    )
    if submitted.done:
        cancelled = submitted.result
        messages.success(
            request,
            _("The slot was removed.")
            if not cancelled
            else ngettext(
                "The slot was removed and %(count)s request or meeting cancelled; both sides "
                "were told.",
                "The slot was removed and %(count)s requests or meetings cancelled; both sides "
                "were told.",
                cancelled,
            )
            % {"count": cancelled},
        )
        return redirect("missions:detail", pk=mission.pk)
    return render(
        request,
        "missions/slot_remove.html",
        {
            "mission": mission,
            "slot": slot,
            "form": form,
            "meetings": selectors.slot_meetings(slot),
        },
        status=submitted.status,
    )


@login_required
def enrol(request, pk: int):
    mission = selectors.get_mission(pk)
    if not selectors.may_enrol(request.user, mission):
        raise PermissionDenied
    listings = selectors.enrollable_listings(request.user, mission)
    form = EnrolForm(request.POST or None, listings=listings)
    submitted = submit(
        request,
        form,
        lambda data: actions.enrol_listing(
            membership=membership_for(request.user, data["listing"].tenant),
            mission=mission,
            listing=data["listing"],
        ),
    )
    if submitted.done:
        title = submitted.result.listing.title
        messages.success(
            request, _("“%(title)s” is in the mission's catalogue.") % {"title": title}
        )
        return redirect("missions:detail", pk=mission.pk)
    return render(
        request,
        "missions/enrol.html",
        {"mission": mission, "form": form, "listings": listings},
        status=submitted.status,
    )


@login_required
def meeting_request(request, pk: int):
    mission = selectors.get_mission(pk)
    if not can_act(request.user):
        messages.error(request, _("Verify your e-mail address before asking for a meeting."))
        return redirect("account_email")
    enrolments = list(selectors.catalogue(mission))
    chosen = request.POST.get("listing") or request.GET.get("listing")
    regions = []
    for enrolment in enrolments:
        if str(enrolment.listing_id) == chosen:
            regions = member_regions(request.user, enrolment.listing)
    if not regions and enrolments and not chosen:
        regions = member_regions(request.user, enrolments[0].listing)
    slots = [s for s in selectors.slots_with_booking(mission) if s.starts_at > timezone.now()]
    form = MeetingRequestForm(
        request.POST or None,
        enrolments=enrolments,
        slots=slots,
        regions=regions,
        initial={"listing": chosen},
    )
    submitted = submit(
        request,
        form,
        lambda data: actions.request_meeting(user=request.user, mission=mission, **data),
    )
    if submitted.done:
        meeting = submitted.result
        messages.success(
            request,
            _("Your request was sent to %(region)s. We will e-mail you their answer.")
            % {"region": meeting.tenant.name},
        )
        return redirect("missions:meeting", pk=meeting.pk)
    return render(
        request,
        "missions/request.html",
        {"mission": mission, "form": form, "has_catalogue": bool(enrolments)},
        status=submitted.status,
    )


@login_required
@require_GET
def my_meetings(request):
    """The requests the person made, and for each of their regions the requests made of it
    (to answer) and those it made of others (to follow)."""
    return render(
        request,
        "missions/my_meetings.html",
        {
            "meetings": selectors.meetings_of(request.user),
            "region_meetings": selectors.meetings_by_region(request.user),
            "back": request.get_full_path(),
        },
    )


def _may_cancel(user, meeting) -> bool:
    membership = (
        membership_for(user, meeting.requester_tenant) if meeting.requester_tenant_id else None
    )
    return can_cancel_meeting(user, meeting, membership)


def _meeting_page(request, meeting, membership, forms=None, status=200):
    forms = forms or {}
    can_answer = can_answer_meeting(membership, meeting)
    cancellable = (
        meeting.status in LIVE
        and meeting.slot.starts_at > timezone.now()
        and _may_cancel(request.user, meeting)
    )
    open_ = meeting.status == MeetingStatus.REQUESTED
    movable = open_ or meeting.status in BOOKED
    free = (
        [
            s
            for s in selectors.free_slots(meeting.mission, meeting.tenant)
            if s.pk != meeting.slot_id
        ]
        if can_answer and movable
        else []
    )
    return render(
        request,
        "missions/meeting.html",
        {
            "meeting": meeting,
            "mission": meeting.mission,
            "can_answer": can_answer,
            "accept_form": forms.get("accept") or AnswerForm(prefix="accept")
            if can_answer and open_
            else None,
            "decline_form": forms.get("decline") or AnswerForm(prefix="decline")
            if can_answer and movable
            else None,
            "move_form": forms.get("move") or RescheduleForm(prefix="move", slots=free)
            if can_answer and movable
            else None,
            "cancel_form": forms.get("cancel") or CancelForm(prefix="cancel")
            if cancellable
            else None,
        },
        status=status,
    )


@login_required
@require_GET
def meeting_detail(request, pk: int):
    meeting, membership = selectors.get_meeting_for(request.user, pk)
    return _meeting_page(request, meeting, membership)


def _answer(request, pk: int, name: str, form_class, act, done: str, **form_kwargs):
    meeting, membership = selectors.get_meeting_for(request.user, pk)
    if not can_answer_meeting(membership, meeting):
        raise PermissionDenied  # the requester and the TKKSD read the meeting; they do not answer
    if callable(form_kwargs.get("slots")):
        form_kwargs["slots"] = form_kwargs["slots"](meeting)
    form = form_class(request.POST, prefix=name, **form_kwargs)
    answered = run(form, lambda data: act(membership=membership, meeting=meeting, **data))
    if not answered.done:
        return _meeting_page(request, meeting, membership, {name: form}, status=answered.status)
    messages.success(request, done)
    return _back(request, meeting)


def _back(request, meeting):
    """To the page the form was on (the list of meetings answers from its rows), or the
    meeting's page."""
    back = request.POST.get("next", "")
    if back.startswith("/misi-dagang/") and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect("missions:meeting", pk=meeting.pk)


@login_required
@require_POST
def meeting_accept(request, pk: int):
    return _answer(
        request, pk, "accept", AnswerForm, actions.accept_meeting, _("The meeting was accepted.")
    )


@login_required
@require_POST
def meeting_decline(request, pk: int):
    return _answer(
        request, pk, "decline", AnswerForm, actions.decline_meeting, _("The meeting was declined.")
    )


@login_required
@require_POST
def meeting_reschedule(request, pk: int):
    return _answer(
        request,
        pk,
        "move",
        RescheduleForm,
        actions.reschedule_meeting,
        _("The meeting was moved to another slot."),
        slots=lambda meeting: selectors.free_slots(meeting.mission, meeting.tenant),
    )


@login_required
@require_POST
def meeting_cancel(request, pk: int):
    """The requester (or the office of the region they asked for) calls the meeting off."""
    meeting, membership = selectors.get_meeting_for(request.user, pk)
    if not _may_cancel(request.user, meeting):
        raise PermissionDenied  # the region asked declines; it does not cancel
    form = CancelForm(request.POST, prefix="cancel")
    cancelled = run(
        form, lambda data: actions.cancel_meeting(user=request.user, meeting=meeting, **data)
    )
    if not cancelled.done:
        return _meeting_page(
            request, meeting, membership, {"cancel": form}, status=cancelled.status
        )
    messages.success(
        request,
        _("The meeting was cancelled; %(region)s was told.") % {"region": meeting.tenant.name},
    )
    return _back(request, meeting)


@login_required
@require_GET
def region_agenda(request, pk: int, region: str):
    """The region's agenda of the mission as an .ics file, for the members who read its
    meetings; for anyone else the region's agenda does not exist."""
    mission = selectors.get_mission(pk)
    tenant = Tenant.objects.live().select_related("region").filter(region__slug=region).first()
    membership = membership_for(request.user, tenant) if tenant else None
    if membership is None or not can_act(request.user):
        raise Http404
    if not role_allows(membership.role, MissionPerm.VIEW_MEETINGS):
        raise PermissionDenied
    content = agenda.agenda_ics(
        mission=mission,
        region_name=tenant.name,
        meetings=selectors.region_meetings(membership, mission),
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="misi-dagang-{mission.pk}-{tenant.region.slug}.ics"'
    )
    return response
