"""The lifecycle of an agreement: ONE table of transitions, and the one action that runs them.

The stages follow the regulation's order (cooperation.models.Stage). Each transition says from
which stages it starts, where it leads, which conditions of the agreement must hold (they also
decide whether it is offered at all), and which input it needs. `advance` is the only way a
stage changes, for the web views, commands and the coming API alike: it checks the permission
(tenants.policy), the version the person saw, the stage and the conditions, validates the input,
writes atomically, records the audit event and sends the notifications after commit.

A KSB (framework) runs preparation → offer → KSB drafting → KSB signed, then either in force
(implementation) with its PKS as agreements of their own (`parent`), or on to the DPRD step
(only when required) and its own PKS. A PKS under a KSB skips the KSB stages and may be signed
only once its KSB is.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.models import Agreement
from agreements.partners.mail import notify_partners_of_offer
from agreements.register import stages
from agreements.register.documents import sha256_of, validate_agreement_pdf
from agreements.register.notifications import notify_admins
from agreements.register.parties import copy_parties
from cooperation.errors import AgreementError
from cooperation.models import (
    SHARED_FIELDS,
    Cooperation,
    EndReason,
    Instrument,
    SignedDocument,
    Stage,
)
from cooperation.policy import AgreementPerm
from cooperation.shared_partners import awaiting_signatures, record_signature
from cooperation.shared_proposals import notify_proposer_of_stage
from core.actions import top_level
from core.errors import Conflict, Forbidden, StaleVersion, field_error
from public_registry import publishing
from signatures.actions import request_check as request_signature_check
from tenants import audit
from tenants.members import ensure_writable
from tenants.models import Membership
from tenants.policy import has_perm

# --- Conditions: facts about the agreement a transition needs (offered only when they hold) ---


@dataclass(frozen=True)
class Condition:
    holds: Callable[[Agreement, Cooperation], bool]
    code: str
    message: Any  # lazy


def _has_own_ksb(agreement: Agreement, coop: Cooperation) -> bool:
    return coop.parent_id is None


def _dprd_required(agreement: Agreement, coop: Cooperation) -> bool:
    return agreement.dprd_required


def _dprd_done_or_not_required(agreement: Agreement, coop: Cooperation) -> bool:
    return not agreement.dprd_required or agreement.dprd_decided_on is not None


def _nothing_signed(agreement: Agreement, coop: Cooperation) -> bool:
    return coop.signed_on is None


def _something_signed(agreement: Agreement, coop: Cooperation) -> bool:
    return coop.signed_on is not None


NO_OWN_KSB = Condition(
    _has_own_ksb,
    AgreementError.TRANSITION_NOT_ALLOWED,
    gettext_lazy("This PKS is under a KSB; it has no KSB of its own to draft."),
)
DPRD_REQUIRED = Condition(
    _dprd_required,
    AgreementError.DPRD_NOT_REQUIRED,
    gettext_lazy(
        "The DPRD step applies only when the cooperation burdens the public or the region, or "
        "its funding is not in the current budget. Neither is recorded for this agreement."
    ),
)
DPRD_CLEARED = Condition(
    _dprd_done_or_not_required,
    AgreementError.DPRD_REQUIRED,
    gettext_lazy(
        "This cooperation needs the DPRD's approval first: it burdens the public or the region, "
        "or its funding is not in the current budget."
    ),
)
NOTHING_SIGNED = Condition(
    _nothing_signed,
    AgreementError.ALREADY_SIGNED,
    gettext_lazy("It has been signed: terminate it instead of rejecting it."),
)
SOMETHING_SIGNED = Condition(
    _something_signed,
    AgreementError.TRANSITION_NOT_ALLOWED,
    gettext_lazy("Nothing has been signed yet."),
)


def _owned_here(agreement: Agreement, coop: Cooperation) -> bool:
    # Asked in the schema of the region acting (tenant_context / the request's host).
    return coop.owner_id == getattr(connection, "tenant", None).pk


# Moves that end or change the agreement for every party: the region that owns the shared
# record makes them (a partner region asks it to); partners sign and answer as parties.
OWNER_ONLY = Condition(
    _owned_here,
    AgreementError.OWNER_ONLY,
    gettext_lazy(
        "Only the region that owns this agreement ends, extends, amends or rejects it for every "
        "party. Ask its cooperation office."
    ),
)


# --- The input of a move, and the checks on it -------------------------------------------------


@dataclass
class Move:
    """One run of a transition: who, on what, with which input."""

    membership: Membership
    agreement: Agreement
    cooperation: Cooperation
    data: dict
    document: Any = None
    today: datetime.date = field(default_factory=timezone.localdate)
    stored: list = field(default_factory=list)  # files written, removed if the move fails
    audit_data: dict = field(default_factory=dict)

    @property
    def user(self):
        return self.membership.user


def _check_signatories(move: Move) -> None:
    parties = list(move.cooperation.parties.all())
    if len(parties) < 2:
        raise field_error(
            None,
            _("An agreement needs at least two parties before it is signed."),
            AgreementError.PARTNER_REQUIRED,
        )
    missing = [p.name for p in parties if not p.has_signatory]
    if missing:
        raise field_error(
            None,
            _(
                "Name the signatory, their position and basis of authority for every party "
                "before signing. Missing for: %(parties)s."
            )
            % {"parties": ", ".join(missing)},
            AgreementError.SIGNATORIES_REQUIRED,
        )


def _check_signing_input(move: Move) -> None:
    if move.document is None:
        raise field_error(
            "document",
            _("Upload the signed document (PDF) to record the signing."),
            AgreementError.SIGNED_DOCUMENT_REQUIRED,
        )
    if not move.data.get("signed_on"):
        raise field_error(
            "signed_on", _("Give the date of signing."), AgreementError.SIGNING_DATE_REQUIRED
        )
    validate_agreement_pdf(move.document)


def _others_signed(instrument: str) -> Callable[[Move], None]:
    """With two or more party regions on Jejaring, the signing completes only when every one of
    them has signed: the others first (agreements/partners/actions.py), the one recording it
    last."""

    def check(move: Move) -> None:
        waiting = awaiting_signatures(
            move.cooperation, instrument, acting_tenant=move.membership.tenant
        )
        if waiting:
            raise field_error(
                None,
                _(
                    "Every party region signs before the signing is complete. Still waiting "
                    "for the signature of: %(regions)s."
                )
                % {"regions": ", ".join(t.name for t in waiting)},
                AgreementError.PARTIES_NOT_SIGNED,
            )

    return check


def _check_parent_ksb_signed(move: Move) -> None:
    parent_id = move.cooperation.parent_id
    if parent_id is None:
        return
    parent = Cooperation.objects.get(pk=parent_id)
    if parent.ksb_signed_on is None:
        raise field_error(
            None,
            _("The KSB “%(title)s” this PKS falls under is not signed yet; sign it first.")
            % {"title": parent.title},
            AgreementError.KSB_NOT_SIGNED,
        )


def _check_dprd_decision(move: Move) -> None:
    if not (move.data.get("dprd_decision_number", "").strip() and move.data.get("dprd_decided_on")):
        raise field_error(
            None,
            _("Give the number and the date of the DPRD's decision."),
            AgreementError.DPRD_DECISION_REQUIRED,
        )


def _check_reason(move: Move) -> None:
    if not move.data.get("reason", "").strip():
        raise field_error("reason", _("Give the reason."), AgreementError.REASON_REQUIRED)


def _check_termination(move: Move) -> None:
    _check_reason(move)
    ended_on = move.data.get("ended_on")
    if ended_on is None:
        raise field_error("ended_on", _("Give the date it ends."), AgreementError.END_BEFORE_START)
    coop = move.cooperation
    earliest = max(d for d in (coop.term_start, coop.signed_on) if d is not None)
    if ended_on < earliest:
        raise field_error(
            "ended_on",
            _("It cannot end before it started (%(date)s).") % {"date": earliest.isoformat()},
            AgreementError.END_BEFORE_START,
        )


def _check_expired(move: Move) -> None:
    term_end = move.cooperation.term_end
    if term_end is None or term_end >= move.today:
        raise field_error(
            None,
            _("Its term has not ended yet (term end: %(date)s).")
            % {"date": term_end.isoformat() if term_end else "—"},
            AgreementError.NOT_YET_EXPIRED,
        )


def _check_renewal(move: Move) -> None:
    new_end = move.data.get("term_end")
    current_end = move.cooperation.term_end
    if new_end is None or (current_end is not None and new_end <= current_end):
        raise field_error(
            "term_end",
            _("The renewal's term must end after the current one."),
            AgreementError.TERM_END_BEFORE_START,
        )


def _check_addendum(move: Move) -> None:
    if not move.data.get("title", "").strip():
        raise field_error("title", _("Give the addendum a title."), AgreementError.TITLE_REQUIRED)
    _check_signing_input(move)


# --- Effects: what a move writes besides the stage ---------------------------------------------


def _store_signed(move: Move, cooperation: Cooperation, instrument: str) -> SignedDocument:
    upload = move.document
    document = SignedDocument(
        cooperation=cooperation,
        instrument=instrument,
        signed_on=move.data["signed_on"],
        signing_place=move.data.get("signing_place", ""),
        original_name=getattr(upload, "name", "")[:255],
        size=upload.size,
        sha256=sha256_of(upload),
        stored_schema=connection.schema_name,
        uploaded_by=move.user,
        uploaded_by_email=move.user.email,
    )
    document.file.save(upload.name, upload, save=False)
    move.stored.append(document.file)
    document.save()
    # Its electronic signatures are checked by the worker after the commit, never here.
    request_signature_check(
        sha256=document.sha256, schema=document.stored_schema, name=document.file.name
    )
    return document


def _signing(instrument: str) -> Callable[[Move], None]:
    def effect(move: Move) -> None:
        coop = move.cooperation
        document = _store_signed(move, coop, instrument)
        coop.signed_on = document.signed_on
        coop.signing_place = document.signing_place
        if move.data.get("signing_mode"):
            coop.signing_mode = move.data["signing_mode"]
        if instrument == Instrument.KSB:
            coop.ksb_signed_on = document.signed_on
        # The region recording the signing signs last (the others have: _others_signed).
        record_signature(
            cooperation=coop,
            tenant=move.membership.tenant,
            instrument=instrument,
            signed_on=document.signed_on,
            document=document,
            user=move.user,
        )
        move.audit_data.update(
            signed_on=document.signed_on.isoformat(),
            place=document.signing_place,
            file=document.original_name,
            sha256=document.sha256,
        )

    return effect


def _offer(move: Move) -> None:
    notify_partners_of_offer(
        tenant=move.membership.tenant, cooperation=move.cooperation, actor=move.user
    )


def _record_dprd(move: Move) -> None:
    agreement = move.agreement
    agreement.dprd_decision_number = move.data["dprd_decision_number"].strip()
    agreement.dprd_decided_on = move.data["dprd_decided_on"]
    agreement.save(update_fields=["dprd_decision_number", "dprd_decided_on"])
    move.audit_data.update(
        number=agreement.dprd_decision_number, date=agreement.dprd_decided_on.isoformat()
    )


def _expire(move: Move) -> None:
    coop = move.cooperation
    coop.end_reason, coop.ended_on = EndReason.EXPIRED, coop.term_end
    move.audit_data.update(ended_on=coop.term_end.isoformat())


def _terminate(move: Move) -> None:
    coop = move.cooperation
    coop.end_reason = EndReason.TERMINATED
    coop.closing_note = move.data["reason"].strip()
    coop.ended_on = move.data["ended_on"]
    move.audit_data.update(reason=coop.closing_note, ended_on=coop.ended_on.isoformat())


def _reject(move: Move) -> None:
    coop = move.cooperation
    coop.closing_note = move.data["reason"].strip()
    coop.ended_on = move.today
    move.audit_data.update(reason=coop.closing_note)


def _copy(move: Move, **changes) -> tuple[Cooperation, Agreement]:
    """A new agreement with the same terms and parties (a renewal or an addendum), in this
    region's register too."""
    source = move.cooperation
    fields = {name: getattr(source, name) for name in (*SHARED_FIELDS, "signing_mode", "parent_id")}
    fields.update(owner_id=source.owner_id, **changes)
    copy = Cooperation.objects.create(**fields)
    copy_parties(source=source, target=copy)
    agreement = Agreement.objects.create(
        cooperation=copy,
        burdens_public=move.agreement.burdens_public,
        funded_in_current_budget=move.agreement.funded_in_current_budget,
        responsible_opd=move.agreement.responsible_opd,
        created_by=move.user,
        created_by_email=move.user.email,
    )
    return copy, agreement


