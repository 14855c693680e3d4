"""The Ministry's role (Kemendagri): the officials who read the national view of the semester
reports (reporting/national.py, views_national.py).

A platform role, not a region's: the Ministry of Home Affairs is no tenant, and its officials
belong to no region's workspace. Platform staff grant and revoke it (`grant_ministry_role`,
`revoke_ministry_role`: the staff page /platform/kemendagri/); each is an audit event of the
platform and the person is told by e-mail. An official must pass the second factor (TOTP) in
the session before anything else, as platform staff and region administrators do: this module
registers that rule with tenants.policy (`require_second_factor_for`), and the one middleware
(tenants.middleware.RequireSecondFactorMiddleware) enforces it on every path.

Who reads what: an official reads every province's submissions and the national compilation
(`can_read_national`); nothing of any region's workspace (the national view reads only the
frozen submissions). An account that is a member of a region cannot hold the role: a region's
officer would otherwise read every other province's reports.

The model lives here, imported by reporting/models.py; its permission and events are
registered by `register()` when this module is first imported.
"""

from __future__ import annotations

from enum import StrEnum

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from core.actions import top_level
from core.errors import Conflict, Forbidden
from core.hosts import platform_url
from core.mail import send_templated_email_on_commit
from core.request_cache import forget, memoised
from tenants import audit
from tenants.policy import can_act, grant, has_platform_perm, require_second_factor_for


class MinistryOfficial(models.Model):
    """An account holding the Ministry's role: one row per account, deleted on revocation
    (the audit log keeps who granted and revoked it, when)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="ministry_role",
        verbose_name=gettext_lazy("account"),
    )
    unit = models.CharField(
        gettext_lazy("unit"),
        max_length=200,
        help_text=gettext_lazy(
            "The official's unit in the Ministry, e.g. Direktorat Jenderal Bina Administrasi "
            "Kewilayahan."
        ),
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=gettext_lazy("granted by"),
    )
    granted_at = models.DateTimeField(gettext_lazy("granted at"), default=timezone.now)

    class Meta:
        app_label = "reporting"
        verbose_name = gettext_lazy("Ministry official")
        verbose_name_plural = gettext_lazy("Ministry officials")
        ordering = ("user__email",)

    def __str__(self) -> str:
        return f"{self.user.email} ({self.unit})"


class MinistryPerm(StrEnum):
    """Platform staff's permission over the role (the Ministry's own reading is a role, not a
    permission of a region: `can_read_national`)."""

    MANAGE_OFFICIALS = "platform.manage_ministry_officials"


class MinistryError(StrEnum):
    UNKNOWN_ACCOUNT = "unknown_account"
    ACCOUNT_NOT_VERIFIED = "account_not_verified"
    ALREADY_OFFICIAL = "already_ministry_official"
    MEMBER_OF_REGION = "member_of_region"
    STAFF_ACCOUNT = "staff_account"
    NOT_OFFICIAL = "not_ministry_official"


# --- Policy ----------------------------------------------------------------------------------


def holds_ministry_role(user) -> bool:
    """Whether the account holds the role (whatever its state: the second-factor rule asks)."""
    if not (user and user.is_authenticated):
        return False
    return memoised(
        ("ministry_role", user.pk), lambda: MinistryOfficial.objects.filter(user=user).exists()
    )


def can_read_national(user) -> bool:
    """The national view: every province's submissions and the national compilation. Only the
    Ministry's officials, with an active, verified account (platform staff manage the role and
    do not read the reports)."""
    return can_act(user) and holds_ministry_role(user)


def ministry_emails() -> list[str]:
    """Where a province's compilation is announced (reporting/notifications.py): every
    official's address."""
    return sorted(
        MinistryOfficial.objects.filter(user__is_active=True).values_list("user__email", flat=True)
    )


def can_manage_officials(user) -> bool:
    return has_platform_perm(user, MinistryPerm.MANAGE_OFFICIALS)


# --- Actions ---------------------------------------------------------------------------------


def _require_manager(acting_user) -> None:
    if not can_manage_officials(acting_user):
        raise Forbidden(_("Only platform staff grant and revoke the Ministry's role."))


