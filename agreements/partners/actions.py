"""Partner regions on one shared agreement (issue 6: offers between regions).

Region A sends the offer (the lifecycle's `send_offer`); each partner region that works on
Jejaring finds it in its inbox of offers. Its office accepts (its register gets its own working
record linked to the SAME shared record: the same stage, joint text and signed documents, while
its notes, TKKSD reviews and DPRD step stay in its own schema) or declines with a reason. With
two or more party regions the signing completes only when every one has signed: each signs as
a party here, and the last records the signing through the lifecycle. Meetings between the
parties are recorded on the shared record, which every party reads.

Every function that changes something is one action: permission (tenants.policy), validation,
an atomic write, the audit event, e-mail after commit.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tenants.utils import tenant_context

from agreements.models import Agreement
from agreements.partners.mail import notify_other_parties
from agreements.register import lifecycle
from agreements.register.documents import sha256_of, validate_agreement_pdf
from cooperation.errors import AgreementError
from cooperation.models import (
    Answer,
    Cooperation,
    Instrument,
    Meeting,
    Participation,
    PartyKind,
    PartySignature,
    SignedDocument,
    Stage,
)
from cooperation.policy import AgreementPerm
from cooperation.shared_partners import awaiting_signatures, party_tenants, record_signature
from core.actions import top_level
from core.errors import Conflict, Forbidden, field_error
from core.tenancy import connection
from signatures.actions import request_check as request_signature_check
from tenants import audit
from tenants.members import ensure_writable
from tenants.models import Membership, Region, Tenant
from tenants.policy import Perm, has_perm, role_allows

CLOSED = (Stage.ENDED, Stage.REJECTED)
# The stage at which each instrument is signed.
SIGNING_STAGES: dict[str, Instrument] = {
    Stage.KSB_DRAFTING: Instrument.KSB,
    Stage.PKS_DRAFTING: Instrument.PKS,
}


def _require(membership: Membership, perm: Perm | AgreementPerm, message: str) -> None:
    ensure_writable(membership.tenant)
    if not has_perm(membership.user, membership.tenant, perm, membership=membership):
        raise Forbidden(message)


# --- Reads: the inbox and one offer ------------------------------------------------------------


def offered_to(tenant: Tenant):
    """The shared records another region has offered `tenant` (a party region; the offer has
    been sent, so the record is past preparation)."""
    return (
        Cooperation.objects.filter(
            parties__kind=PartyKind.REGION, parties__region_id=tenant.region_id
        )
        .exclude(owner=tenant)
        .exclude(owner__isnull=True)
        .exclude(stage=Stage.PREPARATION)
    )


@dataclass(frozen=True)
class Offer:
    cooperation: Cooperation
    answer: Participation | None


def inbox(tenant: Tenant) -> list[Offer]:
    """Every offer to `tenant`, unanswered first, newest first. Three queries in all."""
    cooperations = list(
        offered_to(tenant).select_related("owner").order_by("-created_at", "-pk").distinct()
    )
    answers = {
        p.cooperation_id: p
        for p in Participation.objects.filter(
            tenant=tenant, cooperation__in=[c.pk for c in cooperations]
        )
    }
    offers = [Offer(c, answers.get(c.pk)) for c in cooperations]
    return sorted(offers, key=lambda o: o.answer is not None)


def get_offer_for(membership: Membership | None, cooperation_pk: int) -> Cooperation:
    """The shared record `cooperation_pk` if it was offered to the member's region and the
    member reads offers; Http404 otherwise, the same answer as for a missing one."""
    if membership is None or not role_allows(membership.role, AgreementPerm.VIEW_OFFERS):
        raise Http404
    cooperation = offered_to(membership.tenant).filter(pk=cooperation_pk).first()
    if cooperation is None:
        raise Http404
    return cooperation


def answer_of(tenant: Tenant, cooperation: Cooperation) -> Participation | None:
    return Participation.objects.filter(tenant=tenant, cooperation=cooperation).first()


@dataclass(frozen=True)
class PartnerRow:
    tenant: Tenant
    is_owner: bool
    answer: Participation | None
    signatures: dict  # instrument -> PartySignature


def partner_rows(cooperation: Cooperation) -> list[PartnerRow]:
    """Each party region on Jejaring: the owner, or its answer to the offer; its signatures."""
    tenants = party_tenants(cooperation)
    answers = {p.tenant_id: p for p in cooperation.participations.all()}
    signatures: dict[int, dict] = {}
    for signature in PartySignature.objects.filter(cooperation=cooperation):
        signatures.setdefault(signature.tenant_id, {})[signature.instrument] = signature
    return [
        PartnerRow(
            tenant=t,
            is_owner=t.pk == cooperation.owner_id,
            answer=answers.get(t.pk),
            signatures=signatures.get(t.pk, {}),
        )
        for t in tenants
    ]


def agreement_in_register(cooperation_pk: int) -> Agreement | None:
    """This region's own working record of the shared record, if its register holds one."""
    return Agreement.objects.filter(cooperation_id=cooperation_pk).first()