def _extend(move: Move) -> None:
    coop = move.cooperation
    coop.end_reason, coop.ended_on = EndReason.EXTENDED, coop.term_end or move.today
    start = coop.term_end + datetime.timedelta(days=1) if coop.term_end else move.today
    renewal, agreement = _copy(
        move, renews=coop, stage=Stage.PREPARATION, term_start=start, term_end=move.data["term_end"]
    )
    move.audit_data.update(renewal=agreement.pk, term_end=renewal.term_end.isoformat())


def _amend(move: Move) -> None:
    coop = move.cooperation
    addendum, agreement = _copy(
        move, amends=coop, stage=coop.stage, title=move.data["title"].strip(), parent_id=None
    )
    document = _store_signed(move, addendum, Instrument.ADDENDUM)
    addendum.signed_on, addendum.signing_place = document.signed_on, document.signing_place
    addendum.save(update_fields=["signed_on", "signing_place"])
    move.audit_data.update(
        addendum=agreement.pk,
        addendum_title=addendum.title,
        signed_on=document.signed_on.isoformat(),
        file=document.original_name,
        sha256=document.sha256,
    )


# --- The table ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    name: str
    label: Any  # lazy: the button
    sources: frozenset[str]
    target: str | None  # None: the stage stays (an addendum)
    audit_action: str
    form: str = ""  # the input it asks for: signing, dprd, reason, termination, renewal, addendum
    conditions: tuple[Condition, ...] = ()
    checks: tuple[Callable[[Move], None], ...] = ()
    effect: Callable[[Move], None] | None = None


