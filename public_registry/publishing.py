"""Publishing to the public registry: ONE function (`sync`) called in the same transaction as the
change of the shared record (agreements.register.lifecycle: a signing, an ending, an addendum, a
renewal)
and by the office's withholding (`set_withholding`).

A record is published once the agreement is signed and not rejected. Each publication writes the
current state (`PublishedAgreement`) and, when the public snapshot differs from the last one, a
new immutable `PublishedVersion`; published versions are never edited. Signed documents are
copied into the platform's public folder with the SHA-256 of the copied bytes, unless the office
withholds them. Publications of different agreements never wait for each other: there is no
platform-wide lock. The change feed's position is the publishing transaction's id (`feed_xid`,
set by a database trigger) and its readers serve only what every older transaction has finished
with (selectors.changes_after); the facet counts are written as insert-only changes by triggers
(models.FacetDelta). The page cache's generations move on after the commit (cache.py).
"""

from __future__ import annotations

import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tenants.utils import get_public_schema_name, schema_context

from cooperation import urusan as urusan_codes
from cooperation.models import (
    Cooperation,
    EndReason,
    Instrument,
    PartyKind,
    SignedDocument,
    Stage,
)
from cooperation.policy import AgreementPerm
from core.errors import Forbidden, field_error
from tenants import audit
from tenants.members import ensure_writable
from tenants.models import Membership
from tenants.policy import has_perm

from . import cache, withheld
from .models import (
    PublishedAgreement,
    PublishedDocument,
    PublishedVersion,
    WithheldField,
    Withholding,
)
from .selectors import SEARCH_CONFIG

logger = logging.getLogger(__name__)

# Why a version was published, by the lifecycle's move
# (agreements.register.lifecycle.TRANSITIONS) or the office's own change; shown in the record's
# history.
REASONS = {
    "sign_ksb": gettext_lazy("KSB signed"),
    "sign_pks": gettext_lazy("PKS signed"),
    "registered_signed": gettext_lazy("Entered as signed"),
    "start_implementation": gettext_lazy("Implementation started"),
    "start_monitoring": gettext_lazy("Monitoring and evaluation started"),
    "expire": gettext_lazy("Term ended"),
    "terminate": gettext_lazy("Terminated early"),
    "extend": gettext_lazy("Extended by a renewal"),
    "amend": gettext_lazy("Addendum signed"),
    "withholding": gettext_lazy("The office changed what is withheld"),
    "backfill": gettext_lazy("Published from the agreement already signed"),
}
UPDATED = gettext_lazy("Updated")


class RegistryError:
    REASON_REQUIRED = "withholding_reason_required"
    UNKNOWN_FIELD = "withholding_unknown_field"
    NOT_OWNER = "withholding_not_owner"


def reason_label(reason: str) -> str:
    return str(REASONS.get(reason, UPDATED))


def publishable(cooperation: Cooperation) -> bool:
    return cooperation.signed_on is not None and cooperation.stage != Stage.REJECTED


# --- The hook -----------------------------------------------------------------------------------


def sync(cooperation: Cooperation, *, reason: str = "") -> None:
    """Publish what the change of `cooperation` makes public: the record itself once signed, and
    an addendum it just received (its own record). Call inside the transaction of the change."""
    candidates = [cooperation]
    candidates += Cooperation.objects.filter(
        amends=cooperation, signed_on__isnull=False, publication__isnull=True
    )
    for candidate in candidates:
        if publishable(candidate):
            publish(candidate, reason=reason)


def publish_all_signed() -> int:
    """Publish every signed agreement that has no public record yet (agreements signed before
    the registry existed; `manage.py publish_signed_agreements` and the demo). Idempotent.
    Returns how many records it published."""
    published = 0
    pending = (
        Cooperation.objects.filter(signed_on__isnull=False, publication__isnull=True)
        .exclude(stage=Stage.REJECTED)
        .order_by("signed_on", "pk")
    )
    for cooperation in pending.iterator():
        with transaction.atomic():
            if publish(cooperation, reason="backfill") is not None:
                published += 1
    return published