def _owner_agreement(cooperation: Cooperation) -> Agreement | None:
    """The owner region's working record (its schema), as a reference for its history."""
    if cooperation.owner_id is None:
        return None
    owner = Tenant.objects.get(pk=cooperation.owner_id)
    with tenant_context(owner):
        pk = (
            Agreement.objects.filter(cooperation_id=cooperation.pk)
            .values_list("pk", flat=True)
            .first()
        )
    return Agreement(pk=pk) if pk is not None else None


# --- Answering an offer --------------------------------------------------------------------------


def _locked_offer(membership: Membership, cooperation_pk: int) -> Cooperation:
    tenant = membership.tenant
    cooperation = offered_to(tenant).filter(pk=cooperation_pk).first()
    if cooperation is None:
        raise Http404
    cooperation = Cooperation.objects.select_for_update().get(pk=cooperation.pk)
    if cooperation.stage in CLOSED:
        raise Conflict(
            _("This agreement is %(stage)s; there is nothing to answer.")
            % {"stage": cooperation.get_stage_display().lower()},
            code=AgreementError.OFFER_CLOSED,
        )
    if (
        Participation.objects.filter(cooperation=cooperation, tenant=tenant).exists()
        or Agreement.objects.filter(cooperation_id=cooperation.pk).exists()
    ):
        raise Conflict(
            _("Your region has already answered this offer."),
            code=AgreementError.ALREADY_ANSWERED,
        )
    return cooperation


@top_level
def accept_offer(*, membership: Membership, cooperation_pk: int) -> Agreement:
    """The region joins the agreement: its register gets its own working record, linked to
    the same shared record."""
    _require(
        membership,
        AgreementPerm.ANSWER_OFFERS,
        _("Only the cooperation office answers another region's offer."),
    )
    user = membership.user
    with transaction.atomic():
        cooperation = _locked_offer(membership, cooperation_pk)
        agreement = Agreement.objects.create(
            cooperation=cooperation, created_by=user, created_by_email=user.email
        )
        _record_answer(membership, cooperation, Answer.ACCEPTED, agreement=agreement)
    return agreement


@top_level
def decline_offer(*, membership: Membership, cooperation_pk: int, reason: str) -> Participation:
    """The region declines, saying why. Its register gets nothing."""
    _require(
        membership,
        AgreementPerm.ANSWER_OFFERS,
        _("Only the cooperation office answers another region's offer."),
    )
    reason = (reason or "").strip()
    if not reason:
        raise field_error(
            "reason", _("Say why your region declines."), AgreementError.REASON_REQUIRED
        )
    with transaction.atomic():
        cooperation = _locked_offer(membership, cooperation_pk)
        return _record_answer(membership, cooperation, Answer.DECLINED, reason=reason)


# Each answer to an offer: its event in the answering region's history, its event in the owner's,
# and what the other parties are told.
_ANSWERS = {
    Answer.ACCEPTED: (
        "agreement.offer_accepted",
        "agreement.partner_accepted",
        gettext_lazy("%(region)s accepted the offer"),
    ),
    Answer.DECLINED: (
        "agreement.offer_declined",
        "agreement.partner_declined",
        gettext_lazy("%(region)s declined the offer"),
    ),
}


