"""Joint preparation of one shared agreement, as Malang Raya works (issue 6).

Each party region's OPDs and office list the points their region could cooperate on (the
inventory, per urusan); the points go to the heads of region, whose priorities each party's office
records (the rank, chosen or not); one action of the owning region's office turns the chosen points
into the agreement's scope and creates one PKS per urusan under the KSB (through the register's
own creation path, actions.create_agreement). The parties draft one joint text together: any
party adds a version (a text and/or a checked PDF with its SHA-256); versions are numbered and
never edited.

All of it is on the shared record (public schema), so every party reads the same inventory and
versions; a region that is not a party has no agreement to reach it through (404). A party's
private DPRD step is here too: each party records its own DPRD decision in its own register,
whatever the shared stage, and signs a PKS only once its own DPRD requirement is met.

Every function that changes something is one action: permission (tenants.policy), validation,
an atomic write, the audit event, e-mail after commit.
"""

from __future__ import annotations

from contextlib import nullcontext

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import Agreement
from agreements.partners.mail import notify_other_parties
from agreements.register import actions, lifecycle
from agreements.register.documents import sha256_of, validate_agreement_pdf
from agreements.register.parties import PARTY_FIELDS, PartyData
from cooperation import shared_joint as shared
from cooperation import urusan as urusan_codes
from cooperation.errors import AgreementError
from cooperation.models import Cooperation, InventoryPoint, Stage, TextVersion
from cooperation.policy import AgreementPerm
from core.actions import top_level
from core.errors import Conflict, Forbidden, field_error
from core.files import removed_on_failure
from tenants import audit
from tenants.members import ensure_writable
from tenants.models import Membership
from tenants.policy import Perm, has_perm

CLOSED = (Stage.ENDED, Stage.REJECTED)
# The stages at which a region records its own DPRD decision: after the offer and before the
# PKS is signed (the DPRD approves the cooperation before the technical agreement binds it).
DPRD_STAGES = (Stage.OFFER, Stage.KSB_SIGNED, Stage.DPRD_APPROVAL, Stage.PKS_DRAFTING)


def _require(membership: Membership, perm: Perm, message: str) -> None:
    ensure_writable(membership.tenant)
    if not has_perm(membership.user, membership.tenant, perm, membership=membership):
        raise Forbidden(message)


def _open_for_preparation(cooperation: Cooperation) -> None:
    """The inventory and the priorities change only while the agreement is being prepared:
    once signed, its scope is what was signed."""
    if cooperation.stage in CLOSED or cooperation.signed_on is not None:
        raise Conflict(
            _("The agreement is %(stage)s: its points and priorities no longer change.")
            % {"stage": cooperation.get_stage_display().lower()},
            code=AgreementError.AGREEMENT_LOCKED,
        )


def _locked(agreement: Agreement) -> Cooperation:
    return Cooperation.objects.select_for_update().get(pk=agreement.cooperation_id)


def _opd_of(membership: Membership) -> str:
    return (membership.opd or "").strip()


# --- The inventory of points -------------------------------------------------------------------


