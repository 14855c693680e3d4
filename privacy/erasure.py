"""Erasing a person's account (UU 27/2022 Pasal 8 and 43): what may be erased is erased, what
must be kept is kept with the reason (privacy/registry.py), and pseudonymised where it need not
name the person.

The account row itself is never deleted: regions' schemas point at it without a constraint
(tenants' `db_constraint=False`), and public records point at it too; deleting it would leave
those pointing at nothing, or at a future account that got the same key. It is pseudonymised
instead (its e-mail becomes `terhapus-<id>-<random>@terhapus.invalid`, its name empty, its
password unusable, sign-in off), and every `<x>_email` copy of the address kept beside a link
`<x>` to the account, in the public schema and in each region's schema the person worked in, is
replaced by the same pseudonym. So every record keeps saying "the same (erased) person did
this", consistently, and none names them.

Kept unchanged, with the reason shown: the audit trail of what the person did for a region, and
the signatories of agreements (names in the agreement text, public records)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tenants.utils import schema_context

from core.errors import Conflict
from tenants.models import AuditEvent, Membership, Role, TenantStatus

from . import collect, registry
from .errors import ErrorCode
from .registry import OnErasure

PSEUDONYM_DOMAIN = "terhapus.invalid"


@dataclass(frozen=True)
class Item:
    kind: str  # a registry key
    action: OnErasure
    count: int

    def as_json(self) -> dict:
        return {"kind": self.kind, "action": str(self.action), "count": self.count}


def describe(report: list[dict]) -> list[dict]:
    """A plan's or report's items with their label and reason, in the current language."""
    out = []
    for item in report:
        kind = registry.kind(item["kind"])
        out.append(
            {
                **item,
                "label": kind.label,
                "reason": kind.erasure_reason,
                "action_label": ACTION_LABELS[item["action"]],
            }
        )
    return out


ACTION_LABELS = {
    OnErasure.ERASED: gettext_lazy("Erased"),
    OnErasure.PSEUDONYMISED: gettext_lazy("Kept without your name"),
    OnErasure.KEPT: gettext_lazy("Kept"),
}


def _is_account(model) -> bool:
    return (
        isinstance(model, type)
        and issubclass(model, models.Model)
        and model._meta.label == settings.AUTH_USER_MODEL
    )


def _email_twins(model) -> list[tuple[str, str]]:
    """(link, copy) pairs of a model: a link to the account `x` and the copy of its e-mail
    address `x_email` kept beside it (uploaded_by / uploaded_by_email, reviewer /
    reviewer_email, ...). The audit trail's are left alone (kept, see the module)."""
    if model is AuditEvent:
        return []
    pairs = []
    names = {f.name: f for f in model._meta.concrete_fields}
    for name in names:
        if not name.endswith("_email"):
            continue
        link = names.get(name[: -len("_email")])
        if isinstance(link, models.ForeignKey) and _is_account(link.related_model):
            pairs.append((link.attname, name))
    return pairs


def _project_models(*, tenant: bool):
    """The project's own models in the public schema (tenant=False) or in each region's."""
    tenant_apps = {name.rsplit(".", 1)[-1] for name in settings.TENANT_APPS}
    base = str(settings.BASE_DIR)
    for model in apps.get_models():
        config = model._meta.app_config
        if not str(config.path).startswith(base) or ".venv" in str(config.path):
            continue
        if (config.label in tenant_apps) == tenant:
            yield model


def _count_twins(user, *, tenant: bool) -> int:
    total = 0
    for model in _project_models(tenant=tenant):
        for link, _copy in _email_twins(model):
            total += model._default_manager.filter(**{link: user.pk}).count()
    return total


def blockers(user) -> list[str]:
    """Why the account cannot be erased now: the only administrator of a live region must hand
    the region over first (a region without an administrator cannot manage its members)."""
    reasons = []
    admin_of = Membership.objects.filter(user=user, role=Role.ADMIN).exclude(
        tenant__status=TenantStatus.PENDING_DELETION
    )
    for membership in admin_of.select_related("tenant"):
        others = (
            Membership.objects.filter(tenant=membership.tenant, role=Role.ADMIN)
            .exclude(user=user)
            .filter(user__is_active=True)
        )
        if not others.exists():
            reasons.append(
                _(
                    "You are the only administrator of %(region)s: appoint another "
                    "administrator first."
                )
                % {"region": membership.tenant.name}
            )
    return reasons


