"""Membership actions: invite, accept, change role, remove. Every change is audited."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actions import top_level
from core.errors import Forbidden
from core.hosts import platform_url
from core.mail import send_templated_email_on_commit
from core.request_cache import forget

from . import audit
from .errors import ErrorCode
from .models import Invitation, Membership, Region, Role, Tenant, validate_role_scope
from .policy import Perm, can_act, has_perm, refuses_writes


def ensure_writable(tenant: Tenant) -> None:
    """Every action that changes a region's data asks this first (tenants.models.accepts_writes,
    as the middleware does)."""
    if refuses_writes(tenant) and tenant.is_pending_deletion:
        raise Forbidden(
            _("%(region)s is being deleted. Contact the platform staff.") % {"region": tenant.name},
            code=ErrorCode.TENANT_PENDING_DELETION,
        )
    if refuses_writes(tenant):
        raise Forbidden(
            _("%(region)s is suspended and read-only. Contact the platform staff.")
            % {"region": tenant.name},
            code=ErrorCode.TENANT_SUSPENDED,
        )


def _require_manager(user, tenant: Tenant) -> None:
    ensure_writable(tenant)
    if not has_perm(user, tenant, Perm.MANAGE_MEMBERS):
        raise Forbidden(_("Only the region's administrators manage its members."))


def _scope(role: str, opd: str, area: Region | None) -> tuple[str, Region | None]:
    """Keep only the scope that the role uses."""
    return (opd.strip() if role == Role.OPD else ""), (
        area if role in (Role.CAMAT, Role.LURAH) else None
    )


def _snapshot(role: str, opd: str, area: Region | None) -> dict:
    return {"role": role, "opd": opd, "area": area.code if area else None}


@top_level
def invite_member(
    *, tenant: Tenant, email: str, role: str, acting_user, opd: str = "", area=None
) -> Invitation:
    _require_manager(acting_user, tenant)
    email = email.strip().lower()
    opd, area = _scope(role, opd, area)
    validate_role_scope(tenant=tenant, role=role, opd=opd, area=area)
    if Membership.objects.filter(tenant=tenant, user__email__iexact=email).exists():
        raise ValidationError(
            {
                "email": ValidationError(
                    _("%(email)s is already a member of %(region)s. Change their role instead.")
                    % {"email": email, "region": tenant.name},
                    code=ErrorCode.ALREADY_MEMBER,
                )
            }
        )
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                tenant=tenant, email=email, role=role, opd=opd, area=area, invited_by=acting_user
            )
            audit.record(
                "member.invited",
                actor=acting_user,
                tenant=tenant,
                obj=invitation,
                data={"email": email, **_snapshot(role, opd, area)},
            )
    except IntegrityError as exc:
        raise ValidationError(
            {
                "email": ValidationError(
                    _("%(email)s already has an open invitation. Revoke it to send a new one.")
                    % {"email": email},
                    code=ErrorCode.INVITATION_PENDING,
                )
            }
        ) from exc
    send_templated_email_on_commit(
        "tenants/email/invitation",
        {
            "invitation": invitation,
            "tenant": tenant,
            "inviter": acting_user,
            "accept_url": invitation.accept_url,
        },
        [email],
    )
    return invitation


@top_level
def revoke_invitation(*, invitation: Invitation, acting_user) -> None:
    _require_manager(acting_user, invitation.tenant)
    with transaction.atomic():
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit.record(
            "member.invitation_revoked",
            actor=acting_user,
            tenant=invitation.tenant,
            obj=invitation,
            data={"email": invitation.email},
        )


@top_level
def accept_invitation(*, invitation: Invitation, user) -> Membership:
    """The invited person, signed in with the invited (verified) address, joins the region."""
    if not can_act(user):
        raise Forbidden(_("Verify your e-mail address first."), code=ErrorCode.EMAIL_UNVERIFIED)
    ensure_writable(invitation.tenant)
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_pending:
            raise ValidationError(
                _(
                    "This invitation has expired, was revoked or was already used. "
                    "Ask the region's administrator for a new one."
                ),
                code=ErrorCode.INVITATION_INVALID,
            )
        verified = user.emailaddress_set.filter(verified=True, email__iexact=invitation.email)
        if not verified.exists():
            raise ValidationError(
                _(
                    "This invitation was sent to %(email)s. Sign in with that address "
                    "(or add and verify it in your account) to accept it."
                )
                % {"email": invitation.email},
                code=ErrorCode.INVITATION_EMAIL_MISMATCH,
            )
        membership, created = Membership.objects.get_or_create(
            user=user,
            tenant=invitation.tenant,
            defaults={"role": invitation.role, "opd": invitation.opd, "area": invitation.area},
        )
        if not created:
            raise ValidationError(
                _("You are already a member of %(region)s.") % {"region": invitation.tenant.name},
                code=ErrorCode.ALREADY_MEMBER,
            )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        audit.record(
            "member.joined",
            actor=user,
            tenant=invitation.tenant,
            obj=membership,
            data={
                "email": user.email,
                **_snapshot(membership.role, membership.opd, membership.area),
            },
        )
    forget()  # this request's memoised memberships are stale now
    return membership


def _lock_members_of(tenant: Tenant) -> None:
    """Serialise membership changes per region. Without it two administrators demoting each
    other at the same moment would each still see the other as administrator, and both commit:
    a region with none."""
    Tenant.objects.select_for_update().filter(pk=tenant.pk).first()


def _ensure_another_admin(membership: Membership) -> None:
    others = Membership.objects.filter(tenant=membership.tenant, role=Role.ADMIN).exclude(
        pk=membership.pk
    )
    if membership.role == Role.ADMIN and not others.exists():
        raise ValidationError(
            _("A region needs at least one administrator. Make someone else administrator first."),
            code=ErrorCode.LAST_ADMIN,
        )


@top_level
def change_member_role(
    *, membership: Membership, role: str, acting_user, opd: str = "", area=None
) -> Membership:
    _require_manager(acting_user, membership.tenant)
    opd, area = _scope(role, opd, area)
    validate_role_scope(tenant=membership.tenant, role=role, opd=opd, area=area)
    with transaction.atomic():
        _lock_members_of(membership.tenant)
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if role != Role.ADMIN:
            _ensure_another_admin(membership)
        before = _snapshot(membership.role, membership.opd, membership.area)
        membership.role, membership.opd, membership.area = role, opd, area
        membership.save()
        audit.record(
            "member.role_changed",
            actor=acting_user,
            tenant=membership.tenant,
            obj=membership,
            data={
                "email": membership.user.email,
                "before": before,
                "after": _snapshot(role, opd, area),
            },
        )
    forget()  # this request's memoised memberships are stale now
    return membership


@top_level
def remove_member(*, membership: Membership, acting_user) -> None:
    _require_manager(acting_user, membership.tenant)
    with transaction.atomic():
        _lock_members_of(membership.tenant)
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        _ensure_another_admin(membership)
        snapshot = {
            "email": membership.user.email,
            **_snapshot(membership.role, membership.opd, membership.area),
        }
        tenant, person = membership.tenant, membership.user
        role_label = Role(membership.role).label  # lazy: rendered in the e-mail's language
        membership.delete()
        audit.record("member.removed", actor=acting_user, tenant=tenant, data=snapshot)
    if person != acting_user:
        # Told, so that losing access is not a mystery (and a mistake is noticed).
        send_templated_email_on_commit(
            "tenants/email/member_removed",
            {
                "tenant": tenant,
                "person": person,
                "role": role_label,
                "remover": acting_user,
                "workspaces_url": platform_url(
                    reverse("platform:my_workspaces", urlconf=settings.PUBLIC_SCHEMA_URLCONF)
                ),
            },
            [person.email],
        )
    forget()
