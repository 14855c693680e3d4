"""Onboarding actions: apply for a region, review the application, provision the tenant.

Every state change here is one function, called the same way by views, management commands and
tests: check permission, validate, write atomically, record the audit event, e-mail on commit.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actions import top_level
from core.errors import Conflict, Forbidden, NotFound
from core.files import removed_on_failure
from core.hosts import platform_url, region_domain, tenant_url
from core.mail import send_templated_email_on_commit

from . import audit, signals
from .errors import ErrorCode
from .models import (
    ApplicationStatus,
    Domain,
    Membership,
    Region,
    RegionApplication,
    Role,
    Tenant,
)
from .policy import Perm, can_act, has_platform_perm
from .provisioning import clone_schema, drop_orphan_schema
from .validators import required_reason

# A new confirmation link for the same application at most this often (the official address
# belongs to an office, not to the applicant: the platform must not become a way to flood it).
CONFIRMATION_RESEND_COOLDOWN = timedelta(minutes=5)


def ensure_region_open(region: Region) -> None:
    if not region.is_autonomous:
        raise ValidationError(
            _("%(region)s has no regional government of its own and cannot join as a region.")
            % {"region": region.full_name},
            code=ErrorCode.REGION_NOT_AUTONOMOUS,
        )
    if Tenant.objects.filter(region=region).exists():
        raise ValidationError(
            _("%(region)s is already on Jejaring. Ask its administrator to invite you.")
            % {"region": region.full_name},
            code=ErrorCode.REGION_ALREADY_ONBOARDED,
        )


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _platform_link(name: str, *args) -> str:
    return platform_url(reverse(name, args=args, urlconf=settings.PUBLIC_SCHEMA_URLCONF))


def _refuse_over_cap(applicant) -> None:
    cap = settings.JEJARING_MAX_PENDING_APPLICATIONS
    pending = RegionApplication.objects.filter(
        applicant=applicant, status=ApplicationStatus.PENDING
    ).count()
    if pending >= cap:
        raise ValidationError(
            _(
                "You already have %(count)s applications awaiting review, the most one account "
                "may have at once. Wait for a decision on one of them before applying again."
            )
            % {"count": pending},
            code=ErrorCode.TOO_MANY_PENDING_APPLICATIONS,
        )


def _issue_confirmation(application: RegionApplication) -> None:
    """A new single-use link to the official address (inside the caller's transaction; any
    earlier link stops working). Only the token's hash is stored."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    application.email_token_hash = _token_hash(token)
    application.email_token_expires_at = now + timedelta(
        hours=settings.JEJARING_EMAIL_CONFIRMATION_HOURS
    )
    application.email_confirmation_sent_at = now
    application.save(
        update_fields=["email_token_hash", "email_token_expires_at", "email_confirmation_sent_at"]
    )
    send_templated_email_on_commit(
        "tenants/email/application_confirm_email",
        {
            "application": application,
            "confirm_url": _platform_link("platform:application_confirm_email", token),
            "hours": settings.JEJARING_EMAIL_CONFIRMATION_HOURS,
        },
        [application.official_email],
    )


