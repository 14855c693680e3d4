"""Public-schema models: the region registry, tenants and their domains, memberships and roles,
invitations, onboarding applications and the audit log."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from .codes import validate_region_code
from .errors import ErrorCode


class RegionKind(models.TextChoices):
    PROVINSI = "provinsi", _("Province")
    KABUPATEN = "kabupaten", _("Kabupaten")
    KOTA = "kota", _("Kota")
    KABUPATEN_ADMINISTRASI = "kabupaten_administrasi", _("Administrative kabupaten")
    KOTA_ADMINISTRASI = "kota_administrasi", _("Administrative city")
    KECAMATAN = "kecamatan", _("Kecamatan")
    KELURAHAN = "kelurahan", _("Kelurahan")
    DESA = "desa", _("Desa")
    DESA_ADAT = "desa_adat", _("Desa adat")


# Regions with their own government (pemerintah daerah): only these can become tenants.
AUTONOMOUS_KINDS = (RegionKind.PROVINSI, RegionKind.KABUPATEN, RegionKind.KOTA)
REGENCY_KINDS = (
    RegionKind.KABUPATEN,
    RegionKind.KOTA,
    RegionKind.KABUPATEN_ADMINISTRASI,
    RegionKind.KOTA_ADMINISTRASI,
)
VILLAGE_KINDS = (RegionKind.KELURAHAN, RegionKind.DESA, RegionKind.DESA_ADAT)


class RegionQuerySet(models.QuerySet):
    def provinces(self):
        return self.filter(kind=RegionKind.PROVINSI)

    def regencies(self):
        """Kabupaten and kota, administrative ones included."""
        return self.filter(kind__in=REGENCY_KINDS)

    def autonomous(self):
        return self.filter(kind__in=AUTONOMOUS_KINDS)

    def kecamatan(self):
        return self.filter(kind=RegionKind.KECAMATAN)

    def villages(self):
        return self.filter(kind__in=VILLAGE_KINDS)

    def within(self, region: Region):
        """Every region below `region` in the hierarchy (not the region itself)."""
        return self.filter(code__startswith=f"{region.code}.")

    def available_for_onboarding(self):
        return self.autonomous().filter(tenant__isnull=True)


class Region(models.Model):
    """A region of the Kemendagri registry, from province down to desa/kelurahan.

    Codes are the natural key. Provinces, kabupaten and kota are loaded by a migration; kecamatan
    and desa/kelurahan by `manage.py import_regions` (data: idn-area-data, ODbL).
    """

    code = models.CharField(
        _("code"), max_length=13, primary_key=True, validators=[validate_region_code]
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=24, choices=RegionKind.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    # Only provinces, kabupaten and kota have one: it names their schema and subdomain.
    slug = models.SlugField(max_length=63, unique=True, null=True, blank=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return f"{self.code} {self.full_name}"

    @property
    def full_name(self) -> str:
        prefixes: dict[str, str] = {
            RegionKind.PROVINSI.value: "Provinsi ",
            RegionKind.KECAMATAN.value: "Kecamatan ",
            RegionKind.KELURAHAN.value: "Kelurahan ",
            RegionKind.DESA.value: "Desa ",
            RegionKind.DESA_ADAT.value: "Desa Adat ",
        }
        return f"{prefixes.get(self.kind or '', '')}{self.name}"

    @property
    def is_autonomous(self) -> bool:
        return self.kind in AUTONOMOUS_KINDS

    def contains(self, other: Region) -> bool:
        return other.code.startswith(f"{self.code}.")

    @property
    def schema_name(self) -> str:
        return (self.slug or "").replace("-", "_")


class TenantStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended (read-only)")
    PENDING_DELETION = "pending_deletion", _("Being deleted")


# The region-state rules (issue 14): ONE answer to "may the public see this region's content"
# and ONE to "does this region accept writes". Both hold for active regions only: a suspended
# region is read-only and leaves every public page, search, download, feed and API answer at
# once (its members still read it in their workspace); a region being deleted is closed to all.
#
# The public registry of signed agreements (public_registry/) is the one exception, kept on
# purpose: a signed agreement's published record is a public record of what the parties signed
# (UU 14/2008; other party regions signed it too), published as a snapshot in the public schema,
# so it stays in the registry whatever the owning region's status; only the region's own
# content (its listings, its profile page, its marketplace presence) follows this rule.
PUBLIC_STATUSES = frozenset({TenantStatus.ACTIVE})
WRITABLE_STATUSES = frozenset({TenantStatus.ACTIVE})


def accepts_writes(tenant: Tenant | None) -> bool:
    """May this tenant's data change now? The platform (no region) always; a region only while
    active (suspended: read-only; being deleted: closed). The middleware, the actions
    (tenants.members.ensure_writable, tenants.policy.refuses_writes) and every "may I show this
    button" (`Tenant.accepts_writes`) ask this."""
    if tenant is None or getattr(tenant, "region_id", None) is None:
        return True
    return tenant.status in WRITABLE_STATUSES