S = Stage
_SIGNED_OR_LATER = frozenset(
    {S.KSB_SIGNED, S.DPRD_APPROVAL, S.PKS_DRAFTING, S.PKS_SIGNED, S.IMPLEMENTATION, S.MONITORING}
)
TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        "send_offer",
        gettext_lazy("Send the offer"),
        frozenset({S.PREPARATION}),
        S.OFFER,
        "agreement.offer_sent",
        effect=_offer,
    ),
    Transition(
        "start_ksb_drafting",
        gettext_lazy("Start drafting the KSB"),
        frozenset({S.OFFER}),
        S.KSB_DRAFTING,
        "agreement.ksb_drafting_started",
        conditions=(NO_OWN_KSB,),
    ),
    Transition(
        "sign_ksb",
        gettext_lazy("Record the KSB's signing"),
        frozenset({S.KSB_DRAFTING}),
        S.KSB_SIGNED,
        "agreement.ksb_signed",
        form="signing",
        checks=(_check_signatories, _others_signed(Instrument.KSB), _check_signing_input),
        effect=_signing(Instrument.KSB),
    ),
    Transition(
        "submit_to_dprd",
        gettext_lazy("Submit to the DPRD"),
        frozenset({S.OFFER, S.KSB_SIGNED}),
        S.DPRD_APPROVAL,
        "agreement.submitted_to_dprd",
        # The shared stage is the owner's to move; a partner records its own DPRD decision in
        # its register (agreements/partners/joint.py), where its PKS signature checks it.
        conditions=(DPRD_REQUIRED, OWNER_ONLY),
    ),
    Transition(
        "record_dprd_approval",
        gettext_lazy("Record the DPRD's approval"),
        frozenset({S.DPRD_APPROVAL}),
        S.PKS_DRAFTING,
        "agreement.dprd_approved",
        form="dprd",
        conditions=(OWNER_ONLY,),
        checks=(_check_dprd_decision,),
        effect=_record_dprd,
    ),
    Transition(
        "start_pks_drafting",
        gettext_lazy("Start drafting the PKS"),
        frozenset({S.OFFER, S.KSB_SIGNED}),
        S.PKS_DRAFTING,
        "agreement.pks_drafting_started",
        conditions=(DPRD_CLEARED,),
    ),
    Transition(
        "sign_pks",
        gettext_lazy("Record the PKS's signing"),
        frozenset({S.PKS_DRAFTING}),
        S.PKS_SIGNED,
        "agreement.pks_signed",
        form="signing",
        conditions=(DPRD_CLEARED,),
        checks=(
            _check_parent_ksb_signed,
            _check_signatories,
            _others_signed(Instrument.PKS),
            _check_signing_input,
        ),
        effect=_signing(Instrument.PKS),
    ),
    Transition(
        "start_implementation",
        gettext_lazy("Start implementation"),
        frozenset({S.KSB_SIGNED, S.PKS_SIGNED}),
        S.IMPLEMENTATION,
        "agreement.implementation_started",
        conditions=(DPRD_CLEARED,),
    ),
    Transition(
        "start_monitoring",
        gettext_lazy("Start monitoring and evaluation"),
        frozenset({S.IMPLEMENTATION}),
        S.MONITORING,
        "agreement.monitoring_started",
    ),
    Transition(
        "expire",
        gettext_lazy("Record that its term has ended"),
        frozenset({S.KSB_SIGNED, S.PKS_SIGNED, S.IMPLEMENTATION, S.MONITORING}),
        S.ENDED,
        "agreement.expired",
        conditions=(OWNER_ONLY,),
        checks=(_check_expired,),
        effect=_expire,
    ),
    Transition(
        "terminate",
        gettext_lazy("Terminate early"),
        _SIGNED_OR_LATER,
        S.ENDED,
        "agreement.terminated",
        form="termination",
        conditions=(SOMETHING_SIGNED, OWNER_ONLY),
        checks=(_check_termination,),
        effect=_terminate,
    ),
    Transition(
        "extend",
        gettext_lazy("Extend with a renewal"),
        frozenset({S.IMPLEMENTATION, S.MONITORING}),
        S.ENDED,
        "agreement.extended",
        form="renewal",
        conditions=(OWNER_ONLY,),
        checks=(_check_renewal,),
        effect=_extend,
    ),
    Transition(
        "amend",
        gettext_lazy("Record an addendum"),
        _SIGNED_OR_LATER,
        None,
        "agreement.amended",
        form="addendum",
        conditions=(SOMETHING_SIGNED, OWNER_ONLY),
        checks=(_check_addendum,),
        effect=_amend,
    ),
    Transition(
        "reject",
        gettext_lazy("Reject"),
        frozenset({S.PREPARATION, S.OFFER, S.KSB_DRAFTING, S.DPRD_APPROVAL, S.PKS_DRAFTING}),
        S.REJECTED,
        "agreement.rejected",
        form="reason",
        conditions=(NOTHING_SIGNED, OWNER_ONLY),
        checks=(_check_reason,),
        effect=_reject,
    ),
)
BY_NAME: dict[str, Transition] = {t.name: t for t in TRANSITIONS}


