"""The register's actions: create an agreement (or enter an old one as signed), edit it, file
an internal document. The lifecycle's moves are in lifecycle.py, the TKKSD's in reviews.py.

Each action checks the permission (tenants.policy), validates, writes atomically, records the
audit event and leaves side effects to after the commit.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Field
from django.utils import translation
from django.utils.translation import gettext as _

from agreements.models import PRIVATE_FIELDS, Agreement, InternalDocument
from agreements.register import lifecycle
from agreements.register.documents import sha256_of, validate_agreement_pdf
from agreements.register.parties import PartyData, write_parties
from cooperation import urusan as urusan_codes
from cooperation.errors import AgreementError
from cooperation.models import (
    PARTNER_KIND_FOR,
    SHARED_FIELDS,
    Cooperation,
    Instrument,
    Party,
    PartyKind,
    Stage,
)
from cooperation.policy import AgreementPerm
from core.actions import top_level
from core.errors import Conflict, Forbidden
from core.files import removed_on_failure
from tenants import audit
from tenants.members import ensure_writable
from tenants.models import Membership, Region, Tenant
from tenants.policy import Perm, has_perm


def _require(membership: Membership, perm: Perm | AgreementPerm, message: str) -> None:
    ensure_writable(membership.tenant)
    if not has_perm(membership.user, membership.tenant, perm, membership=membership):
        raise Forbidden(message)


def _own_region(tenant: Tenant) -> Region:
    """The region whose register it is (a space without a region keeps none)."""
    if tenant.region is None:
        raise Conflict(
            _("Only a region's space keeps an agreements register."),
            code=AgreementError.NO_REGION,
        )
    return tenant.region


# --- Validation of the register's input --------------------------------------------------------


def _validate_terms(fields: dict) -> None:
    errors: dict[str, ValidationError] = {}
    start, end = fields.get("term_start"), fields.get("term_end")
    if start and end and end < start:
        errors["term_end"] = ValidationError(
            _("The term cannot end before it starts."), code=AgreementError.TERM_END_BEFORE_START
        )
    codes = list(fields.get("urusan") or [])
    if not codes:
        errors["urusan"] = ValidationError(
            _("Choose at least one urusan."), code=AgreementError.URUSAN_REQUIRED
        )
    elif unknown := [c for c in codes if c not in urusan_codes.NAMES]:
        errors["urusan"] = ValidationError(
            _("Unknown urusan code: %(codes)s.") % {"codes": ", ".join(unknown)},
            code=AgreementError.UNKNOWN_URUSAN,
        )
    if not (fields.get("title") or "").strip():
        errors["title"] = ValidationError(
            _("Give the agreement a title."), code=AgreementError.TITLE_REQUIRED
        )
    if errors:
        raise ValidationError(errors)


def _with_own_region(parties: list[PartyData], region: Region) -> list[PartyData]:
    """The region itself is always a party (first, unless the person placed it)."""
    if any(p.kind == PartyKind.REGION and p.region == region for p in parties):
        return parties
    return [PartyData(kind=PartyKind.REGION, region=region), *parties]


def _validate_parties(kind: str, parties: list[PartyData], region: Region) -> None:
    for index, party in enumerate(parties, start=1):
        if party.kind == PartyKind.REGION and party.region is None:
            raise ValidationError(
                _("Party %(n)s: choose the region from the registry.") % {"n": index},
                code=AgreementError.PARTY_INCOMPLETE,
            )
        if (
            party.kind == PartyKind.REGION
            and party.region is not None
            and not party.region.is_autonomous
        ):
            raise ValidationError(
                _("Party %(n)s: only a province, kabupaten or kota can be a party.") % {"n": index},
                code=AgreementError.PARTY_INCOMPLETE,
            )
        if party.kind != PartyKind.REGION and not party.name.strip():
            raise ValidationError(
                _("Party %(n)s: give the organisation's name.") % {"n": index},
                code=AgreementError.PARTY_INCOMPLETE,
            )
    regions = [p.region.code for p in parties if p.region is not None]
    if len(regions) != len(set(regions)):
        raise ValidationError(
            _("A region appears twice among the parties."), code=AgreementError.PARTY_INCOMPLETE
        )
    partners = [p for p in parties if not (p.kind == PartyKind.REGION and p.region == region)]
    if not partners:
        raise ValidationError(
            _("Name at least one partner besides %(region)s.") % {"region": region.full_name},
            code=AgreementError.PARTNER_REQUIRED,
        )
    wanted = PARTNER_KIND_FOR[kind]
    if not any(p.kind == wanted for p in partners):
        raise ValidationError(
            _("This kind of cooperation needs a partner of the kind “%(kind)s”.")
            % {"kind": PartyKind(wanted).label},
            code=AgreementError.PARTY_KIND_MISMATCH,
        )


def _validate_parent(parent: Agreement | None) -> Cooperation | None:
    if parent is None:
        return None
    cooperation = Cooperation.objects.get(pk=parent.cooperation_id)
    if cooperation.parent_id is not None:
        raise ValidationError(
            {
                "parent": ValidationError(
                    _("“%(title)s” is itself a PKS; a PKS falls under a KSB.")
                    % {"title": cooperation.title},
                    code=AgreementError.PARENT_NOT_KSB,
                )
            }
        )
    return cooperation


# --- Writing -----------------------------------------------------------------------------------


def _snapshot(cooperation: Cooperation, agreement: Agreement) -> dict:
    return {
        "title": cooperation.title,
        "kind": cooperation.kind,
        "urusan": list(cooperation.urusan),
        "term_start": cooperation.term_start.isoformat() if cooperation.term_start else None,
        "term_end": cooperation.term_end.isoformat() if cooperation.term_end else None,
        "dprd_required": agreement.dprd_required,
    }


@top_level
def create_agreement(
    *,
    membership: Membership,
    fields: dict,
    parties: list[PartyData],
    private: dict,
    parent: Agreement | None = None,
) -> Agreement:
    """A new agreement in preparation, in this region's register."""
    _require(membership, AgreementPerm.EDIT_AGREEMENTS, _("Your role does not add agreements."))
    return _create(
        membership=membership,
        fields=fields,
        parties=parties,
        private=private,
        parent=parent,
        stage=Stage.PREPARATION,
    )