def plan(user) -> list[dict]:
    """What an erasure would do with each kind of the person's data (counts), for the person
    before they ask and for staff before they complete it."""
    from allauth.mfa.models import Authenticator

    from api.models import ApiToken
    from cooperation.models import Party, Proposal, ProposalState
    from marketplace.models import Inquiry, InquiryMessage, Listing, SavedSearch
    from missions.models import Meeting
    from tenants.models import RegionApplication

    from .models import DataRequest

    items: list[Item] = [Item("account", OnErasure.PSEUDONYMISED, 1)]

    def add(kind: str, action: OnErasure, count: int) -> None:
        if count:
            items.append(Item(kind, action, count))

    add("second_factor", OnErasure.ERASED, Authenticator.objects.filter(user=user).count())
    add(
        "membership",
        OnErasure.ERASED,
        Membership.objects.filter(user=user).count() + _open_invitations(user).count(),
    )
    add("api_token", OnErasure.ERASED, ApiToken.objects.filter(membership__user=user).count())
    applications = RegionApplication.objects.filter(applicant=user)
    add("application", OnErasure.ERASED, applications.exclude(status="approved").count())
    add("application", OnErasure.PSEUDONYMISED, applications.filter(status="approved").count())
    sent = Inquiry.objects.filter(sender=user)
    add("inquiry", OnErasure.ERASED, _unconverted(sent).count())
    add(
        "inquiry",
        OnErasure.PSEUDONYMISED,
        sent.count()
        - _unconverted(sent).count()
        + InquiryMessage.objects.filter(author=user).exclude(inquiry__sender=user).count(),
    )
    add("saved_search", OnErasure.ERASED, SavedSearch.objects.filter(user=user).count())
    add(
        "listing_contact",
        OnErasure.PSEUDONYMISED,
        Listing.objects.filter(contact_email__iexact=user.email).count(),
    )
    add("mission", OnErasure.PSEUDONYMISED, Meeting.objects.filter(requester=user).count())
    proposals = Proposal.objects.filter(proposer=user)
    add("proposal", OnErasure.ERASED, proposals.exclude(state=ProposalState.ACCEPTED).count())
    add(
        "proposal",
        OnErasure.PSEUDONYMISED,
        proposals.filter(state=ProposalState.ACCEPTED).count(),
    )
    add("shared_record_acts", OnErasure.PSEUDONYMISED, len(collect.shared_record_acts(user)))
    in_regions = 0
    for tenant in collect.region_tenants(user):
        with schema_context(tenant.schema_name):
            in_regions += _count_twins(user, tenant=True)
    add("region_workspace", OnErasure.PSEUDONYMISED, in_regions)
    events = AuditEvent.objects.filter(actor=user)
    add("audit", OnErasure.KEPT, events.filter(tenant__isnull=False).count())
    add("audit", OnErasure.PSEUDONYMISED, events.filter(tenant__isnull=True).count())
    if user.full_name.strip():
        add(
            "signatory",
            OnErasure.KEPT,
            Party.objects.filter(signatory_name__iexact=user.full_name.strip()).count(),
        )
    add("privacy_request", OnErasure.PSEUDONYMISED, DataRequest.objects.filter(user=user).count())
    return [item.as_json() for item in items]


def _open_invitations(user):
    from tenants.models import Invitation

    return Invitation.objects.filter(
        email__iexact=user.email, accepted_at__isnull=True, revoked_at__isnull=True
    )


def _unconverted(inquiries):
    return inquiries.filter(cooperation__isnull=True, proposal__isnull=True)


def _delete_file(field_file, schema: str = "public") -> None:
    if field_file:
        with schema_context(schema):
            default_storage.delete(field_file.name)


def _end_sessions(user) -> int:
    """Every session of the account, wherever it was started (one session table for every
    host). Sessions only name the account inside their encoded data, so each live one is read."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
            ended += 1
    return ended


def erase(user) -> list[dict]:
    """Erase the account, in the caller's transaction (privacy/requests.py runs it in the
    request's completion). Returns the report (the plan as carried out)."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    from cooperation.models import Proposal, ProposalState
    from marketplace.models import Inquiry, Listing, ListingReminder, SavedSearch, SearchDigest
    from public_registry.models import Withholding
    from tenants.models import Invitation, RegionApplication

    from .models import ExportState, PersonalExport

    refused = blockers(user)
    if refused:
        raise Conflict(" ".join(refused), code=ErrorCode.LAST_ADMINISTRATOR)
    report = plan(user)
    # The regions' schemas to visit are found before the memberships go.
    tenants = list(collect.region_tenants(user))
    old_email = user.email
    pseudonym = f"terhapus-{user.pk}-{secrets.token_hex(3)}@{PSEUDONYM_DOMAIN}"

    # Deleted: what exists only for the person.
    Authenticator.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    SavedSearch.objects.filter(user=user).delete()
    SearchDigest.objects.filter(user=user).delete()
    Membership.objects.filter(user=user).delete()  # their API tokens with them
    if apps.is_installed("reporting"):
        apps.get_model("reporting", "MinistryOfficial").objects.filter(user=user).delete()
    _open_invitations(user).delete()
    for application in RegionApplication.objects.filter(applicant=user).exclude(status="approved"):
        _delete_file(application.letter)
        application.delete()
    _unconverted(Inquiry.objects.filter(sender=user)).delete()
    for proposal in Proposal.objects.filter(proposer=user).exclude(state=ProposalState.ACCEPTED):
        for attachment in proposal.attachments.all():
            _delete_file(attachment.file, attachment.stored_schema or "public")
        proposal.delete()
    for export in PersonalExport.objects.filter(user=user).exclude(state=ExportState.EXPIRED):
        if export.file_name:
            from .exports import export_root

            (export_root() / export.file_name).unlink(missing_ok=True)
        export.state = ExportState.EXPIRED
        export.save(update_fields=["state"])
    _end_sessions(user)

    # Pseudonymised: records that stay, without the person's address.
    for model in _project_models(tenant=False):
        for link, copy in _email_twins(model):
            model._default_manager.filter(**{link: user.pk}).update(**{copy: pseudonym})
    for tenant in tenants:
        with schema_context(tenant.schema_name):
            for model in _project_models(tenant=True):
                for link, copy in _email_twins(model):
                    model._default_manager.filter(**{link: user.pk}).update(**{copy: pseudonym})
    Invitation.objects.filter(email__iexact=old_email).update(email=pseudonym)
    Listing.objects.filter(contact_email__iexact=old_email).update(contact_email="")
    ListingReminder.objects.filter(recipient__iexact=old_email).update(recipient=pseudonym)
    Withholding.objects.filter(set_by_email__iexact=old_email).update(set_by_email=pseudonym)
    AuditEvent.objects.filter(actor=user, tenant__isnull=True).update(actor_email=pseudonym)

    # The account: kept as the pseudonymised anchor of what stays, unable to sign in.
    user.email = pseudonym
    user.full_name = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    return report