def submit_application(
    *,
    applicant,
    region: Region,
    position: str,
    office: str,
    official_email: str,
    phone: str,
    letter,
) -> RegionApplication:
    """File an application. At most JEJARING_MAX_PENDING_APPLICATIONS per account await review
    at once; the official address gets a confirmation link, and staff approve only once it is
    confirmed."""
    if not can_act(applicant):
        raise Forbidden(
            _("Verify your e-mail address before applying."), code=ErrorCode.EMAIL_UNVERIFIED
        )
    ensure_region_open(region)
    _refuse_over_cap(applicant)
    already_pending = ValidationError(
        _(
            "An application for %(region)s is already awaiting review. You will be able to "
            "apply again if it is rejected."
        )
        % {"region": region.full_name},
        code=ErrorCode.APPLICATION_ALREADY_PENDING,
    )
    if RegionApplication.objects.filter(region=region, status=ApplicationStatus.PENDING).exists():
        raise already_pending
    application = RegionApplication(
        region=region,
        applicant=applicant,
        position=position,
        office=office,
        official_email=official_email,
        phone=phone,
    )
    application.letter.save(letter.name, letter, save=False)
    try:
        # The letter is stored first, outside; the row in a durable block (core.actions).
        with removed_on_failure(application.letter), transaction.atomic(durable=True):
            # Serialise one account's applications, so two at once cannot both pass the cap.
            get_user_model().objects.select_for_update().filter(pk=applicant.pk).first()
            _refuse_over_cap(applicant)
            application.save()
            _issue_confirmation(application)
            audit.record(
                "application.submitted",
                actor=applicant,
                obj=application,
                data={"region": region.code},
            )
    except IntegrityError as exc:  # a concurrent application won the race
        raise already_pending from exc
    send_templated_email_on_commit(
        "tenants/email/application_received",
        {"application": application, "status_url": _platform_link("platform:application_status")},
        [applicant.email],
    )
    return application


def _invalid_link() -> NotFound:
    return NotFound(
        _(
            "This confirmation link is not valid: it was already used, has expired, or a newer "
            "one was sent. The applicant can send a new one from their application's status page."
        ),
        code=ErrorCode.EMAIL_CONFIRMATION_INVALID,
    )


def application_for_confirmation(token: str) -> RegionApplication:
    """The pending, unconfirmed application a confirmation link is for (NotFound otherwise)."""
    application = (
        RegionApplication.objects.select_related("region", "applicant")
        .filter(
            email_token_hash=_token_hash(token),
            email_token_expires_at__gt=timezone.now(),
            email_confirmed_at__isnull=True,
            status=ApplicationStatus.PENDING,
        )
        .first()
        if token
        else None
    )
    if application is None:
        raise _invalid_link()
    return application


@top_level
def confirm_official_email(*, token: str, acting_user=None) -> RegionApplication:
    """Whoever reads the official mailbox confirms the address with the e-mailed link; no
    account needed (the link is the proof). Works once."""
    with transaction.atomic():
        application = application_for_confirmation(token)
        application = RegionApplication.objects.select_for_update().get(pk=application.pk)
        if (
            application.email_token_hash != _token_hash(token)
            or application.email_confirmed_at is not None
        ):
            raise _invalid_link()
        application.email_confirmed_at = timezone.now()
        application.email_token_hash = ""
        application.email_token_expires_at = None
        application.save(
            update_fields=["email_confirmed_at", "email_token_hash", "email_token_expires_at"]
        )
        audit.record(
            "application.email_confirmed",
            actor=acting_user,
            obj=application,
            data={"email": application.official_email},
        )
    return application


@top_level
def resend_email_confirmation(*, application: RegionApplication, acting_user) -> None:
    """The applicant asks for a new confirmation link (the old one stops working)."""
    if not (can_act(acting_user) and application.applicant_id == acting_user.pk):
        raise NotFound(_("No such application."))
    with transaction.atomic():
        application = RegionApplication.objects.select_for_update().get(pk=application.pk)
        if application.status != ApplicationStatus.PENDING:
            raise Conflict(
                _("This application was already decided (%(status)s).")
                % {"status": application.get_status_display()},
                code=ErrorCode.APPLICATION_NOT_PENDING,
            )
        if application.email_confirmed:
            raise Conflict(
                _("The official e-mail address is already confirmed."),
                code=ErrorCode.EMAIL_ALREADY_CONFIRMED,
            )
        sent = application.email_confirmation_sent_at
        if sent is not None and sent > timezone.now() - CONFIRMATION_RESEND_COOLDOWN:
            raise Conflict(
                _("A confirmation link was sent a moment ago. Wait a few minutes, then try again."),
                code=ErrorCode.EMAIL_CONFIRMATION_RECENTLY_SENT,
            )
        _issue_confirmation(application)
        audit.record(
            "application.email_confirmation_resent",
            actor=acting_user,
            obj=application,
            data={"email": application.official_email},
        )


