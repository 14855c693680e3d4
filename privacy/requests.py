"""The person's requests (erasure, correction, restriction) and platform staff's answers, each
within 3 × 24 hours of the request (UU 27/2022), with one reminder to staff before the time runs
out. A copy (access) is answered by the worker (privacy/exports.py)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actions import top_level
from core.errors import Conflict, Forbidden
from core.hosts import platform_url
from core.mail import send_templated_email_on_commit
from tenants import audit

from . import erasure
from .errors import ErrorCode
from .models import DataRequest, RequestKind, RequestState
from .policy import can_handle_requests

STAFF_KINDS = (RequestKind.ERASURE, RequestKind.CORRECTION, RequestKind.RESTRICTION)


def _link(name: str, *args) -> str:
    from django.urls import reverse

    return platform_url(reverse(name, args=args, urlconf=settings.PUBLIC_SCHEMA_URLCONF))


@top_level
def make_request(*, user, kind: str, details: str = "") -> DataRequest:
    """Erasure, correction or restriction: recorded, due in 72 hours, staff e-mailed."""
    if kind not in STAFF_KINDS:
        raise Conflict(_("This kind of request is made elsewhere."), code=ErrorCode.WRONG_KIND)
    if DataRequest.objects.filter(user=user, kind=kind, state=RequestState.OPEN).exists():
        raise Conflict(
            _("You already have a request of this kind being handled."),
            code=ErrorCode.REQUEST_OPEN,
        )
    request = DataRequest.objects.create(user=user, kind=kind, details=details.strip())
    audit.record(
        "privacy.request_made",
        actor=user,
        obj=request,
        data={"request": request.pk, "kind": request.kind},
    )
    staff = _staff_addresses()
    if staff:
        send_templated_email_on_commit(
            "privacy/email/request_made",
            {"request": request, "url": _link("privacy:staff_detail", request.pk)},
            staff,
        )
    return request


@top_level
def correct_name(*, user, full_name: str):
    """The person corrects their own name at once (the right of correction needs no staff for
    what the person may state themselves); the e-mail address changes through allauth's
    confirmed flow, anything else by a correction request."""
    user.full_name = " ".join(full_name.split())
    user.save(update_fields=["full_name"])
    audit.record("privacy.name_corrected", actor=user, obj=user, data={})
    return user


@top_level
def withdraw(*, user, request_id: int) -> DataRequest:
    request = _own_open(user, request_id)
    request.state = RequestState.WITHDRAWN
    request.handled_at = timezone.now()
    request.save(update_fields=["state", "handled_at"])
    audit.record("privacy.request_withdrawn", actor=user, obj=request, data={"request": request.pk})
    return request


def _own_open(user, request_id: int) -> DataRequest:
    from core.errors import NotFound

    request = DataRequest.objects.select_for_update().filter(pk=request_id, user=user).first()
    if request is None:
        raise NotFound(_("This request does not exist."))
    if not request.is_open:
        raise Conflict(_("This request is no longer open."), code=ErrorCode.REQUEST_CLOSED)
    return request


def _locked_open(request_id: int) -> DataRequest:
    from core.errors import NotFound

    request = (
        DataRequest.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        raise NotFound(_("This request does not exist."))
    if not request.is_open:
        raise Conflict(
            _("This request was already answered (%(state)s).")
            % {"state": request.get_state_display()},
            code=ErrorCode.REQUEST_CLOSED,
        )
    return request


@top_level
def complete(*, acting_user, request_id: int, outcome: str = "") -> DataRequest:
    """Staff complete a request. For an erasure this erases the account (privacy/erasure.py)
    in the same transaction, and the report of what was erased, pseudonymised and kept is
    e-mailed to the person's address of before."""
    if not can_handle_requests(acting_user):
        raise Forbidden(_("Only platform staff answer personal data requests."))
    request = _locked_open(request_id)
    person = request.user
    address = person.email
    if request.kind == RequestKind.ERASURE:
        request.report = erasure.erase(person)
        outcome = outcome or _("Your account was erased as listed below.")
        audit.record(
            "privacy.account_erased", actor=acting_user, obj=request, data={"request": request.pk}
        )
    elif not outcome.strip():
        from django.core.exceptions import ValidationError

        raise ValidationError({"outcome": _("Say what was done.")}, code="required")
    request.state = RequestState.DONE
    request.handled_by = acting_user
    request.handled_at = timezone.now()
    request.outcome = outcome.strip()
    request.save(update_fields=["state", "handled_by", "handled_at", "outcome", "report"])
    audit.record(
        "privacy.request_completed",
        actor=acting_user,
        obj=request,
        data={"request": request.pk, "kind": request.kind},
    )
    _tell_person(request, address)
    return request


@top_level
def refuse(*, acting_user, request_id: int, outcome: str) -> DataRequest:
    """Staff refuse a request with the reason (the law's grounds), told to the person."""
    if not can_handle_requests(acting_user):
        raise Forbidden(_("Only platform staff answer personal data requests."))
    request = _locked_open(request_id)
    request.state = RequestState.REFUSED
    request.handled_by = acting_user
    request.handled_at = timezone.now()
    request.outcome = outcome.strip()
    request.save(update_fields=["state", "handled_by", "handled_at", "outcome"])
    audit.record(
        "privacy.request_refused",
        actor=acting_user,
        obj=request,
        data={"request": request.pk, "kind": request.kind},
    )
    _tell_person(request, request.user.email)
    return request


def _tell_person(request: DataRequest, address: str) -> None:
    if not address:
        return
    send_templated_email_on_commit(
        "privacy/email/request_answered",
        {
            "request": request,
            "items": erasure.describe(request.report),
            "url": _link("privacy:mine"),
        },
        [address],
    )


def _staff_addresses() -> list[str]:
    users = get_user_model().objects.filter(is_staff=True, is_active=True).exclude(email="")
    return sorted(users.values_list("email", flat=True))


def remind_due(*, now=None) -> int:
    """Hourly: e-mail staff once about each open request whose time runs out within
    JEJARING_PRIVACY_REMINDER_HOURS (or already has). The row is claimed with one UPDATE ...
    WHERE reminded_at IS NULL RETURNING, so two workers, a retry or the next hour never send
    it twice."""
    now = now or timezone.now()
    horizon = now + timedelta(hours=settings.JEJARING_PRIVACY_REMINDER_HOURS)
    with transaction.atomic(durable=True):
        with connection.cursor() as cursor:
            cursor.execute(
                """
                UPDATE privacy_datarequest SET reminded_at = %s
                WHERE state = %s AND reminded_at IS NULL AND due_at <= %s
                RETURNING id
                """,
                [now, RequestState.OPEN, horizon],
            )
            claimed = [row[0] for row in cursor.fetchall()]
        if not claimed:
            return 0
        staff = _staff_addresses()
        if staff:
            requests = list(DataRequest.objects.filter(pk__in=claimed).order_by("due_at"))
            send_templated_email_on_commit(
                "privacy/email/reminder",
                {
                    "requests": [
                        {
                            "request": r,
                            "url": _link("privacy:staff_detail", r.pk),
                            "hours_left": max(0, int((r.due_at - now).total_seconds() // 3600)),
                        }
                        for r in requests
                    ]
                },
                staff,
            )
    return len(claimed)