def note_monitoring(cooperation_id: int, reported_on) -> bool:
    """A monitoring report was filed: the public record keeps only the end of the latest
    semester reported on (`reported_on`; never the report's content), in place and without a
    new version. Nothing when the agreement has no public record. Call inside the filing's
    transaction. Returns whether a record changed."""
    changed = (
        PublishedAgreement.objects.filter(cooperation_id=cooperation_id)
        .filter(Q(last_monitored_on__isnull=True) | Q(last_monitored_on__lt=reported_on))
        .update(last_monitored_on=reported_on)
    )
    if changed:
        codes = PublishedAgreement.objects.filter(cooperation_id=cooperation_id).values_list(
            "region_codes", flat=True
        )
        cache.changed_on_commit(codes.first() or ())
    return bool(changed)


# --- Publishing one record ----------------------------------------------------------------------


def _instrument(cooperation: Cooperation, documents) -> str:
    if cooperation.amends_id is not None:
        return Instrument.ADDENDUM
    if cooperation.parent_id is not None or any(d.instrument == Instrument.PKS for d in documents):
        return Instrument.PKS
    return Instrument.KSB


def _withholding(cooperation: Cooperation) -> Withholding:
    found = Withholding.objects.filter(cooperation=cooperation).first()
    return found or Withholding(cooperation=cooperation)


def _copy_document(source: SignedDocument, target: PublishedDocument) -> None:
    """The signed file's bytes into the platform's public folder; the fingerprint published is
    that of the bytes copied (what a visitor downloads)."""
    with schema_context(source.stored_schema):
        with source.file.open("rb") as handle:
            content = handle.read()
    digest = hashlib.sha256(content).hexdigest()
    if digest != source.sha256:
        logger.warning(
            "Signed document %s: stored SHA-256 %s, file's %s", source.pk, source.sha256, digest
        )
    target.sha256, target.size = digest, len(content)
    with schema_context(get_public_schema_name()):
        target.file.save(f"{source.pk}.pdf", ContentFile(content), save=False)


def _remove_files_on_commit(names: list[str]) -> None:
    def remove() -> None:
        storage = PublishedDocument._meta.get_field("file").storage
        with schema_context(get_public_schema_name()):
            for name in names:
                storage.delete(name)

    if names:
        transaction.on_commit(remove)


def _sync_documents(record: PublishedAgreement, cooperation: Cooperation, withheld: bool, now):
    published = {d.source_id: d for d in record.documents.all()}
    removed = []
    for source in cooperation.signed_documents.all():
        document = published.get(source.pk)
        if document is None:
            document = PublishedDocument(
                record=record,
                source_id=source.pk,
                instrument=source.instrument,
                signed_on=source.signed_on,
                original_name=source.original_name,
                size=source.size,
                sha256=source.sha256,
                published_at=now,
            )
            if not withheld:
                _copy_document(source, document)
            document.save()
            published[source.pk] = document
        elif withheld and document.file:
            removed.append(document.file.name)
            document.file = ""
            document.save(update_fields=["file"])
        elif not withheld and not document.file:
            _copy_document(source, document)
            document.save(update_fields=["file", "sha256", "size"])
    _remove_files_on_commit(removed)
    return sorted(published.values(), key=lambda d: (d.signed_on, d.source_id))


