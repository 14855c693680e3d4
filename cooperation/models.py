"""The parties' shared record of an agreement (public schema): what every party to one agreement
sees alike — its terms, the parties and their signatories, the shared stage, the joint text's
versions and the signed documents.

Each party's private working record (internal notes, TKKSD reviews, the DPRD step, internal
documents) lives in that party's own schema (`agreements.Agreement`), which links here. Nothing
on the public portal reads these tables: publishing will take a snapshot (docs/architecture.md).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import urusan


class Kind(models.TextChoices):
    """The kinds of Kerja Sama Daerah (PP 28/2018)."""

    KSDD_WAJIB = "ksdd_wajib", _("KSDD, mandatory (with another region)")
    KSDD_SUKARELA = "ksdd_sukarela", _("KSDD, voluntary (with another region)")
    KSDPK = "ksdpk", _("KSDPK (with a third party)")
    KSDPL = "ksdpl", _("KSDPL (with a regional government abroad)")
    KSDLL = "ksdll", _("KSDLL (with an institution abroad)")
    SINERGI = "sinergi", _("Sinergi (with a ministry or central agency)")


class Stage(models.TextChoices):
    """The stages in the regulation's order. The order and the moves between them are fixed
    (agreements/register/lifecycle.py holds the one table of transitions)."""

    PREPARATION = "preparation", _("Preparation")
    OFFER = "offer", _("Offer")
    KSB_DRAFTING = "ksb_drafting", _("KSB drafting")
    KSB_SIGNED = "ksb_signed", _("KSB signed")
    DPRD_APPROVAL = "dprd_approval", _("DPRD approval")
    PKS_DRAFTING = "pks_drafting", _("PKS drafting")
    PKS_SIGNED = "pks_signed", _("PKS signed")
    IMPLEMENTATION = "implementation", _("Implementation")
    MONITORING = "monitoring", _("Monitoring and evaluation")
    ENDED = "ended", _("Ended")
    REJECTED = "rejected", _("Rejected")


class EndReason(models.TextChoices):
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated early")
    EXTENDED = "extended", _("Extended by a renewal")


class SigningMode(models.TextChoices):
    DESK_TO_DESK = "desk_to_desk", _("Desk to desk")
    CEREMONIAL = "ceremonial", _("Ceremonial")
    HYBRID = "hybrid", _("Hybrid")


class Instrument(models.TextChoices):
    """Which document was signed: the framework (Kesepakatan Bersama), the technical agreement
    (Perjanjian Kerja Sama) or an addendum (perubahan)."""

    KSB = "ksb", _("KSB (Kesepakatan Bersama)")
    PKS = "pks", _("PKS (Perjanjian Kerja Sama)")
    ADDENDUM = "addendum", _("Addendum")


class PartyKind(models.TextChoices):
    REGION = "region", _("Region")
    ORGANISATION = "organisation", _("Third party (organisation)")
    MINISTRY = "ministry", _("Ministry or central agency")
    FOREIGN = "foreign", _("Foreign government or institution")


# Which partner each kind of cooperation needs (besides the region itself).
PARTNER_KIND_FOR: dict[str, str] = {
    Kind.KSDD_WAJIB: PartyKind.REGION,
    Kind.KSDD_SUKARELA: PartyKind.REGION,
    Kind.KSDPK: PartyKind.ORGANISATION,
    Kind.KSDPL: PartyKind.FOREIGN,
    Kind.KSDLL: PartyKind.FOREIGN,
    Kind.SINERGI: PartyKind.MINISTRY,
}

# The agreement's terms as the parties share them, the fields of Cooperation the register enters
# and edits (agreements/register/actions.py and forms.py) and a renewal or an addendum copies
# (agreements/register/lifecycle.py).
SHARED_FIELDS = (
    "kind",
    "title",
    "urusan",
    "object",
    "scope",
    "purpose",
    "legal_basis",
    "funding_source",
    "term_start",
    "term_end",
)


class Cooperation(models.Model):
    """One agreement as its parties share it. `version` grows with every change, so two people
    editing the same agreement cannot silently overwrite each other
    (agreements/register/actions.py)."""

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    urusan = ArrayField(
        models.CharField(max_length=5, choices=urusan.CHOICES),
        verbose_name=_("urusan"),
        default=list,
    )
    object = models.TextField(_("object"), blank=True)
    scope = models.TextField(_("scope"), blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    funding_source = models.CharField(_("funding source"), max_length=300, blank=True)
    term_start = models.DateField(_("term start"), null=True, blank=True)
    term_end = models.DateField(_("term end"), null=True, blank=True)
    signing_place = models.CharField(_("place of signing"), max_length=150, blank=True)
    signed_on = models.DateField(_("date of signing"), null=True, blank=True)
    signing_mode = models.CharField(
        _("signing mode"), max_length=16, choices=SigningMode.choices, blank=True
    )
    stage = models.CharField(
        _("stage"), max_length=16, choices=Stage.choices, default=Stage.PREPARATION
    )
    # Set when the KSB is signed; a PKS under this agreement may be signed only then.
    ksb_signed_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=16, choices=EndReason.choices, blank=True)
    # The reason given for a termination or a rejection.
    closing_note = models.TextField(blank=True)
    ended_on = models.DateField(null=True, blank=True)
    # Relations between agreements: a PKS under its KSB, an addendum to its agreement, a
    # renewal of an earlier one.
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("under the KSB"),
    )
    amends = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="addenda"
    )
    renews = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="renewals"
    )
    # The region that started it (the others joined through their inbox).
    owner = models.ForeignKey(
        "tenants.Tenant", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["kind"], name="coop_kind"),
            models.Index(fields=["stage"], name="coop_stage"),
            models.Index(fields=["term_end"], name="coop_term_end"),
            GinIndex(fields=["urusan"], name="coop_urusan"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_start__isnull=True)
                | Q(term_end__isnull=True)
                | Q(term_end__gte=models.F("term_start")),
                name="coop_term_end_after_start",
            )
        ]
        verbose_name = _("shared agreement record")
        verbose_name_plural = _("shared agreement records")

    def __str__(self) -> str:
        return self.title

    @property
    def urusan_labels(self) -> list[str]:
        return [urusan.label(code) for code in self.urusan]


class Party(models.Model):
    """A party to an agreement: a region of the registry, or an organisation, ministry or
    foreign body named with its details. Each party has its own number for the document and
    its signatory, who signs on a stated basis of authority (the law, a power of attorney)."""

    cooperation = models.ForeignKey(Cooperation, on_delete=models.CASCADE, related_name="parties")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind of party"), max_length=16, choices=PartyKind.choices)
    region = models.ForeignKey(
        "tenants.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
    )
    # The region's name, or the organisation's: what lists show and search finds.
    name = models.CharField(_("name"), max_length=200)
    details = models.TextField(_("details (address, legal form, contact)"), blank=True)
    document_number = models.CharField(_("party's document number"), max_length=120, blank=True)
    signatory_name = models.CharField(_("signatory"), max_length=150, blank=True)
    signatory_position = models.CharField(_("signatory's position"), max_length=200, blank=True)
    signatory_authority = models.CharField(_("basis of authority"), max_length=300, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperation", "region"],
                condition=Q(region__isnull=False),
                name="party_region_once",
            )
        ]
        indexes = [models.Index(fields=["region"], name="party_region")]

    def __str__(self) -> str:
        return self.name

    @property
    def has_signatory(self) -> bool:
        return all(
            value.strip()
            for value in (self.signatory_name, self.signatory_position, self.signatory_authority)
        )


def signed_upload_to(instance, filename: str) -> str:
    # A random name with `.pdf`: only checked PDFs are stored, and a name never decides how a
    # stored file is treated. Stored under the uploading region's folder (per tenant).
    return f"agreements/signed/{secrets.token_hex(12)}.pdf"


class SignedDocument(models.Model):
    """A signed KSB, PKS or addendum (a scan, PDF), shared by the parties. The file lives in
    the folder of the region that uploaded it (`stored_schema`), which is where it is read."""

    cooperation = models.ForeignKey(
        Cooperation, on_delete=models.CASCADE, related_name="signed_documents"
    )
    instrument = models.CharField(max_length=16, choices=Instrument.choices)
    signed_on = models.DateField(_("date of signing"))
    signing_place = models.CharField(_("place of signing"), max_length=150, blank=True)
    file = models.FileField(upload_to=signed_upload_to)
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    stored_schema = models.CharField(max_length=63)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_by_email = models.CharField(max_length=254, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["signed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_instrument_display()} {self.signed_on}"


# --- Partner regions on one agreement (issue 6: offers between regions) ------------------------


class Answer(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class Participation(models.Model):
    """A partner region's answer to the offer of an agreement it is a party to. Once accepted,
    the region's own register holds a working record (`agreement_id`, in that region's schema)
    linked to this same shared record; declined, the reason is kept."""

    cooperation = models.ForeignKey(
        Cooperation, on_delete=models.CASCADE, related_name="participations"
    )
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    answer = models.CharField(_("answer"), max_length=16, choices=Answer.choices)
    reason = models.TextField(_("reason"), blank=True)
    # The partner's own `agreements.Agreement` (its schema): no constraint across schemas.
    agreement_id = models.PositiveIntegerField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    answered_by_email = models.CharField(max_length=254, blank=True)
    answered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cooperation", "tenant"], name="participation_once_per_region"
            )
        ]

    def __str__(self) -> str:
        return f"{self.tenant_id}: {self.answer}"


class PartySignature(models.Model):
    """One party region's signature of one instrument (the KSB, the PKS) on the shared record.
    With two or more regions that work on Jejaring, the signing completes only when every one
    of them has signed (agreements/register/lifecycle.py)."""

    cooperation = models.ForeignKey(
        Cooperation, on_delete=models.CASCADE, related_name="party_signatures"
    )
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    instrument = models.CharField(max_length=16, choices=Instrument.choices)
    signed_on = models.DateField(_("date of signing"))
    # The signed copy this party uploaded, or the one it confirmed as carrying its signature.
    document = models.ForeignKey(
        SignedDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    signed_by_email = models.CharField(max_length=254, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperation", "tenant", "instrument"], name="party_signs_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.tenant_id} {self.instrument} {self.signed_on}"


class Meeting(models.Model):
    """A meeting between the parties, recorded on the shared agreement: every party sees it."""

    cooperation = models.ForeignKey(Cooperation, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    host = models.ForeignKey(
        "tenants.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hosting region"),
    )
    attendees = models.TextField(_("attendees"))
    minutes = models.TextField(_("minutes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_by_email = models.CharField(max_length=254, blank=True)
    recorded_by_tenant = models.ForeignKey(
        "tenants.Tenant", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.place}"


# --- Proposals in: anyone with an account proposes a cooperation to a region -------------------


class ProposalState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted, awaiting the office")
    MORE_INFO = "more_info", _("More information asked")
    ACCEPTED = "accepted", _("Accepted into preparation")
    DECLINED = "declined", _("Declined")


class ProposerKind(models.TextChoices):
    COMPANY = "company", _("Company")
    UNIVERSITY = "university", _("University")
    ASSOCIATION = "association", _("Association or NGO")
    REGION = "region", _("Another region")
    OTHER = "other", _("Other organisation")


class Proposal(models.Model):
    """A cooperation proposal sent to a region from its public page by a platform account. The
    region's office triages it; accepted, it becomes an agreement in preparation in the
    region's register (`cooperation`, `agreement_id`)."""

    tenant = models.ForeignKey(
        "tenants.Tenant", on_delete=models.CASCADE, related_name="+", verbose_name=_("region")
    )
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    proposer_email = models.CharField(max_length=254)
    proposer_kind = models.CharField(_("who you are"), max_length=16, choices=ProposerKind.choices)
    organisation = models.CharField(_("organisation"), max_length=200)
    organisation_details = models.TextField(_("address, legal form and contact"), blank=True)
    from_region = models.ForeignKey(
        "tenants.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("the region you represent"),
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("what you propose"))
    urusan = ArrayField(
        models.CharField(max_length=5, choices=urusan.CHOICES),
        verbose_name=_("urusan"),
        default=list,
    )
    state = models.CharField(
        _("status"), max_length=16, choices=ProposalState.choices, default=ProposalState.SUBMITTED
    )
    # The office's question (more information) or its reason (declined).
    office_message = models.TextField(blank=True)
    proposer_reply = models.TextField(blank=True)
    cooperation = models.ForeignKey(
        Cooperation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The agreement in the region's register (its schema): no constraint across schemas.
    agreement_id = models.PositiveIntegerField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["tenant", "state"], name="proposal_tenant_state"),
            models.Index(fields=["proposer"], name="proposal_proposer"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def urusan_labels(self) -> list[str]:
        return [urusan.label(code) for code in self.urusan]


def proposal_upload_to(instance, filename: str) -> str:
    return f"proposals/{secrets.token_hex(12)}.pdf"


class ProposalAttachment(models.Model):
    """A PDF the proposer attached (checked to be PDF, size-limited). Stored in the platform's
    folder (`stored_schema`, the public schema), read through views that check who asks."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=proposal_upload_to)
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    stored_schema = models.CharField(max_length=63)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


# --- Joint preparation: the inventory of points and the joint text's versions -------------------


class InventoryPoint(models.Model):
    """A point a party region could cooperate on, listed by one of its offices or OPDs (the
    inventory per urusan, as Malang Raya prepares a joint agreement). The parties' offices then
    record their heads of region's priorities: the rank and whether the point is chosen. The
    chosen points become the agreement's scope and one PKS per urusan
    (agreements/partners/joint.py)."""

    cooperation = models.ForeignKey(Cooperation, on_delete=models.CASCADE, related_name="points")
    urusan = models.CharField(_("urusan"), max_length=5, choices=urusan.CHOICES)
    text = models.TextField(_("point"))
    region = models.ForeignKey(
        "tenants.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("proposing region"),
    )
    opd = models.CharField(_("proposing office or OPD"), max_length=150, blank=True)
    # The heads of region's priority: 1 first; empty while they have not ranked it.
    rank = models.PositiveSmallIntegerField(_("priority"), null=True, blank=True)
    chosen = models.BooleanField(_("chosen"), default=False)
    # The PKS this point went into (agreements/partners/joint.py), once the chosen points are
    # taken up.
    pks = models.ForeignKey(
        Cooperation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    proposed_by_email = models.CharField(max_length=254, blank=True)
    proposed_at = models.DateTimeField(auto_now_add=True)
    prioritised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = [models.F("rank").asc(nulls_last=True), "urusan", "pk"]
        indexes = [models.Index(fields=["cooperation", "urusan"], name="point_coop_urusan")]
        verbose_name = _("inventory point")
        verbose_name_plural = _("inventory points")

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def urusan_label(self) -> str:
        return urusan.label(self.urusan)


def text_version_upload_to(instance, filename: str) -> str:
    return f"agreements/joint-text/{secrets.token_hex(12)}.pdf"


class TextVersion(models.Model):
    """One version of the parties' joint text (the draft KSB or PKS): its text and/or a checked
    PDF with its SHA-256, numbered 1, 2, ... per agreement. A version is never edited: a change
    is a new version. The file lives in the uploading region's folder (`stored_schema`)."""

    cooperation = models.ForeignKey(
        Cooperation, on_delete=models.CASCADE, related_name="text_versions"
    )
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("text"), blank=True)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    file = models.FileField(upload_to=text_version_upload_to, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    stored_schema = models.CharField(max_length=63, blank=True)
    region = models.ForeignKey(
        "tenants.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    opd = models.CharField(_("drafting office or OPD"), max_length=150, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_email = models.CharField(max_length=254, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperation", "number"], name="text_version_number_once"
            ),
            models.CheckConstraint(
                condition=~Q(text="") | ~Q(file=""), name="text_version_text_or_file"
            ),
        ]
        verbose_name = _("joint text version")
        verbose_name_plural = _("joint text versions")

    def __str__(self) -> str:
        return f"v{self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("A joint text version is never edited: add a new version.")
        super().save(*args, **kwargs)
