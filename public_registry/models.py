"""The public registry of signed agreements (public schema).

Public pages read only these tables, never a workspace nor the parties' shared record
(`cooperation`): signing publishes a snapshot (publishing.py), and every later change the public
may see (an ending, an addendum, a renewal, the office's withholding) publishes a new version.

- `PublishedAgreement`: the current published state, denormalised for the public list (filter
  columns, a search vector). One per shared record (`cooperation`).
- `PublishedVersion`: one immutable JSON snapshot per published version (a database trigger
  refuses UPDATE and DELETE).
- `PublishedDocument`: a signed document's public copy and its SHA-256 (no file when withheld).
- `Withholding`: what the owning region's office withholds from the public record, and the
  legal reason, which is shown.
"""

from __future__ import annotations

import secrets

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from cooperation.models import EndReason, Instrument, Kind, Stage


class WithheldField(models.TextChoices):
    """The parts of a record the office may withhold (UU 14/2008, Pasal 17)."""

    OBJECT = "object", _("Object")
    SCOPE = "scope", _("Scope")
    PURPOSE = "purpose", _("Purpose")
    LEGAL_BASIS = "legal_basis", _("Legal basis")
    FUNDING_SOURCE = "funding_source", _("Funding source")
    SIGNATORIES = "signatories", _("Signatories")
    DOCUMENT_NUMBERS = "document_numbers", _("The parties' document numbers")
    PARTY_DETAILS = "party_details", _("The parties' details (address, contact)")


class Status(models.TextChoices):
    """Computed from the term and the ending (selectors.status_q), never stored: it would go
    stale every midnight."""

    IN_FORCE = "in_force", _("In force")
    EXPIRING = "expiring", _("Expiring within 90 days")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")


class PublishedAgreement(models.Model):
    """The current public record of one signed agreement."""

    cooperation = models.OneToOneField(
        "cooperation.Cooperation", on_delete=models.PROTECT, related_name="publication"
    )
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # What was signed last: the KSB, a PKS, or (for an addendum's own record) the addendum.
    instrument = models.CharField(_("instrument"), max_length=16, choices=Instrument.choices)
    urusan = ArrayField(models.CharField(max_length=5), default=list)
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    # The parties, for the list and its filters: region parties by code (and their provinces),
    # the other parties by name; `parties_text` is what the list shows.
    owner_region = models.ForeignKey(
        "tenants.Region", on_delete=models.PROTECT, null=True, related_name="+"
    )
    region_codes = ArrayField(models.CharField(max_length=13), default=list)
    province_codes = ArrayField(models.CharField(max_length=2), default=list)
    partner_names = ArrayField(models.CharField(max_length=200), default=list)
    parties_text = models.TextField(blank=True)
    signed_on = models.DateField(_("date of signing"))
    signed_year = models.PositiveSmallIntegerField()
    term_start = models.DateField(_("term start"), null=True)
    term_end = models.DateField(_("term end"), null=True)
    end_reason = models.CharField(max_length=16, choices=EndReason.choices, blank=True)
    ended_on = models.DateField(null=True)
    terminated = models.BooleanField(default=False)
    # Relations by shared-record id (a PKS's KSB, the agreement an addendum amends or a renewal
    # renews): the detail page finds the related published records by them.
    parent_cooperation_id = models.IntegerField(null=True)
    amends_cooperation_id = models.IntegerField(null=True)
    renews_cooperation_id = models.IntegerField(null=True)
    search = SearchVectorField(null=True)
    # Every facet value of the record as "facet:value" (kind, year, urusan, province, region,
    # partner): the list's counts unnest this one column in one pass (selectors.facet_counts).
    facet_keys = ArrayField(models.CharField(max_length=220), default=list)
    document_count = models.PositiveSmallIntegerField(default=0)
    # The office's withholding as it stood at the last publication (the record shows it).
    withheld_fields = ArrayField(models.CharField(max_length=32), default=list)
    documents_withheld = models.BooleanField(default=False)
    withholding_reason = models.TextField(blank=True)
    # Since when each withheld item is withheld from the public: ISO date-times by field name, and
    # "documents" (withheld.py: shown with every version the public reads).
    withheld_since = models.JSONField(default=dict, blank=True)
    # The end of the latest semester a monitoring report was filed for (never its content): a
    # living fact, updated in place without a new version (publishing.note_monitoring).
    last_monitored_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    # The shared record's version this was published from.
    source_version = models.PositiveIntegerField(default=1)
    published_at = models.DateTimeField()
    # When the last version was published (the database clock; shown, not the feed's order).
    modified_at = models.DateTimeField()
    # The change feed's position: the id of the transaction that last published a version
    # (pg_current_xact_id()) and a sequence's number (the order within that transaction), set
    # by a database trigger on insert and when `version` or `modified_at` changes, never by the
    # application. A feed reader serves only records older than every transaction still
    # running (selectors.changes_after).
    feed_xid = models.BigIntegerField(default=0, editable=False)
    feed_seq = models.BigIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-signed_on", "-pk"]
        indexes = [
            GinIndex(fields=["search"], name="pubreg_search"),
            GinIndex(fields=["urusan"], name="pubreg_urusan"),
            GinIndex(fields=["region_codes"], name="pubreg_regions"),
            GinIndex(fields=["province_codes"], name="pubreg_provinces"),
            GinIndex(fields=["partner_names"], name="pubreg_partners"),
            models.Index(fields=["signed_on", "id"], name="pubreg_signed"),
            models.Index(fields=["title", "id"], name="pubreg_title"),
            models.Index(fields=["term_end"], name="pubreg_term_end"),
            models.Index(fields=["kind"], name="pubreg_kind"),
            # A year filter with the default sort reads only that year's records, in order.
            models.Index(fields=["signed_year", "signed_on", "id"], name="pubreg_year_signed"),
            models.Index(fields=["feed_xid", "feed_seq"], name="pubreg_feed"),
            # The status counts' boundary months (selectors.facet_counts): live records by end.
            models.Index(
                fields=["term_end"], condition=models.Q(terminated=False), name="pubreg_live_end"
            ),
            models.Index(fields=["published_at"], name="pubreg_published"),
            models.Index(fields=["parent_cooperation_id"], name="pubreg_parent"),
            models.Index(fields=["amends_cooperation_id"], name="pubreg_amends"),
            models.Index(fields=["renews_cooperation_id"], name="pubreg_renews"),
        ]
        verbose_name = _("published agreement")
        verbose_name_plural = _("published agreements")

    def __str__(self) -> str:
        return self.title

    def fill_facet_keys(self) -> None:
        self.facet_keys = facet_keys_of(self)