def offered_transitions(agreement: Agreement, cooperation: Cooperation) -> list[Transition]:
    """The moves the agreement's stage and conditions allow now (the policy decides who)."""
    return [
        t
        for t in TRANSITIONS
        if cooperation.stage in t.sources
        and all(c.holds(agreement, cooperation) for c in t.conditions)
    ]


def transition_named(name: str) -> Transition | None:
    return BY_NAME.get(name)


# --- The action --------------------------------------------------------------------------------


def enter_signed(move: Move, *, instrument: str) -> None:
    """An old agreement entered directly as signed (actions.register_signed_agreement): the
    same checks and record as a signing, without the stages before it."""
    checks = [_check_signatories, _check_signing_input]
    if instrument == Instrument.PKS:
        checks.insert(0, _check_parent_ksb_signed)
    for check in checks:
        check(move)
    _signing(instrument)(move)
    move.cooperation.stage = Stage.KSB_SIGNED if instrument == Instrument.KSB else Stage.PKS_SIGNED
    move.cooperation.save()
    publishing.sync(move.cooperation, reason="registered_signed")  # the public registry


def lock_current(*, agreement: Agreement, version: int) -> Cooperation:
    """The shared record, locked for this transaction, if it is still the version the person
    saw; otherwise a conflict (someone else changed it in between)."""
    cooperation = Cooperation.objects.select_for_update().get(pk=agreement.cooperation_id)
    if cooperation.version != version:
        raise StaleVersion(
            _(
                "Someone else changed this agreement while you were looking at it. Nothing was "
                "saved: reload the page to see their changes, then try again."
            )
        )
    return cooperation