def _snapshot(cooperation, parties, documents, withholding: Withholding) -> dict:
    """The public snapshot of `cooperation` now, less what `withholding` withholds (through the
    same table every channel serving a version uses: withheld.hide)."""
    hidden = set(withholding.fields)

    def day(value):
        return value.isoformat() if value else None

    snapshot = {
        "title": cooperation.title,
        "kind": cooperation.kind,
        "instrument": _instrument(cooperation, documents),
        "urusan": list(cooperation.urusan),
        "stage": cooperation.stage,
        "object": cooperation.object,
        "scope": cooperation.scope,
        "purpose": cooperation.purpose,
        "legal_basis": cooperation.legal_basis,
        "funding_source": cooperation.funding_source,
        "term_start": day(cooperation.term_start),
        "term_end": day(cooperation.term_end),
        "signed_on": day(cooperation.signed_on),
        "signing_place": cooperation.signing_place,
        "signing_mode": cooperation.signing_mode,
        "end_reason": cooperation.end_reason,
        "ended_on": day(cooperation.ended_on),
        "closing_note": cooperation.closing_note if cooperation.stage == Stage.ENDED else "",
        "parties": [
            {
                "kind": party.kind,
                "name": party.name,
                "region": party.region_id,
                "details": party.details,
                "document_number": party.document_number,
                "signatory_name": party.signatory_name,
                "signatory_position": party.signatory_position,
                "signatory_authority": party.signatory_authority,
            }
            for party in parties
        ],
        "documents": [
            {
                "id": document.pk,
                "instrument": document.instrument,
                "signed_on": day(document.signed_on),
                "name": document.original_name,
                "size": document.size,
                "sha256": document.sha256,
                "withheld": not document.file,
            }
            for document in documents
        ],
        "relations": {
            "parent": cooperation.parent_id,
            "amends": cooperation.amends_id,
            "renews": cooperation.renews_id,
        },
        "withheld": {
            "fields": sorted(hidden),
            "documents": withholding.documents,
            "reason": withholding.reason if withholding.withholds_anything else "",
        },
    }
    return withheld.hide(snapshot, hidden)