def _tell(template: str, official_user, unit: str, acting_user) -> None:
    send_templated_email_on_commit(
        f"reporting/national/email/{template}",
        {
            "person": official_user,
            "unit": unit,
            "staff": acting_user,
            "national_url": platform_url(
                reverse("national:overview", urlconf=settings.PUBLIC_SCHEMA_URLCONF)
            ),
        },
        [official_user.email],
    )


@top_level
def grant_ministry_role(*, email: str, unit: str, acting_user) -> MinistryOfficial:
    """Give the account registered under `email` the Ministry's role. The account must exist
    with a verified address (the person signs up first), must not be platform staff and must
    belong to no region."""
    _require_manager(acting_user)
    unit = (unit or "").strip()
    if not unit:
        raise ValidationError(
            {"unit": ValidationError(_("Enter the official's unit."), code="required")}
        )
    user = User.objects.select_for_update().filter(email__iexact=(email or "").strip()).first()
    if user is None:
        raise ValidationError(
            {
                "email": ValidationError(
                    _("No account uses this address: the official signs up first."),
                    code=MinistryError.UNKNOWN_ACCOUNT,
                )
            }
        )
    if not can_act(user):
        raise ValidationError(
            {
                "email": ValidationError(
                    _("This account's address is not confirmed yet, or the account is closed."),
                    code=MinistryError.ACCOUNT_NOT_VERIFIED,
                )
            }
        )
    if user.is_staff or user.is_superuser:
        raise ValidationError(
            {
                "email": ValidationError(
                    _("A platform staff account cannot hold the Ministry's role."),
                    code=MinistryError.STAFF_ACCOUNT,
                )
            }
        )
    if user.memberships.exists():
        raise ValidationError(
            {
                "email": ValidationError(
                    _(
                        "This account is a member of a region: a region's officer cannot read "
                        "other provinces' reports. The Ministry's official needs an account of "
                        "their own."
                    ),
                    code=MinistryError.MEMBER_OF_REGION,
                )
            }
        )
    if MinistryOfficial.objects.filter(user=user).exists():
        raise Conflict(
            _("%(email)s already holds the Ministry's role.") % {"email": user.email},
            code=MinistryError.ALREADY_OFFICIAL,
        )
    official = MinistryOfficial.objects.create(user=user, unit=unit, granted_by=acting_user)
    audit.record(
        "ministry.role_granted",
        actor=acting_user,
        obj=official,
        data={"email": user.email, "unit": unit},
    )
    _tell("role_granted", user, unit, acting_user)
    forget()
    return official


@top_level
def revoke_ministry_role(*, official_pk: int, acting_user) -> None:
    """Take the Ministry's role away: the account reads no national view from its next request
    (its sessions stay: the role is asked on every request)."""
    _require_manager(acting_user)
    official = (
        MinistryOfficial.objects.select_for_update().select_related("user").filter(pk=official_pk)
    ).first()
    if official is None:
        raise Conflict(
            _("This account no longer holds the Ministry's role."), code=MinistryError.NOT_OFFICIAL
        )
    user, unit = official.user, official.unit
    official.delete()
    audit.record(
        "ministry.role_revoked",
        actor=acting_user,
        obj=None,
        data={"email": user.email, "unit": unit},
    )
    _tell("role_revoked", user, unit, acting_user)
    forget()


# --- Registration ----------------------------------------------------------------------------

_registered = False


def _granted(data, names):
    return _("Gave %(email)s the Ministry's role (%(unit)s).") % data


def _revoked(data, names):
    return _("Took the Ministry's role from %(email)s (%(unit)s).") % data


def register() -> None:
    """The role's permission (tenants.policy.grant), its second-factor rule and its audit
    events (tenants.audit.register); once per process."""
    global _registered
    if _registered:
        return

    grant(
        MinistryPerm,
        platform={MinistryPerm.MANAGE_OFFICIALS},
        owner="reporting.ministry",
    )
    require_second_factor_for(holds_ministry_role)
    # A province's compilation is announced to the officials (reporting/notifications.py asks
    # this hook; imported here, after reporting.models, which imports this module last).
    from . import notifications

    notifications.ministry_recipients = ministry_emails
    audit.register("ministry.role_granted", gettext_lazy("Ministry role granted"), _granted)
    audit.register("ministry.role_revoked", gettext_lazy("Ministry role revoked"), _revoked)
    _registered = True


register()