@top_level
def advance(
    *,
    membership: Membership,
    agreement: Agreement,
    transition: str,
    version: int,
    data: dict | None = None,
    document=None,
) -> Agreement:
    """Run `transition` (a name in TRANSITIONS) on `agreement` for `membership`'s person."""
    tenant, user = membership.tenant, membership.user
    ensure_writable(tenant)
    if not has_perm(user, tenant, AgreementPerm.RUN_AGREEMENT_LIFECYCLE, membership=membership):
        raise Forbidden(_("Only the cooperation office moves an agreement through its stages."))
    step = BY_NAME.get(transition)
    if step is None:
        raise Conflict(_("There is no such step."), code=AgreementError.TRANSITION_NOT_ALLOWED)
    move = Move(
        membership=membership,
        agreement=agreement,
        cooperation=None,
        data=data or {},
        document=document,
    )
    try:
        with transaction.atomic():
            move.agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
            move.cooperation = coop = lock_current(agreement=move.agreement, version=version)
            if coop.stage not in step.sources:
                raise Conflict(
                    _("“%(step)s” is not possible at the stage %(stage)s.")
                    % {"step": step.label, "stage": stages.label(coop.stage)},
                    code=AgreementError.TRANSITION_NOT_ALLOWED,
                )
            for condition in step.conditions:
                if not condition.holds(move.agreement, coop):
                    raise ValidationError(str(condition.message), code=condition.code)
            for check in step.checks:
                check(move)
            before = coop.stage
            if step.effect is not None:
                step.effect(move)
            if step.target is not None:
                coop.stage = step.target
            coop.version = F("version") + 1
            coop.save()
            coop.refresh_from_db(fields=["version"])
            publishing.sync(coop, reason=step.name)  # the public registry's snapshot
            audit.record(
                step.audit_action,
                actor=user,
                tenant=tenant,
                obj=move.agreement,
                data={"title": coop.title, "from": before, "to": coop.stage, **move.audit_data},
            )
            notify_admins(
                tenant=tenant,
                agreement=move.agreement,
                cooperation=coop,
                event=step.label,
                actor=user,
            )
            # The proposer of the proposal it came from follows each stage (cooperation).
            notify_proposer_of_stage(cooperation=coop, before=before)
    except BaseException:
        for stored in move.stored:
            stored.delete(save=False)
        raise
    return move.agreement
