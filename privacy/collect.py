"""Everything Jejaring holds about one person, for their copy (privacy/exports.py).

Only the person's own data: where a row also names someone else (a reply in an inquiry thread,
the invitee of an invitation they sent, the staff member who reviewed their application), the
other person is left out. Secrets are never read (password hash, TOTP secrets, recovery codes,
API token hashes).

Regions' schemas: only the schemas of the regions where the person is or was a member (their
memberships, and the regions whose history names them as the actor) are visited, each in its
own `schema_context`, and every row found there is filed under that region's schema name, so
two regions' rows with the same primary key never mix."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django_tenants.utils import schema_context

from accounts.models import User
from tenants.models import AuditEvent, Membership, Tenant


@dataclass(frozen=True)
class StoredFile:
    schema: str  # the schema whose media folder holds it
    name: str  # the storage name
    archive_name: str  # where it goes in the ZIP


def region_tenants(user: User):
    """The regions whose schemas may hold the person's work: current memberships, and the
    regions whose audit trail names the person as the actor (a former member)."""
    member_of = Membership.objects.filter(user=user).values("tenant_id")
    acted_in = AuditEvent.objects.filter(actor=user, tenant__isnull=False).values("tenant_id")
    return (
        Tenant.objects.regions()
        .filter(Q(pk__in=member_of) | Q(pk__in=acted_in))
        .order_by("schema_name")
    )


def _dt(value) -> str | None:
    return value.isoformat() if value is not None else None


def account(user: User) -> dict[str, Any]:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    return {
        "email": user.email,
        "full_name": user.full_name,
        "date_joined": _dt(user.date_joined),
        "last_login": _dt(user.last_login),
        "is_active": user.is_active,
        "is_platform_staff": user.is_staff,
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
        # The kind of each second factor and when it was set up and last used: never its secret.
        "second_factors": [
            {"type": a.type, "created_at": _dt(a.created_at), "last_used_at": _dt(a.last_used_at)}
            for a in Authenticator.objects.filter(user=user).order_by("pk")
        ],
    }


def memberships(user: User) -> list[dict]:
    from api.models import ApiToken

    rows = []
    for m in Membership.objects.filter(user=user).select_related("tenant", "area"):
        rows.append(
            {
                "region": m.tenant.name,
                "region_code": m.tenant.region_id,
                "role": m.role,
                "opd": m.opd,
                "area": m.area.full_name if m.area_id else None,
                "since": _dt(m.created_at),
                "api_tokens": [
                    {
                        "name": t.name,
                        "prefix": t.prefix,
                        "created_at": _dt(t.created_at),
                        "expires_at": _dt(t.expires_at),
                        "revoked_at": _dt(t.revoked_at),
                        "last_used_at": _dt(t.last_used_at),
                    }
                    for t in ApiToken.objects.filter(membership=m)
                ],
            }
        )
    return rows


def invitations(user: User) -> dict[str, list[dict]]:
    from tenants.models import Invitation

    received = Invitation.objects.filter(
        Q(email__iexact=user.email) | Q(accepted_by=user)
    ).select_related("tenant")
    sent = Invitation.objects.filter(invited_by=user).select_related("tenant")
    return {
        "received": [
            {
                "region": i.tenant.name,
                "role": i.role,
                "created_at": _dt(i.created_at),
                "accepted_at": _dt(i.accepted_at),
                "revoked_at": _dt(i.revoked_at),
            }
            for i in received
        ],
        # The invitee's address is the invitee's data: only that an invitation was sent.
        "sent": [
            {"region": i.tenant.name, "role": i.role, "created_at": _dt(i.created_at)} for i in sent
        ],
    }


def applications(user: User, files: list[StoredFile]) -> list[dict]:
    from tenants.models import RegionApplication

    rows = []
    for a in RegionApplication.objects.filter(applicant=user).select_related("region"):
        letter = None
        if a.letter:
            letter = f"files/applications/{a.pk}-letter.pdf"
            files.append(StoredFile("public", a.letter.name, letter))
        rows.append(
            {
                "region": a.region.full_name,
                "position": a.position,
                "office": a.office,
                "official_email": a.official_email,
                "phone": a.phone,
                "status": a.status,
                "decision_reason": a.decision_reason,
                "submitted_at": _dt(a.created_at),
                "reviewed_at": _dt(a.reviewed_at),
                "email_confirmed_at": _dt(a.email_confirmed_at),
                "letter": letter,
            }
        )
    return rows


def marketplace(user: User) -> dict[str, list[dict]]:
    from marketplace.models import Inquiry, InquiryMessage, Listing, SavedSearch

    inquiries = []
    for inquiry in Inquiry.objects.filter(sender=user).select_related("listing__tenant"):
        inquiries.append(
            {
                "subject": inquiry.subject,
                "listing": inquiry.listing.title,
                "region": inquiry.listing.tenant.name,
                "status": inquiry.status,
                "created_at": _dt(inquiry.created_at),
                # The thread was written to the person; the region's replies are given as the
                # region's, without the names of the members who wrote them.
                "messages": [
                    {
                        "from": "you" if m.author_id == user.pk else "the listing's region",
                        "body": m.body,
                        "created_at": _dt(m.created_at),
                    }
                    for m in inquiry.messages.all()
                ],
            }
        )
    written_for_region = (
        InquiryMessage.objects.filter(author=user)
        .exclude(inquiry__sender=user)
        .select_related("inquiry")
    )
    return {
        "inquiries_sent": inquiries,
        "messages_written_for_a_region": [
            {
                "inquiry": m.inquiry.subject,
                "body": m.body,
                "created_at": _dt(m.created_at),
            }
            for m in written_for_region
        ],
        "listings_published": [
            {
                "title": listing.title,
                "region": listing.tenant.name,
                "status": listing.status,
                "created_at": _dt(listing.created_at),
            }
            for listing in Listing.objects.filter(created_by=user).select_related("tenant")
        ],
        "listings_naming_your_email_as_contact": [
            {
                "title": listing.title,
                "region": listing.tenant.name,
                "contact_name": listing.contact_name,
                "contact_phone": listing.contact_phone,
                "contact_email": listing.contact_email,
            }
            for listing in Listing.objects.filter(contact_email__iexact=user.email).select_related(
                "tenant"
            )
        ],
        "saved_searches": [
            {
                "name": s.name,
                "text": s.text,
                "filters": s.filters,
                "sort": s.sort,
                "created_at": _dt(s.created_at),
            }
            for s in SavedSearch.objects.filter(user=user)
        ],
    }


def missions(user: User) -> list[dict]:
    from missions.models import Meeting

    return [
        {
            "mission": m.mission.title,
            "region_asked": m.tenant.name,
            "listing": m.listing.title,
            "slot_starts_at": _dt(m.slot.starts_at),
            "organisation": m.organisation,
            "message": m.message,
            "status": m.status,
            "answer": m.answer,
            "created_at": _dt(m.created_at),
        }
        for m in Meeting.objects.filter(requester=user).select_related(
            "mission", "tenant", "listing", "slot"
        )
    ]


def proposals(user: User, files: list[StoredFile]) -> list[dict]:
    from cooperation.models import Proposal

    rows = []
    for p in Proposal.objects.filter(proposer=user).select_related("tenant"):
        attachments = []
        for a in p.attachments.all():
            name = f"files/proposals/{p.pk}-{a.pk}.pdf"
            files.append(StoredFile(a.stored_schema or "public", a.file.name, name))
            attachments.append({"original_name": a.original_name, "file": name})
        rows.append(
            {
                "region": p.tenant.name,
                "title": p.title,
                "organisation": p.organisation,
                "organisation_details": p.organisation_details,
                "description": p.description,
                "state": p.state,
                "created_at": _dt(getattr(p, "created_at", None)),
                "attachments": attachments,
            }
        )
    return rows


def shared_record_acts(user: User) -> list[dict]:
    """What the person did on the parties' shared agreement records (public schema)."""
    from cooperation.models import (
        InventoryPoint,
        Meeting,
        Participation,
        PartySignature,
        SignedDocument,
        TextVersion,
    )

    acts: list[dict] = []
    for model, field, what in (
        (SignedDocument, "uploaded_by", "uploaded a signed document"),
        (Participation, "answered_by", "answered an offer"),
        (PartySignature, "signed_by", "recorded a party's signature"),
        (Meeting, "recorded_by", "recorded a meeting"),
        (InventoryPoint, "proposed_by", "proposed a point of the joint inventory"),
        (TextVersion, "author", "wrote a version of the joint text"),
    ):
        for row in model.objects.filter(**{field: user}).select_related("cooperation"):
            acts.append({"what": what, "agreement": row.cooperation.title})
    return acts