@top_level
def register_signed_agreement(
    *,
    membership: Membership,
    fields: dict,
    parties: list[PartyData],
    private: dict,
    instrument: str,
    signing: dict,
    document,
    parent: Agreement | None = None,
) -> Agreement:
    """An agreement signed before the region used Jejaring, entered directly as signed (the
    KSB or the PKS), with its signed document and signatories like any signing."""
    _require(membership, AgreementPerm.EDIT_AGREEMENTS, _("Your role does not add agreements."))
    if instrument not in (Instrument.KSB, Instrument.PKS):
        raise ValidationError(
            _("Choose whether the KSB or the PKS was signed."),
            code=AgreementError.TRANSITION_NOT_ALLOWED,
        )
    return _create(
        membership=membership,
        fields=fields,
        parties=parties,
        private=private,
        parent=parent,
        stage=Stage.PREPARATION,
        signed=(instrument, signing, document),
    )


def _create(*, membership, fields, parties, private, parent, stage, signed=None) -> Agreement:
    tenant, user = membership.tenant, membership.user
    _validate_terms(fields)
    region = _own_region(tenant)
    parties = _with_own_region(parties, region)
    _validate_parties(fields["kind"], parties, region)
    stored: list = []
    try:
        with transaction.atomic():
            parent_coop = _validate_parent(parent)
            cooperation = Cooperation.objects.create(
                **{name: fields.get(name) or _empty(name) for name in SHARED_FIELDS},
                parent=parent_coop,
                stage=stage,
                owner=tenant,
            )
            write_parties(cooperation, parties)
            agreement = Agreement.objects.create(
                cooperation=cooperation,
                created_by=user,
                created_by_email=user.email,
                **{name: private.get(name, _default(name)) for name in PRIVATE_FIELDS},
            )
            data = _snapshot(cooperation, agreement)
            if signed is None:
                audit.record(
                    "agreement.created", actor=user, tenant=tenant, obj=agreement, data=data
                )
            else:
                instrument, signing, document = signed
                move = lifecycle.Move(
                    membership=membership,
                    agreement=agreement,
                    cooperation=cooperation,
                    data=signing,
                    document=document,
                    stored=stored,
                )
                lifecycle.enter_signed(move, instrument=instrument)
                audit.record(
                    "agreement.registered_signed",
                    actor=user,
                    tenant=tenant,
                    obj=agreement,
                    data={**data, **move.audit_data, "instrument": instrument},
                )
    except BaseException:
        for file in stored:
            file.delete(save=False)
        raise
    return agreement


