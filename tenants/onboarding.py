"""Onboarding actions: apply for a region, review the application, provision the tenant.

Every state change here is one function, called the same way by views, management commands and
tests: check permission, validate, write atomically, record the audit event, e-mail on commit.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Forbidden
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
    if not can_act(applicant):
        raise Forbidden(
            _("Verify your e-mail address before applying."), code=ErrorCode.EMAIL_UNVERIFIED
        )
    ensure_region_open(region)
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
        with removed_on_failure(application.letter), transaction.atomic():
            application.save()
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
        {"application": application, "status_url": platform_url("/daftar-daerah/status/")},
        [applicant.email],
    )
    return application


def _lock_pending(application: RegionApplication) -> RegionApplication:
    locked = RegionApplication.objects.select_for_update().get(pk=application.pk)
    if locked.status != ApplicationStatus.PENDING:
        raise ValidationError(
            _("This application was already decided (%(status)s).")
            % {"status": locked.get_status_display()},
            code=ErrorCode.APPLICATION_NOT_PENDING,
        )
    return locked


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
        Domain.objects.create(domain=region_domain(region.slug), tenant=tenant, is_primary=True)
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


def approve_application(*, application: RegionApplication, acting_user) -> Tenant:
    if not has_platform_perm(acting_user, Perm.REVIEW_APPLICATIONS):
        raise Forbidden(_("Only platform staff review applications."))
    with transaction.atomic():
        application = _lock_pending(application)
        tenant = provision_region(
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
        {"application": application, "apply_url": platform_url("/daftar-daerah/")},
        [application.applicant.email],
    )