def signatories(user: User) -> list[dict]:
    """Parties of agreements whose signatory carries the person's name (matched by name: the
    signatory is a name in the agreement, not an account)."""
    from cooperation.models import Party

    if not user.full_name.strip():
        return []
    return [
        {
            "agreement": p.cooperation.title,
            "party": p.name,
            "signatory_name": p.signatory_name,
            "signatory_position": p.signatory_position,
        }
        for p in Party.objects.filter(signatory_name__iexact=user.full_name.strip()).select_related(
            "cooperation"
        )
    ]


def audit_events(user: User) -> list[dict]:
    """The events where the person acted: what, where and when. Their data is left out (it can
    name other people, an invitee's address for one)."""
    from tenants.audit import event_type

    rows = []
    for e in AuditEvent.objects.filter(actor=user).select_related("tenant").order_by("created_at"):
        kind = event_type(e.action)
        rows.append(
            {
                "action": e.action,
                "label": str(kind.label) if kind else e.action,
                "region": e.tenant.name if e.tenant_id else None,
                "created_at": _dt(e.created_at),
            }
        )
    return rows


def region_work(user: User) -> dict[str, dict]:
    """The person's work in each region's own schema, filed under the region's schema name."""
    from agreements.models import Agreement, InternalDocument, MonitoringReport, Review
    from workspace.models import Document

    out: dict[str, dict] = {}
    for tenant in region_tenants(user):
        with schema_context(tenant.schema_name):
            out[tenant.schema_name] = {
                "region": tenant.name,
                "documents_uploaded": [
                    {"title": d.title, "uploaded_at": _dt(d.uploaded_at)}
                    for d in Document.objects.filter(uploaded_by_id=user.pk)
                ],
                "agreements_created": [
                    {"agreement": a.cooperation.title}
                    for a in Agreement.objects.filter(created_by_id=user.pk).select_related(
                        "cooperation"
                    )
                ],
                "tkksd_reviews": [
                    {
                        "agreement": r.agreement.cooperation.title,
                        "round": r.round,
                        "recommendation": r.recommendation,
                        "notes": r.notes,
                        "recorded_at": _dt(r.recorded_at),
                    }
                    for r in Review.objects.filter(reviewer_id=user.pk).select_related(
                        "agreement__cooperation"
                    )
                ],
                "internal_documents_uploaded": [
                    {"title": d.title, "agreement": d.agreement.cooperation.title}
                    for d in InternalDocument.objects.filter(uploaded_by_id=user.pk).select_related(
                        "agreement__cooperation"
                    )
                ],
                "monitoring_reports_filed": [
                    {
                        "agreement": r.agreement.cooperation.title,
                        "year": r.year,
                        "semester": r.semester,
                        "filed_at": _dt(r.filed_at),
                    }
                    for r in MonitoringReport.objects.filter(filed_by_id=user.pk).select_related(
                        "agreement__cooperation"
                    )
                ],
            }
    return out