def _record_answer(
    membership: Membership,
    cooperation: Cooperation,
    answer: Answer,
    *,
    agreement: Agreement | None = None,
    reason: str = "",
) -> Participation:
    """The region's answer to an offer, inside the caller's transaction on the locked record:
    its Participation row, the event in its own history (on its new agreement or, declined, on
    the shared record) and in the owner's, and the other parties told after the commit."""
    tenant, user = membership.tenant, membership.user
    own_event, owner_event, told = _ANSWERS[answer]
    participation = Participation.objects.create(
        cooperation=cooperation,
        tenant=tenant,
        answer=answer,
        reason=reason,
        agreement_id=agreement.pk if agreement is not None else None,
        answered_by=user,
        answered_by_email=user.email,
    )
    # The owner region (None once its space is gone: then only the answering region's history).
    owner = cooperation.owner
    because = {"reason": reason} if reason else {}
    audit.record(
        own_event,
        actor=user,
        tenant=tenant,
        obj=agreement if agreement is not None else cooperation,
        data={
            "title": cooperation.title,
            "owner": owner.region_id if owner is not None else None,
            "cooperation": cooperation.pk,
            **because,
        },
    )
    if owner is not None:
        audit.record(
            owner_event,
            actor=user,
            tenant=owner,
            obj=_owner_agreement(cooperation),
            data={"title": cooperation.title, "partner": tenant.region_id, **because},
        )
    notify_other_parties(
        tenant=tenant, cooperation=cooperation, actor=user, event=told % {"region": tenant.name}
    )
    return participation


# --- Signing as one of several party regions ---------------------------------------------------


def signing_instrument(cooperation: Cooperation) -> str | None:
    """The instrument being signed at the record's stage (None when nothing is)."""
    return SIGNING_STAGES.get(cooperation.stage)


def may_sign_as_party(tenant: Tenant, cooperation: Cooperation) -> bool:
    """Offered on the page: the record is being signed, other party regions are on Jejaring,
    this region has not signed yet and is not the last to sign (the last one records the
    signing itself, through the lifecycle)."""
    instrument = signing_instrument(cooperation)
    if instrument is None:
        return False
    if PartySignature.objects.filter(
        cooperation=cooperation, tenant=tenant, instrument=instrument
    ).exists():
        return False
    return bool(awaiting_signatures(cooperation, instrument, acting_tenant=tenant))


def _check_own_dprd(agreement: Agreement, cooperation: Cooperation) -> None:
    condition = lifecycle.DPRD_CLEARED
    if not condition.holds(agreement, cooperation):
        raise ValidationError(str(condition.message), code=condition.code)


@top_level
def sign_as_party(
    *,
    membership: Membership,
    agreement: Agreement,
    version: int,
    signed_on,
    document=None,
    confirms: int | None = None,
) -> PartySignature:
    """Record this region's signature of the instrument being signed: with the signed copy it
    uploads (a checked PDF), or by confirming a signed copy another party uploaded (`confirms`,
    its id). The signing completes only when every party region has signed (lifecycle)."""
    _require(
        membership,
        AgreementPerm.RUN_AGREEMENT_LIFECYCLE,
        _("Only the cooperation office signs for the region."),
    )
    tenant, user = membership.tenant, membership.user
    if not signed_on:
        raise field_error(
            "signed_on", _("Give the date of signing."), AgreementError.SIGNING_DATE_REQUIRED
        )
    if document is None and not confirms:
        raise field_error(
            "document",
            _("Upload your signed copy (PDF), or confirm a copy another party uploaded."),
            AgreementError.SIGNED_DOCUMENT_REQUIRED,
        )
    if document is not None:
        validate_agreement_pdf(document)
    stored = None
    try:
        with transaction.atomic():
            agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
            cooperation = lifecycle.lock_current(agreement=agreement, version=version)
            instrument = signing_instrument(cooperation)
            if instrument is None:
                raise Conflict(
                    _("Nothing is being signed at the stage %(stage)s.")
                    % {"stage": cooperation.get_stage_display()},
                    code=AgreementError.NOT_SIGNING_NOW,
                )
            if instrument == Instrument.PKS:
                # Each party's own DPRD step: this region signs the PKS only once its DPRD has
                # approved, when its cooperation needs that (its private record, its rule).
                _check_own_dprd(agreement, cooperation)
            own = cooperation.parties.filter(region_id=tenant.region_id).first()
            if own is None:
                raise Conflict(
                    _("Your region is not a party to this agreement."),
                    code=AgreementError.NOT_A_PARTY,
                )
            if not own.has_signatory:
                raise ValidationError(
                    _(
                        "Name your region's signatory, their position and basis of authority "
                        "before signing."
                    ),
                    code=AgreementError.SIGNATORIES_REQUIRED,
                )
            if PartySignature.objects.filter(
                cooperation=cooperation, tenant=tenant, instrument=instrument
            ).exists():
                raise Conflict(
                    _("Your region has already signed it."), code=AgreementError.ALREADY_SIGNED
                )
            if not awaiting_signatures(cooperation, instrument, acting_tenant=tenant):
                raise Conflict(
                    _(
                        "Every other party region has signed: record the signing itself, with "
                        "the complete signed document, as the next step."
                    ),
                    code=AgreementError.TRANSITION_NOT_ALLOWED,
                )
            if document is not None:
                copy = SignedDocument(
                    cooperation=cooperation,
                    instrument=instrument,
                    signed_on=signed_on,
                    original_name=getattr(document, "name", "")[:255],
                    size=document.size,
                    sha256=sha256_of(document),
                    stored_schema=connection.schema_name,
                    uploaded_by=user,
                    uploaded_by_email=user.email,
                )
                copy.file.save(document.name, document, save=False)
                stored = copy.file
                copy.save()
                request_signature_check(
                    sha256=copy.sha256, schema=copy.stored_schema, name=copy.file.name
                )
            else:
                chosen = (
                    SignedDocument.objects.filter(
                        cooperation=cooperation, instrument=instrument, pk=confirms
                    ).first()
                    if confirms is not None
                    else None
                )
                if chosen is None:
                    raise field_error(
                        "confirms",
                        _("Choose a signed copy of this agreement."),
                        AgreementError.SIGNED_DOCUMENT_REQUIRED,
                    )
                copy = chosen
            signature = record_signature(
                cooperation=cooperation,
                tenant=tenant,
                instrument=instrument,
                signed_on=signed_on,
                document=copy,
                user=user,
            )
            cooperation.version = F("version") + 1
            cooperation.save(update_fields=["version"])
            audit.record(
                "agreement.party_signed",
                actor=user,
                tenant=tenant,
                obj=agreement,
                data={
                    "title": cooperation.title,
                    "region": tenant.region_id,
                    "instrument": instrument,
                    "signed_on": signed_on.isoformat(),
                    "file": copy.original_name,
                    "sha256": copy.sha256,
                },
            )
            notify_other_parties(
                tenant=tenant,
                cooperation=cooperation,
                actor=user,
                event=_("%(region)s signed the %(instrument)s")
                % {"region": tenant.name, "instrument": Instrument(instrument).label},
            )
    except BaseException:
        if stored is not None:
            stored.delete(save=False)
        raise
    return signature