class TenantQuerySet(models.QuerySet):
    def regions(self):
        """Tenants that are regions (not the public schema, not the template)."""
        return self.filter(region__isnull=False)

    def publicly_visible(self):
        """Regions whose content the public may see (PUBLIC_STATUSES): every public read of a
        region's content filters by this (`tenant__in=Tenant.objects.publicly_visible()`)."""
        return self.regions().filter(status__in=PUBLIC_STATUSES)

    def hidden_from_public(self):
        """The other regions: suspended, or being deleted (search excludes their codes)."""
        return self.regions().exclude(status__in=PUBLIC_STATUSES)

    def live(self):
        """Regions people work in: not being deleted (those drop out of every list)."""
        return self.regions().exclude(status=TenantStatus.PENDING_DELETION)

    def pending_deletion(self):
        return self.regions().filter(status=TenantStatus.PENDING_DELETION)


class Tenant(TenantMixin, models.Model):  # Model named too: django-tenants is untyped
    """A region's workspace: one PostgreSQL schema. The public schema and the provisioning
    template are tenants too, without a region."""

    region = models.OneToOneField(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tenant",
        verbose_name=_("region"),
    )
    name = models.CharField(_("name"), max_length=150)
    status = models.CharField(
        _("status"), max_length=16, choices=TenantStatus.choices, default=TenantStatus.ACTIVE
    )
    suspended_reason = models.TextField(_("suspension reason"), blank=True)
    created_on = models.DateTimeField(_("created on"), auto_now_add=True)
    # Deletion is scheduled first (tenants/region_lifecycle.py): staff can restore the region until
    # `purge_after`; `manage.py purge_deleted_regions` drops it afterwards.
    deletion_scheduled_at = models.DateTimeField(null=True, blank=True)
    deletion_scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    purge_after = models.DateTimeField(null=True, blank=True)

    # Provisioning creates the schema itself, atomically (tenants/provisioning.py).
    auto_create_schema = False
    auto_drop_schema = True

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("tenant")
        verbose_name_plural = _("tenants")

    def __str__(self) -> str:
        return self.name

    @property
    def is_suspended(self) -> bool:
        return self.status == TenantStatus.SUSPENDED

    @property
    def is_pending_deletion(self) -> bool:
        return self.status == TenantStatus.PENDING_DELETION

    @property
    def is_publicly_visible(self) -> bool:
        """The region-visibility rule (PUBLIC_STATUSES) for one tenant."""
        return self.region_id is not None and self.status in PUBLIC_STATUSES

    @property
    def accepts_writes(self) -> bool:
        """The writability rule (`accepts_writes`), for templates: "may I show this button"."""
        return accepts_writes(self)

    @property
    def url(self) -> str:
        from core.hosts import tenant_url

        return tenant_url(self)


class Domain(DomainMixin, models.Model):  # Model named too: django-tenants is untyped
    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")

    def __str__(self) -> str:
        return self.domain


class Role(models.TextChoices):
    ADMIN = "admin", _("Region administrator")
    TKKSD = "tkksd", _("TKKSD member")
    OPD = "opd", _("OPD staff")
    CAMAT = "camat", _("Camat")
    LURAH = "lurah", _("Lurah / kepala desa")
    VIEWER = "viewer", _("Viewer")


def validate_role_scope(*, tenant: Tenant, role: str, opd: str, area: Region | None) -> None:
    """A camat speaks for a kecamatan, a lurah for a desa/kelurahan, both inside the tenant's
    region; OPD staff name their OPD. Other roles carry no scope."""
    errors: dict[str, ValidationError] = {}
    if role == Role.OPD and not opd.strip():
        errors["opd"] = ValidationError(
            _("Name the OPD this member works for (for example Dinas Pertanian)."),
            code=ErrorCode.OPD_REQUIRED,
        )
    if role in (Role.CAMAT, Role.LURAH):
        wanted = (RegionKind.KECAMATAN,) if role == Role.CAMAT else VILLAGE_KINDS
        if area is None:
            errors["area"] = ValidationError(
                _("Choose the kecamatan or desa/kelurahan this member speaks for."),
                code=ErrorCode.AREA_REQUIRED,
            )
        elif area.kind not in wanted:
            errors["area"] = ValidationError(
                _("A camat speaks for a kecamatan, a lurah for a desa or kelurahan."),
                code=ErrorCode.AREA_WRONG_KIND,
            )
        elif tenant.region is None or not tenant.region.contains(area):
            errors["area"] = ValidationError(
                _("%(area)s is not inside %(region)s."),
                code=ErrorCode.AREA_OUTSIDE_REGION,
                params={"area": area.full_name, "region": tenant.name},
            )
    if errors:
        raise ValidationError(errors)