def requests(user: User) -> list[dict]:
    from .models import DataRequest

    return [
        {
            "kind": r.kind,
            "state": r.state,
            "details": r.details,
            "created_at": _dt(r.created_at),
            "due_at": _dt(r.due_at),
            "handled_at": _dt(r.handled_at),
            "outcome": r.outcome,
        }
        for r in DataRequest.objects.filter(user=user)
    ]


def collect(user: User) -> tuple[dict[str, Any], list[StoredFile]]:
    """The person's data as one JSON-ready dict, and the files that go beside it."""
    files: list[StoredFile] = []
    data = {
        "account": account(user),
        "memberships": memberships(user),
        "invitations": invitations(user),
        "region_applications": applications(user, files),
        "marketplace": marketplace(user),
        "trade_mission_meetings": missions(user),
        "proposals": proposals(user, files),
        "shared_agreement_records": shared_record_acts(user),
        "named_as_signatory": signatories(user),
        "activity_history": audit_events(user),
        "work_in_regions": region_work(user),
        "personal_data_requests": requests(user),
    }
    return data, files


def iter_files(files: list[StoredFile]) -> Iterator[tuple[StoredFile, bytes | None]]:
    """Each file's bytes, read from its schema's media folder (None when it is missing)."""
    from django.core.files.storage import default_storage

    for item in files:
        with schema_context(item.schema):
            try:
                with default_storage.open(item.name, "rb") as handle:
                    yield item, handle.read()
            except (FileNotFoundError, OSError):
                yield item, None