# --- Meetings between the parties --------------------------------------------------------------


@top_level
def record_meeting(
    *,
    membership: Membership,
    agreement: Agreement,
    held_on,
    place: str,
    host: Region | None,
    attendees: str,
    minutes: str = "",
    decisions: str = "",
    next_steps: str = "",
) -> Meeting:
    """A meeting between the parties, on the shared record: every party sees it."""
    _require(
        membership,
        AgreementPerm.RECORD_MEETINGS,
        _("Your role does not record meetings."),
    )
    tenant, user = membership.tenant, membership.user
    cooperation = Cooperation.objects.get(pk=agreement.cooperation_id)
    errors = {}
    if not held_on:
        errors["held_on"] = ValidationError(
            _("Give the date of the meeting."), code=AgreementError.MEETING_INCOMPLETE
        )
    if not (place or "").strip():
        errors["place"] = ValidationError(
            _("Say where it was held."), code=AgreementError.MEETING_INCOMPLETE
        )
    if not (attendees or "").strip():
        errors["attendees"] = ValidationError(
            _("List who attended."), code=AgreementError.MEETING_INCOMPLETE
        )
    if host is not None and not cooperation.parties.filter(region=host).exists():
        errors["host"] = ValidationError(
            _("The hosting region must be one of the parties."), code=AgreementError.NOT_A_PARTY
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        meeting = Meeting.objects.create(
            cooperation=cooperation,
            held_on=held_on,
            place=place.strip(),
            host=host,
            attendees=attendees.strip(),
            minutes=(minutes or "").strip(),
            decisions=(decisions or "").strip(),
            next_steps=(next_steps or "").strip(),
            recorded_by=user,
            recorded_by_email=user.email,
            recorded_by_tenant=tenant,
        )
        audit.record(
            "agreement.meeting_recorded",
            actor=user,
            tenant=tenant,
            obj=agreement,
            data={
                "title": cooperation.title,
                "held_on": meeting.held_on.isoformat(),
                "place": meeting.place,
                "host": host.code if host else None,
            },
        )
        notify_other_parties(
            tenant=tenant,
            cooperation=cooperation,
            actor=user,
            event=_("a meeting of %(date)s was recorded") % {"date": meeting.held_on.isoformat()},
        )
    return meeting


def meetings_of(cooperation_pk: int):
    return Meeting.objects.filter(cooperation_id=cooperation_pk).select_related(
        "host", "recorded_by_tenant"
    )