@top_level
def propose_point(
    *, membership: Membership, agreement: Agreement, urusan: str, text: str
) -> InventoryPoint:
    """A point the member's region could cooperate on, under one urusan, in the parties'
    inventory. The proposing region is the member's; the OPD is theirs (or the office)."""
    _require(
        membership,
        AgreementPerm.CONTRIBUTE_JOINT_WORK,
        _("Your role does not add points to the inventory."),
    )
    tenant, user = membership.tenant, membership.user
    errors = {}
    if urusan not in urusan_codes.NAMES:
        errors["urusan"] = ValidationError(
            _("Choose the urusan the point falls under."), code=AgreementError.POINT_INCOMPLETE
        )
    if not (text or "").strip():
        errors["text"] = ValidationError(
            _("Say what your region could cooperate on."), code=AgreementError.POINT_INCOMPLETE
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        cooperation = _locked(agreement)
        _open_for_preparation(cooperation)
        point = InventoryPoint.objects.create(
            cooperation=cooperation,
            urusan=urusan,
            text=text.strip(),
            region_id=tenant.region_id,
            opd=_opd_of(membership),
            proposed_by=user,
            proposed_by_email=user.email,
        )
        audit.record(
            "agreement.point_proposed",
            actor=user,
            tenant=tenant,
            obj=agreement,
            data={"title": cooperation.title, "urusan": urusan, "point": point.text[:200]},
        )
    return point


@top_level
def set_priorities(
    *, membership: Membership, agreement: Agreement, priorities: dict[int, tuple]
) -> list[InventoryPoint]:
    """The heads of region's priorities, as the office records them: for each point of the
    inventory (by id) its rank (1 first, or None) and whether it is chosen. A chosen point has
    a rank; no two points share one. Points not named keep what they had."""
    _require(
        membership,
        AgreementPerm.PRIORITISE_JOINT_POINTS,
        _("Only the cooperation office records the heads of region's priorities."),
    )
    tenant, user = membership.tenant, membership.user
    with transaction.atomic():
        cooperation = _locked(agreement)
        _open_for_preparation(cooperation)
        points = {p.pk: p for p in InventoryPoint.objects.filter(cooperation=cooperation)}
        unknown = set(priorities) - set(points)
        if unknown:
            raise field_error(
                None,
                _("A point is not in this agreement's inventory; reload the page."),
                AgreementError.PRIORITY_INVALID,
            )
        for pk, (rank, chosen) in priorities.items():
            if rank is not None and rank < 1:
                raise field_error(
                    None,
                    _("A priority is a whole number from 1 (first)."),
                    AgreementError.PRIORITY_INVALID,
                )
            if chosen and rank is None:
                raise field_error(
                    None,
                    _("Give every chosen point its priority: “%(point)s”.")
                    % {"point": points[pk].text[:80]},
                    AgreementError.PRIORITY_INVALID,
                )
            points[pk].rank, points[pk].chosen = rank, bool(chosen)
        ranks = [p.rank for p in points.values() if p.rank is not None]
        if len(ranks) != len(set(ranks)):
            raise field_error(
                None,
                _("Two points have the same priority: give each its own number."),
                AgreementError.PRIORITY_INVALID,
            )
        now = timezone.now()
        changed = [points[pk] for pk in priorities]
        for point in changed:
            point.prioritised_at = now
        InventoryPoint.objects.bulk_update(changed, ["rank", "chosen", "prioritised_at"])
        chosen = sorted((p for p in points.values() if p.chosen), key=lambda p: p.rank)
        audit.record(
            "agreement.points_prioritised",
            actor=user,
            tenant=tenant,
            obj=agreement,
            data={
                "title": cooperation.title,
                "chosen": len(chosen),
                "first": chosen[0].text[:200] if chosen else "",
            },
        )
        notify_other_parties(
            tenant=tenant,
            cooperation=cooperation,
            actor=user,
            event=_("%(region)s recorded the heads of region's priorities")
            % {"region": tenant.name},
        )
    return sorted(points.values(), key=lambda p: (p.rank is None, p.rank or 0, p.pk))


def _pks_parties(cooperation: Cooperation) -> list[PartyData]:
    return [
        PartyData(**{name: getattr(p, name) for name in PARTY_FIELDS})
        for p in cooperation.parties.select_related("region")
    ]


@top_level
def adopt_chosen_points(
    *, membership: Membership, agreement: Agreement, version: int
) -> list[Agreement]:
    """The chosen points become the KSB's scope (in the heads' order) and its urusan, and each
    urusan among them gets one PKS under the KSB, in preparation in this region's register,
    with the KSB's parties (created by actions.create_agreement, as any PKS). A second run
    creates a PKS only for an urusan that has none yet. The owning region's office does it:
    it changes the terms for every party."""
    _require(
        membership,
        AgreementPerm.PRIORITISE_JOINT_POINTS,
        _("Only the cooperation office takes the chosen points up."),
    )
    tenant, user = membership.tenant, membership.user
    created: list[Agreement] = []
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        cooperation = lifecycle.lock_current(agreement=agreement, version=version)
        _open_for_preparation(cooperation)
        if cooperation.owner_id != tenant.pk:
            raise Conflict(str(lifecycle.OWNER_ONLY.message), code=AgreementError.OWNER_ONLY)
        if cooperation.parent_id is not None:
            raise Conflict(
                _("This is a PKS: the points are taken up on its KSB."),
                code=AgreementError.PARENT_NOT_KSB,
            )
        chosen = shared.chosen_points(cooperation.pk)
        if not chosen:
            raise field_error(
                None,
                _("No point is chosen yet: record the heads of region's priorities first."),
                AgreementError.NOTHING_CHOSEN,
            )
        cooperation.scope = shared.scope_text(chosen)
        codes = {p.urusan for p in chosen}
        cooperation.urusan = sorted(set(cooperation.urusan) | codes, key=_code_order)
        cooperation.version = F("version") + 1
        cooperation.save(update_fields=["scope", "urusan", "version", "updated_at"])
        cooperation.refresh_from_db(fields=["version"])
        existing = {
            tuple(c.urusan): c
            for c in Cooperation.objects.filter(parent=cooperation).exclude(stage__in=CLOSED)
        }
        parties = _pks_parties(cooperation)
        for code in sorted(codes, key=_code_order):
            points = [p for p in chosen if p.urusan == code]
            pks = existing.get((code,))
            if pks is None:
                pks_agreement = actions.create_agreement.inner(
                    membership=membership,
                    fields=_pks_terms(cooperation, code, points),
                    parties=parties,
                    private={
                        "burdens_public": agreement.burdens_public,
                        "funded_in_current_budget": agreement.funded_in_current_budget,
                        "responsible_opd": _own_opd(points, tenant.region_id),
                    },
                    parent=agreement,
                )
                created.append(pks_agreement)
                pks = pks_agreement.cooperation
            InventoryPoint.objects.filter(pk__in=[p.pk for p in points]).update(pks=pks)
        audit.record(
            "agreement.points_adopted",
            actor=user,
            tenant=tenant,
            obj=agreement,
            data={
                "title": cooperation.title,
                "points": len(chosen),
                "pks": [a.cooperation.title for a in created],
            },
        )
        notify_other_parties(
            tenant=tenant,
            cooperation=cooperation,
            actor=user,
            event=_("the chosen points became the scope, with %(count)s PKS")
            % {"count": len(codes)},
        )
    return created


def _code_order(code: str) -> list[int]:
    return [int(n) for n in code.split(".")]


def _pks_terms(ksb: Cooperation, code: str, points) -> dict:
    return {
        "kind": ksb.kind,
        "title": shared.pks_title(ksb, code),
        "urusan": [code],
        "object": "\n".join(p.text for p in points),
        "scope": shared.scope_text(points),
        "purpose": ksb.purpose,
        "legal_basis": ksb.legal_basis,
        "funding_source": ksb.funding_source,
        "term_start": ksb.term_start,
        "term_end": ksb.term_end,
    }


def _own_opd(points, region_code: str) -> str:
    """The OPD of this region that proposed the urusan's first point, if one did."""
    return next((p.opd for p in points if p.region_id == region_code and p.opd), "")


# --- The joint text's versions -----------------------------------------------------------------


@top_level
def add_text_version(
    *,
    membership: Membership,
    agreement: Agreement,
    text: str = "",
    note: str = "",
    document=None,
) -> TextVersion:
    """A new version of the parties' joint text: its text and/or a checked PDF (with its
    SHA-256), numbered after the last. Versions are never edited; a change is a new version."""
    _require(
        membership,
        AgreementPerm.CONTRIBUTE_JOINT_WORK,
        _("Your role does not draft the joint text."),
    )
    tenant, user = membership.tenant, membership.user
    text = (text or "").strip()
    if not text and document is None:
        raise field_error(
            "text",
            _("Enter the text of the new version, or upload it as a PDF (or both)."),
            AgreementError.TEXT_VERSION_EMPTY,
        )
    if document is not None:
        validate_agreement_pdf(document)
    version = TextVersion(
        text=text,
        note=(note or "").strip()[:300],
        region_id=tenant.region_id,
        opd=_opd_of(membership),
        author=user,
        author_email=user.email,
    )
    if document is not None:
        version.original_name = getattr(document, "name", "")[:255]
        version.size = document.size
        version.sha256 = sha256_of(document)
        version.stored_schema = connection.schema_name
        version.file.save(document.name, document, save=False)
    with removed_on_failure(version.file) if document is not None else nullcontext():
        with transaction.atomic():
            cooperation = _locked(agreement)
            if cooperation.stage in CLOSED:
                raise Conflict(
                    _("The agreement is %(stage)s: its text no longer changes.")
                    % {"stage": cooperation.get_stage_display().lower()},
                    code=AgreementError.AGREEMENT_LOCKED,
                )
            version.cooperation = cooperation
            version.number = shared.next_number(cooperation.pk)
            version.save()
            audit.record(
                "agreement.text_version_added",
                actor=user,
                tenant=tenant,
                obj=agreement,
                data={
                    "title": cooperation.title,
                    "number": version.number,
                    "file": version.original_name,
                    "sha256": version.sha256,
                },
            )
            notify_other_parties(
                tenant=tenant,
                cooperation=cooperation,
                actor=user,
                event=_("%(region)s added version %(number)s of the joint text")
                % {"region": tenant.name, "number": version.number},
            )
    return version


# --- Each party's own DPRD step ----------------------------------------------------------------


def may_record_own_dprd(agreement: Agreement, cooperation: Cooperation) -> bool:
    """Offered on the page: this region needs the DPRD's approval, has not recorded it, and the
    agreement is between the offer and the PKS's signing."""
    return (
        agreement.dprd_required
        and agreement.dprd_decided_on is None
        and cooperation.stage in DPRD_STAGES
    )


@top_level
def record_own_dprd_decision(
    *, membership: Membership, agreement: Agreement, decision_number: str, decided_on
) -> Agreement:
    """This region's DPRD decision, in its own register only: the shared stage does not move
    (another party's DPRD step is that party's), and no other party sees it. Required exactly
    when this region's cooperation burdens the public or the region, or its funding is not in
    the current budget; this region signs a PKS only once it is recorded."""
    _require(
        membership,
        AgreementPerm.RUN_AGREEMENT_LIFECYCLE,
        _("Only the cooperation office records the DPRD's decision."),
    )
    tenant, user = membership.tenant, membership.user
    decision_number = (decision_number or "").strip()
    if not (decision_number and decided_on):
        raise field_error(
            None,
            _("Give the number and the date of the DPRD's decision."),
            AgreementError.DPRD_DECISION_REQUIRED,
        )
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        cooperation = Cooperation.objects.get(pk=agreement.cooperation_id)
        if not agreement.dprd_required:
            raise ValidationError(
                str(lifecycle.DPRD_REQUIRED.message), code=AgreementError.DPRD_NOT_REQUIRED
            )
        if agreement.dprd_decided_on is not None:
            raise Conflict(
                _("Your region's DPRD decision is already recorded."),
                code=AgreementError.DPRD_ALREADY_DECIDED,
            )
        if cooperation.stage not in DPRD_STAGES:
            raise Conflict(
                _("The DPRD's decision is recorded between the offer and the PKS's signing."),
                code=AgreementError.TRANSITION_NOT_ALLOWED,
            )
        agreement.dprd_decision_number = decision_number
        agreement.dprd_decided_on = decided_on
        agreement.save(update_fields=["dprd_decision_number", "dprd_decided_on"])
        audit.record(
            "agreement.own_dprd_recorded",
            actor=user,
            tenant=tenant,
            obj=agreement,
            data={
                "title": cooperation.title,
                "number": decision_number,
                "date": decided_on.isoformat(),
            },
        )
    return agreement