def _empty(name: str):
    return [] if name == "urusan" else (None if name.startswith("term_") else "")


def _default(name: str):
    field = Agreement._meta.get_field(name)
    return field.get_default() if isinstance(field, Field) else None


@top_level
def update_agreement(
    *,
    membership: Membership,
    agreement: Agreement,
    version: int,
    private: dict,
    fields: dict | None = None,
    parties: list[PartyData] | None = None,
) -> Agreement:
    """Edit an agreement. Its shared terms and parties change only until it is signed (then by
    an addendum); the region's private fields always. Refused with a conflict when someone
    else saved it since the person loaded it (`version`)."""
    _require(membership, AgreementPerm.EDIT_AGREEMENTS, _("Your role does not edit agreements."))
    tenant, user = membership.tenant, membership.user
    if fields is not None:
        _validate_terms(fields)
    if parties is not None:
        region = _own_region(tenant)
        parties = _with_own_region(parties, region)
        _validate_parties((fields or {}).get("kind") or agreement.cooperation.kind, parties, region)
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        cooperation = lifecycle.lock_current(agreement=agreement, version=version)
        if (fields is not None or parties is not None) and cooperation.signed_on is not None:
            raise ValidationError(
                _("It is signed: its terms and parties change only by an addendum."),
                code=AgreementError.AGREEMENT_LOCKED,
            )
        # Fields, and the parties' name: each named in the history by its verbose name.
        changed: list[object] = []
        if fields is not None:
            for name in SHARED_FIELDS:
                value = fields.get(name) or _empty(name)
                if getattr(cooperation, name) != value:
                    setattr(cooperation, name, value)
                    changed.append(Cooperation._meta.get_field(name))
        if parties is not None:
            before = [
                (
                    p.kind,
                    p.region_id,
                    p.name,
                    p.document_number,
                    p.signatory_name,
                    p.signatory_position,
                    p.signatory_authority,
                )
                for p in cooperation.parties.all()
            ]
            after = [
                (
                    p.kind,
                    p.region.code if p.region else None,
                    p.region.full_name if p.region else p.name.strip(),
                    p.document_number,
                    p.signatory_name,
                    p.signatory_position,
                    p.signatory_authority,
                )
                for p in parties
            ]
            if before != after:
                write_parties(cooperation, parties)
                changed.append(Party._meta.verbose_name_plural)
        for name in PRIVATE_FIELDS:
            if name in private and getattr(agreement, name) != private[name]:
                setattr(agreement, name, private[name])
                changed.append(Agreement._meta.get_field(name))
        if not changed:
            return agreement
        agreement.save()
        cooperation.version = F("version") + 1
        cooperation.save()
        # The changed fields' names in the platform's language, like its e-mail: the history
        # says which parts changed, not their (possibly internal) values.
        with translation.override(settings.LANGUAGE_CODE):
            names = [str(getattr(f, "verbose_name", f)) for f in changed]
        audit.record(
            "agreement.updated",
            actor=user,
            tenant=tenant,
            obj=agreement,
            data={"title": cooperation.title, "changed": names},
        )
    return agreement


def file_internal_document(
    *, membership: Membership, agreement: Agreement, title: str, file
) -> InternalDocument:
    """A document of the region's own chain, private to the region."""
    _require(
        membership, AgreementPerm.EDIT_AGREEMENTS, _("Your role does not file agreement documents.")
    )
    if not title.strip():
        raise ValidationError(
            {
                "title": ValidationError(
                    _("Give the document a title."), code=AgreementError.TITLE_REQUIRED
                )
            }
        )
    validate_agreement_pdf(file)
    user = membership.user
    document = InternalDocument(
        agreement=agreement,
        title=title.strip(),
        original_name=getattr(file, "name", "")[:255],
        size=file.size,
        sha256=sha256_of(file),
        uploaded_by=user,
        uploaded_by_email=user.email,
    )
    document.file.save(file.name, file, save=False)
    # The file is stored first, outside; the row and its event in a durable block (core.actions).
    with removed_on_failure(document.file), transaction.atomic(durable=True):
        document.save()
        audit.record(
            "agreement.document_filed",
            actor=user,
            tenant=membership.tenant,
            obj=agreement,
            data={
                "title": document.title,
                "file": document.original_name,
                "sha256": document.sha256,
            },
        )
    return document