class Membership(models.Model):
    """A person's role in one region. One account may hold memberships in several regions."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    opd = models.CharField(_("OPD"), max_length=150, blank=True)
    area = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kecamatan / desa / kelurahan"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "tenant"], name="membership_unique_user_tenant")
        ]
        ordering = ["tenant__name", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.tenant}: {self.get_role_display()}"

    @property
    def scope_label(self) -> str:
        area = self.area if self.area_id else None
        if area is not None:
            return area.full_name
        return self.opd


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


def _invitation_expiry():
    return timezone.now() + timedelta(days=14)


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """An e-mailed invitation to join a region with a role (and scope)."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    opd = models.CharField(_("OPD"), max_length=150, blank=True)
    area = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True, default=_invitation_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=_invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "tenant",
                models.functions.Lower("email"),
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email",
            )
        ]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.tenant}"

    @property
    def is_pending(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )

    @property
    def accept_url(self) -> str:
        from core.hosts import tenant_url

        path = reverse(
            "workspace:accept_invitation", args=[self.token], urlconf=settings.ROOT_URLCONF
        )
        return tenant_url(self.tenant, path)


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


def letter_upload_to(instance: RegionApplication, filename: str) -> str:
    return f"applications/{timezone.now():%Y/%m}/{secrets.token_hex(8)}.pdf"


class RegionApplication(models.Model):
    """A person's application to onboard their region, reviewed by platform staff."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="applications", verbose_name=_("region")
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="region_applications"
    )
    position = models.CharField(_("position (jabatan)"), max_length=150)
    office = models.CharField(_("office (unit kerja)"), max_length=200)
    official_email = models.EmailField(_("official e-mail"))
    phone = models.CharField(_("office phone"), max_length=30)
    letter = models.FileField(_("assignment letter (PDF)"), upload_to=letter_upload_to)
    status = models.CharField(
        max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.PENDING
    )
    decision_reason = models.TextField(_("reason"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    tenant = models.ForeignKey(
        Tenant, on_delete=models.SET_NULL, null=True, blank=True, related_name="applications"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The official address is confirmed by a single-use link e-mailed to it (only the token's
    # SHA-256 is stored); staff cannot approve before it is.
    email_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    email_token_expires_at = models.DateTimeField(null=True, blank=True)
    email_confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    email_confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["region"],
                condition=Q(status="pending"),
                name="application_one_pending_per_region",
            )
        ]
        ordering = ["created_at"]
        verbose_name = _("region application")
        verbose_name_plural = _("region applications")

    def __str__(self) -> str:
        return f"{self.region.full_name} ({self.get_status_display()})"

    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None


class ExportState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


class TenantExport(models.Model):
    """One export of a region's tenant, built by the background worker (tenants/tasks.py) and
    kept until `expires_at`. The row outlives the tenant (the final export of a deleted region)."""

    tenant = models.ForeignKey(
        Tenant, on_delete=models.SET_NULL, null=True, blank=True, related_name="exports"
    )
    # Kept after the tenant is purged, so the list still says which region it was.
    tenant_schema = models.CharField(max_length=63)
    tenant_name = models.CharField(max_length=150)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_final = models.BooleanField(default=False)
    state = models.CharField(
        max_length=16, choices=ExportState.choices, default=ExportState.PENDING
    )
    file_name = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("tenant export")
        verbose_name_plural = _("tenant exports")

    def __str__(self) -> str:
        return f"{self.tenant_schema} #{self.pk} ({self.state})"

    @property
    def is_expired(self) -> bool:
        return self.state == ExportState.EXPIRED or (
            self.expires_at is not None and self.expires_at <= timezone.now()
        )

    @property
    def is_downloadable(self) -> bool:
        return self.state == ExportState.READY and not self.is_expired


class AuditEvent(models.Model):
    """One audit log for the platform: who did what, when, to which tenant, with a snapshot.

    Written only by action functions (tenants/actions.py and friends)."""

    action = models.CharField(max_length=64, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_email = models.CharField(max_length=254, blank=True)
    tenant = models.ForeignKey(
        Tenant, on_delete=models.SET_NULL, null=True, blank=True, related_name="audit_events"
    )
    # Kept after a tenant is deleted, so the log still says which region it was.
    tenant_schema = models.CharField(max_length=63, blank=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["tenant", "-created_at"], name="audit_tenant_recent")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"