def facet_keys_of(record) -> list[str]:
    keys = [f"kind:{record.kind}", f"year:{record.signed_year}"]
    keys += [f"urusan:{code}" for code in record.urusan]
    keys += [f"province:{code}" for code in record.province_codes]
    keys += [f"region:{code}" for code in record.region_codes]
    keys += [f"partner:{name}" for name in record.partner_names]
    return keys


class FacetDelta(models.Model):
    """The facet counts of everything published, as changes: every statement that writes
    published records adds, through a database trigger (migration 0005), one row per facet key
    whose count it changed (+1, -1, ...), and never updates a row, so publications of
    different regions never wait for each other here. `FacetTotal` holds the folded sum;
    readers fold the pending changes into it when many have gathered (selectors.fold_facets).
    Keys: the records' `facet_keys`, and the status part: "end:terminated", "end:open" (no
    term end) or "end:YYYY-MM" (the month a live record's term ends)."""

    key = models.CharField(max_length=220)
    n = models.IntegerField()

    def __str__(self) -> str:
        return f"{self.key} {self.n:+d}"


class FacetTotal(models.Model):
    """The facet counts folded from `FacetDelta` (one row per key; only the fold writes it)."""

    key = models.CharField(max_length=220, primary_key=True)
    n = models.IntegerField()

    def __str__(self) -> str:
        return f"{self.key} {self.n}"


class PairDelta(models.Model):
    """How many published agreements each pair of regions is a party to, as changes written by
    statement-level triggers (migration 0007), like `FacetDelta`: key "A|B" (the two Kemendagri
    codes, A < B), one insert per statement, never an update. The platform overview's "who
    cooperates with whom" reads the top pairs from these tables instead of pairing every
    record's regions (selectors.top_pairs)."""

    key = models.CharField(max_length=32)
    n = models.IntegerField()

    def __str__(self) -> str:
        return f"{self.key} {self.n:+d}"


class PairTotal(models.Model):
    """The pair counts folded from `PairDelta`; indexed by count, so the top pairs are the
    index's first rows."""

    key = models.CharField(max_length=32, primary_key=True)
    n = models.IntegerField()

    class Meta:
        indexes = [models.Index(F("n").desc(), "key", name="pubreg_pair_top")]

    def __str__(self) -> str:
        return f"{self.key} {self.n}"


class PublishedVersion(models.Model):
    """One published version of a record: the snapshot as the public saw it. Never edited or
    deleted (the database refuses it: migration 0001's trigger)."""

    record = models.ForeignKey(
        PublishedAgreement, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField()
    # Why this version was published: the audit action or the office's change (publishing.py).
    reason = models.CharField(max_length=40)
    snapshot = models.JSONField()
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["record", "number"], name="pubreg_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.record_id} v{self.number}"


def public_upload_to(instance, filename: str) -> str:
    return f"public_registry/{secrets.token_hex(12)}.pdf"


class PublishedDocument(models.Model):
    """A signed document as the public gets it: its fingerprint always, its copy (written at
    publication into the platform's public folder) unless the office withholds the documents."""

    record = models.ForeignKey(
        PublishedAgreement, on_delete=models.CASCADE, related_name="documents"
    )
    # The signed document it was copied from (cooperation.SignedDocument).
    source_id = models.IntegerField()
    instrument = models.CharField(max_length=16, choices=Instrument.choices)
    signed_on = models.DateField()
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to=public_upload_to, blank=True)
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["signed_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["record", "source_id"], name="pubreg_document_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_instrument_display()} {self.signed_on}"

    @property
    def withheld(self) -> bool:
        return not self.file


class Withholding(models.Model):
    """What the owning region's office withholds from the public record of one agreement, and
    why (shown with the record). May be set before the signing: the first publication honours
    it."""

    cooperation = models.OneToOneField(
        "cooperation.Cooperation", on_delete=models.PROTECT, related_name="withholding"
    )
    fields = ArrayField(
        models.CharField(max_length=32, choices=WithheldField.choices),
        default=list,
        blank=True,
        verbose_name=_("fields withheld"),
    )
    documents = models.BooleanField(_("withhold the signed documents"), default=False)
    reason = models.TextField(_("legal reason"), blank=True)
    set_by_email = models.CharField(max_length=254, blank=True)
    set_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.cooperation_id}: {', '.join(self.fields)}"

    @property
    def withholds_anything(self) -> bool:
        return bool(self.fields) or self.documents