def _clock():
    """The database's clock (one clock for every worker). No lock: the feed's order is by
    transaction id, not by this stamp (selectors.changes_after)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT clock_timestamp()")
        return cursor.fetchone()[0]


def _search_sql(record: PublishedAgreement, snapshot: dict) -> None:
    urusan_names = " ".join(urusan_codes.NAMES.get(code, "") for code in snapshot["urusan"])
    texts = " ".join(filter(None, (snapshot[n] for n in ("object", "scope", "purpose"))))
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE public_registry_publishedagreement SET search = "
            "setweight(to_tsvector(%s::regconfig, %s), 'A') || "
            "setweight(to_tsvector(%s::regconfig, %s), 'B') || "
            "setweight(to_tsvector(%s::regconfig, %s), 'C') WHERE id = %s",
            [
                SEARCH_CONFIG,
                snapshot["title"],
                SEARCH_CONFIG,
                f"{record.parties_text} {urusan_names}",
                SEARCH_CONFIG,
                texts,
                record.pk,
            ],
        )


def publish(cooperation: Cooperation, *, reason: str = "") -> PublishedAgreement | None:
    """Publish `cooperation`'s current public state; a new version only when the public
    snapshot changed. Returns the record (None when it is not publishable)."""
    if not publishable(cooperation):
        return None
    with transaction.atomic():
        now = _clock()
        cooperation = Cooperation.objects.select_related("owner__region").get(pk=cooperation.pk)
        record = (
            PublishedAgreement.objects.select_for_update().filter(cooperation=cooperation).first()
        )
        withholding = _withholding(cooperation)
        parties = list(cooperation.parties.select_related("region"))
        if record is None:
            record = PublishedAgreement(
                cooperation=cooperation, published_at=now, version=0, signed_year=0
            )
        # The pages of the regions it concerned and concerns are renewed (cache.py).
        before = list(record.region_codes or ())
        _fill(record, cooperation, parties, withholding, now)
        record.save()
        documents = _sync_documents(record, cooperation, withholding.documents, now)
        snapshot = _snapshot(cooperation, parties, documents, withholding)
        latest = record.versions.order_by("-number").values_list("snapshot", flat=True).first()
        if latest == snapshot:
            return record
        record.version += 1
        record.instrument = snapshot["instrument"]
        record.document_count = len(documents)
        record.modified_at = now
        record.save(update_fields=["version", "instrument", "document_count", "modified_at"])
        PublishedVersion.objects.create(
            record=record,
            number=record.version,
            reason=reason[:40],
            snapshot=snapshot,
            published_at=now,
        )
        _search_sql(record, snapshot)
        cache.changed_on_commit({*before, *record.region_codes})
    return record


def _fill(record, cooperation, parties, withholding, now) -> None:
    regions = [p.region_id for p in parties if p.kind == PartyKind.REGION and p.region_id]
    owner = cooperation.owner.region_id if cooperation.owner_id else None
    record.title = cooperation.title
    record.kind = cooperation.kind
    record.instrument = record.instrument or Instrument.KSB
    record.urusan = list(cooperation.urusan)
    record.stage = cooperation.stage
    record.owner_region_id = owner
    record.region_codes = regions
    record.province_codes = sorted({code[:2] for code in regions})
    record.partner_names = [p.name for p in parties if p.kind != PartyKind.REGION][:20]
    record.parties_text = " · ".join(p.name for p in parties)
    record.signed_on = cooperation.signed_on
    record.signed_year = cooperation.signed_on.year
    record.term_start = cooperation.term_start
    record.term_end = cooperation.term_end
    record.end_reason = cooperation.end_reason if cooperation.stage == Stage.ENDED else ""
    record.ended_on = cooperation.ended_on if cooperation.stage == Stage.ENDED else None
    record.terminated = record.end_reason == EndReason.TERMINATED
    record.parent_cooperation_id = cooperation.parent_id
    record.amends_cooperation_id = cooperation.amends_id
    record.renews_cooperation_id = cooperation.renews_id
    record.withheld_fields = sorted(withholding.fields)
    record.documents_withheld = withholding.documents
    record.withholding_reason = withholding.reason if withholding.withholds_anything else ""
    # Since when each item is withheld: kept while it stays withheld, from this publication when
    # it starts to be (shown with every version: withheld.public_version).
    before = dict(record.withheld_since or {})
    names = [*record.withheld_fields, *([withheld.DOCUMENTS] if withholding.documents else [])]
    record.withheld_since = {name: before.get(name) or now.isoformat() for name in names}
    record.source_version = cooperation.version
    record.fill_facet_keys()
    if record.pk is None:
        record.modified_at = now


# --- The office's withholding -------------------------------------------------------------------


def set_withholding(
    *,
    membership: Membership,
    cooperation: Cooperation,
    fields: list[str],
    documents: bool,
    reason: str,
) -> Withholding:
    """The owning region's office withholds fields or the documents from the public record, on a
    legal ground it states (shown with the record); the record is republished at once."""
    tenant, user = membership.tenant, membership.user
    ensure_writable(tenant)
    if not has_perm(user, tenant, AgreementPerm.RUN_AGREEMENT_LIFECYCLE, membership=membership):
        raise Forbidden(_("Only the cooperation office decides what the public record withholds."))
    if cooperation.owner_id != tenant.pk:
        raise Forbidden(
            _("Only the region that owns this agreement decides what its public record withholds."),
            code=RegistryError.NOT_OWNER,
        )
    unknown = [name for name in fields if name not in WithheldField.values]
    if unknown:
        raise field_error(
            "fields",
            _("Unknown field: %(names)s.") % {"names": ", ".join(unknown)},
            RegistryError.UNKNOWN_FIELD,
        )
    reason = reason.strip()
    if (fields or documents) and not reason:
        raise field_error(
            "reason",
            _(
                "Give the legal reason for withholding (for example UU 14/2008 on public "
                "information, Pasal 17, and the interest it protects): it is shown to the public."
            ),
            RegistryError.REASON_REQUIRED,
        )
    with transaction.atomic():
        Cooperation.objects.select_for_update().filter(pk=cooperation.pk).first()
        withholding, _created = Withholding.objects.update_or_create(
            cooperation=cooperation,
            defaults={
                "fields": sorted(set(fields)),
                "documents": documents,
                "reason": reason if (fields or documents) else "",
                "set_by_email": user.email,
            },
        )
        record = publish(cooperation, reason="withholding")
        audit.record(
            "registry.withholding_changed",
            actor=user,
            tenant=tenant,
            obj=cooperation,
            data={
                "title": cooperation.title,
                "fields": withholding.fields,
                "documents": documents,
                "reason": withholding.reason,
                "version": record.version if record else None,
            },
        )
    return withholding


def withholding_for(cooperation: Cooperation) -> Withholding:
    return _withholding(cooperation)