def _lock_pending(application: RegionApplication) -> RegionApplication:
    locked = RegionApplication.objects.select_for_update().get(pk=application.pk)
    if locked.status != ApplicationStatus.PENDING:
        raise ValidationError(
            _("This application was already decided (%(status)s).")
            % {"status": locked.get_status_display()},
            code=ErrorCode.APPLICATION_NOT_PENDING,
        )
    return locked


@top_level
def provision_region(*, region: Region, acting_user, first_admin=None) -> Tenant:
    """Create the region's tenant in one atomic step: tenant row, schema (cloned from the
    template), domain, the first administrator and the region's section of the public portal.
    PostgreSQL's DDL is transactional, so if any part fails nothing is left behind and the call
    can simply be retried."""
    with transaction.atomic():
        # Serialise provisioning of the same region (two staff approving at once).
        Region.objects.select_for_update().get(pk=region.pk)
        ensure_region_open(region)
        drop_orphan_schema(region.schema_name)
        tenant = Tenant.objects.create(
            schema_name=region.schema_name, name=region.full_name, region=region
        )
        clone_schema(tenant.schema_name)
        Domain.objects.create(
            domain=region_domain(region.slug or ""), tenant=tenant, is_primary=True
        )
        if first_admin is not None:
            Membership.objects.create(user=first_admin, tenant=tenant, role=Role.ADMIN)
        signals.region_provisioned.send(sender=Tenant, tenant=tenant, region=region)
        audit.record(
            "tenant.provisioned",
            actor=acting_user,
            tenant=tenant,
            obj=tenant,
            data={
                "region": region.code,
                "first_admin": getattr(first_admin, "email", None),
            },
        )
    return tenant


@top_level
def approve_application(*, application: RegionApplication, acting_user) -> Tenant:
    if not has_platform_perm(acting_user, Perm.REVIEW_APPLICATIONS):
        raise Forbidden(_("Only platform staff review applications."))
    with transaction.atomic():
        application = _lock_pending(application)
        if not application.email_confirmed:
            raise Conflict(
                _(
                    "The official e-mail address %(email)s is not confirmed yet. Approve once "
                    "the applicant's office has opened the confirmation link."
                )
                % {"email": application.official_email},
                code=ErrorCode.OFFICIAL_EMAIL_UNCONFIRMED,
            )
        tenant = provision_region.inner(
            region=application.region, acting_user=acting_user, first_admin=application.applicant
        )
        application.status = ApplicationStatus.APPROVED
        application.reviewed_by = acting_user
        application.reviewed_at = timezone.now()
        application.tenant = tenant
        application.save()
        audit.record("application.approved", actor=acting_user, tenant=tenant, obj=application)
    send_templated_email_on_commit(
        "tenants/email/application_approved",
        {"application": application, "tenant": tenant, "workspace_url": tenant_url(tenant)},
        [application.applicant.email],
    )
    return tenant


@top_level
def reject_application(*, application: RegionApplication, acting_user, reason: str) -> None:
    if not has_platform_perm(acting_user, Perm.REVIEW_APPLICATIONS):
        raise Forbidden(_("Only platform staff review applications."))
    reason = required_reason(reason, _("Give the applicant a reason, so they know what to fix."))
    with transaction.atomic():
        application = _lock_pending(application)
        application.status = ApplicationStatus.REJECTED
        application.decision_reason = reason
        application.reviewed_by = acting_user
        application.reviewed_at = timezone.now()
        application.save()
        audit.record(
            "application.rejected", actor=acting_user, obj=application, data={"reason": reason}
        )
    send_templated_email_on_commit(
        "tenants/email/application_rejected",
        {"application": application, "apply_url": _platform_link("platform:apply")},
        [application.applicant.email],
    )
