"""The API's input and output shapes. Input serializers only shape and type-check what comes
in; every rule is the action's (marketplace.actions, cooperation.shared_proposals,
agreements.monitoring.actions), so the API refuses exactly what the web forms refuse, with the same
codes."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cooperation import urusan
from cooperation.models import ProposerKind
from core.hosts import platform_url
from marketplace import kbli
from marketplace.models import ListingKind, ListingLanguage, PotentialType
from tenants.models import RegionKind

# --- The error shape ---------------------------------------------------------------------------


class FieldErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class ErrorBodySerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("Stable, for programs: the same as the web pages'."))
    message = serializers.CharField(help_text=_("For people, translated."))
    fields = serializers.DictField(
        child=FieldErrorSerializer(many=True),
        required=False,
        help_text=_("Errors of each input field, by field name."),
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorBodySerializer()


# --- Fields ------------------------------------------------------------------------------------


@extend_schema_field(
    {
        "anyOf": [
            {"type": "string", "format": "email", "maxLength": 254},
            {"type": "string", "maxLength": 0},
        ],
        "description": "An e-mail address, or empty for none.",
    }
)
class OptionalEmailField(serializers.EmailField):
    """An e-mail address or nothing: the schema says both (`format: email` alone would make
    the empty string, which the API accepts, a schema violation)."""


# --- Regions -----------------------------------------------------------------------------------


class RegionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    full_name = serializers.CharField()
    kind = serializers.ChoiceField(choices=RegionKind.choices)
    parent = serializers.CharField(source="parent_id", allow_null=True)
    slug = serializers.CharField(allow_null=True)


class RegionDetailSerializer(RegionSerializer):
    ancestors = RegionSerializer(many=True)
    children = serializers.IntegerField(help_text=_("How many regions lie directly within."))


# --- Listings ----------------------------------------------------------------------------------


class AreaSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(source="full_name")


class PhotoSerializer(serializers.Serializer):
    url = serializers.SerializerMethodField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    caption = serializers.CharField()

    def get_url(self, photo) -> str:
        return platform_url(
            reverse(
                "marketplace:photo",
                args=[photo.listing_id, photo.pk],
                urlconf="portal.urls_public",
            )
        )


class ListingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ListingKind.choices)
    potential_type = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    sector = serializers.CharField()
    sector_label = serializers.CharField()
    urusan = serializers.CharField()
    urusan_label = serializers.CharField()
    region = AreaSerializer()
    area = AreaSerializer(allow_null=True)
    quantity = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    unit = serializers.CharField()
    price_min = serializers.DecimalField(max_digits=16, decimal_places=0, allow_null=True)
    price_max = serializers.DecimalField(max_digits=16, decimal_places=0, allow_null=True)
    contact_name = serializers.CharField()
    contact_phone = serializers.CharField()
    contact_email = serializers.CharField()
    valid_from = serializers.DateField(allow_null=True)
    valid_until = serializers.DateField()
    language = serializers.CharField()
    status = serializers.CharField(
        help_text=_("Published for everyone; other statuses only to the region's members.")
    )
    published_at = serializers.DateTimeField(allow_null=True)
    url = serializers.SerializerMethodField(help_text=_("The public page, once published."))
    photos = PhotoSerializer(many=True, source="photos.all")

    def get_url(self, listing) -> str | None:
        if not listing.is_public:
            return None
        return platform_url(
            reverse("marketplace:detail", args=[listing.pk], urlconf="portal.urls_public")
        )


class FacetOptionSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class SearchHitSerializer(serializers.Serializer):
    score = serializers.FloatField()
    distance_km = serializers.FloatField(allow_null=True)
    listing = ListingSerializer()


class ListingPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    backend = serializers.CharField(help_text=_("Which search index answered."))
    notices = serializers.ListField(child=serializers.CharField())
    results = SearchHitSerializer(many=True)
    facets = serializers.DictField(child=FacetOptionSerializer(many=True))


class ListingWriteSerializer(serializers.Serializer):
    """A listing's fields as a publisher fills them in (marketplace.actions.FIELDS)."""

    kind = serializers.ChoiceField(choices=ListingKind.choices)
    potential_type = serializers.ChoiceField(
        choices=PotentialType.choices, required=False, allow_blank=True, default=""
    )
    title = serializers.CharField(max_length=160)
    description = serializers.CharField(max_length=5000)
    sector = serializers.ChoiceField(choices=kbli.CHOICES)
    urusan = serializers.ChoiceField(choices=urusan.CHOICES)
    area = serializers.CharField(
        max_length=13,
        required=False,
        allow_blank=True,
        allow_null=True,
        default=None,
        help_text=_("A kecamatan or desa/kelurahan code of the region; empty: the whole region."),
    )
    quantity = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, default=None
    )
    unit = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    price_min = serializers.DecimalField(
        max_digits=16, decimal_places=0, required=False, allow_null=True, default=None
    )
    price_max = serializers.DecimalField(
        max_digits=16, decimal_places=0, required=False, allow_null=True, default=None
    )
    contact_name = serializers.CharField(max_length=120)
    contact_phone = serializers.CharField(
        max_length=30, required=False, allow_blank=True, default=""
    )
    # No default: OpenAPI's `format: email` cannot have '' as its default (the schema was
    # invalid); absent means none, as the model's blank default.
    contact_email = OptionalEmailField(required=False, allow_blank=True, max_length=254)
    valid_from = serializers.DateField(required=False, allow_null=True, default=None)
    valid_until = serializers.DateField()
    language = serializers.ChoiceField(
        choices=ListingLanguage.choices, required=False, default=ListingLanguage.INDONESIAN
    )


# --- Partner suggestions --------------------------------------------------------------------------


class ListingRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()


class ReasonSerializer(serializers.Serializer):
    code = serializers.CharField()
    points = serializers.FloatField()
    text = serializers.CharField()
    listings = ListingRefSerializer(many=True)
    agreements = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("The agreements' titles: only for members who read the register."),
    )


class SuggestionSerializer(serializers.Serializer):
    region = AreaSerializer()
    score = serializers.FloatField()
    distance_km = serializers.FloatField(allow_null=True)
    reasons = ReasonSerializer(many=True)


# --- Proposals ---------------------------------------------------------------------------------


class ProposalWriteSerializer(serializers.Serializer):
    region = serializers.CharField(
        max_length=13, help_text=_("The Kemendagri code of the region proposed to.")
    )
    proposer_kind = serializers.ChoiceField(choices=ProposerKind.choices)
    organisation = serializers.CharField(max_length=200)
    organisation_details = serializers.CharField(required=False, allow_blank=True, default="")
    from_region = serializers.CharField(
        max_length=13,
        required=False,
        allow_blank=True,
        allow_null=True,
        default=None,
        help_text=_("The region you represent, when proposer_kind is region."),
    )
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(max_length=20000)
    urusan = serializers.ListField(
        child=serializers.ChoiceField(choices=urusan.CHOICES), max_length=50
    )


class ProposalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    region = serializers.CharField(source="tenant.region_id")
    title = serializers.CharField()
    state = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, proposal) -> str:
        from cooperation.shared_proposals import proposer_link

        return proposer_link(proposal)


# --- Monitoring reports (a region's subdomain) ---------------------------------------------------


class MonitoringReportWriteSerializer(serializers.Serializer):
    period = serializers.RegexField(
        r"^\d{4}-[12]$",
        max_length=6,
        help_text=_("The semester: 2026-1 for January-June 2026, 2026-2 for July-December."),
    )
    progress = serializers.CharField(max_length=20000)
    problems = serializers.CharField(max_length=20000, required=False, allow_blank=True, default="")
    recommendation = serializers.CharField(max_length=20, help_text="continue | expand | stop")


class MonitoringReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    agreement = serializers.IntegerField(source="agreement_id")
    year = serializers.IntegerField()
    semester = serializers.IntegerField()
    progress = serializers.CharField()
    problems = serializers.CharField()
    recommendation = serializers.CharField()
    items_done = serializers.IntegerField()
    items_total = serializers.IntegerField()
    filed_at = serializers.DateTimeField()


# --- Published agreements (the public registry) ------------------------------------------------


class PublishedRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    instrument = serializers.CharField()
    instrument_label = serializers.CharField()
    urusan = serializers.ListField(child=serializers.CharField())
    urusan_labels = serializers.ListField(child=serializers.CharField())
    parties_text = serializers.CharField()
    signed_on = serializers.DateField()
    term_start = serializers.DateField(allow_null=True)
    term_end = serializers.DateField(allow_null=True)
    terminated = serializers.BooleanField()
    status = serializers.CharField(help_text="in_force | expiring | expired | terminated")
    status_label = serializers.CharField()
    document_count = serializers.IntegerField()
    url = serializers.CharField(help_text=_("The record's public page."))


class PublishedPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = PublishedRowSerializer(many=True)
    facets = serializers.DictField(child=FacetOptionSerializer(many=True))


class SignerCertificateSerializer(serializers.Serializer):
    name = serializers.CharField()
    subject = serializers.CharField()
    issuer = serializers.CharField()
    issuer_name = serializers.CharField()
    serial = serializers.CharField(help_text=_("Hexadecimal."))
    not_before = serializers.DateTimeField()
    not_after = serializers.DateTimeField()
    sha256 = serializers.CharField()


class SignatureTimestampSerializer(serializers.Serializer):
    time = serializers.DateTimeField()
    tsa = serializers.CharField(help_text=_("The timestamp authority's name."))
    tsa_subject = serializers.CharField()
    intact = serializers.BooleanField()
    trusted = serializers.BooleanField()


class OneSignatureSerializer(serializers.Serializer):
    signer = SignerCertificateSerializer()
    signed_at = serializers.DateTimeField(
        allow_null=True, help_text=_("The signing time the signer claims.")
    )
    timestamp = SignatureTimestampSerializer(allow_null=True)
    status = serializers.ChoiceField(
        choices=["verified", "unverified", "untrusted", "expired", "modified", "broken"]
    )
    intact = serializers.BooleanField()
    trusted = serializers.BooleanField(
        help_text=_("The certificate's chain reaches one of the platform's trust roots.")
    )
    chain = serializers.ListField(child=serializers.CharField())
    expired = serializers.BooleanField()
    valid_when_signed = serializers.BooleanField()
    coverage = serializers.CharField(allow_null=True)
    modification = serializers.CharField(
        allow_null=True, help_text="NONE | LTA_UPDATES | FORM_FILLING | ANNOTATIONS | OTHER"
    )


class SignatureAcceptanceSerializer(serializers.Serializer):
    region = serializers.CharField()
    accepted_at = serializers.DateTimeField()
    problem = serializers.CharField()
    reason = serializers.CharField()


class DocumentSignatureSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=["pending", "done", "failed"])
    verdict = serializers.CharField(
        allow_null=True,
        help_text="verified | unverified | untrusted | expired | modified | broken | unsigned",
    )
    verdict_label = serializers.CharField()
    flagged = serializers.BooleanField(
        help_text=_("The signature does not validate, or the file changed after signing.")
    )
    error_code = serializers.CharField(allow_null=True)
    checked_at = serializers.DateTimeField(allow_null=True)
    stale = serializers.BooleanField(
        help_text=_("The result is against earlier trust roots; a new check is due.")
    )
    signatures = OneSignatureSerializer(many=True)
    accepted_by = SignatureAcceptanceSerializer(many=True)


class PublishedDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    instrument = serializers.CharField()
    signed_on = serializers.DateField()
    name = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    url = serializers.CharField(
        allow_null=True, help_text=_("The public copy; null when the office withholds it.")
    )
    signature = DocumentSignatureSerializer(
        required=False, help_text=_("Its electronic signatures, checked by the platform.")
    )


class PublishedVersionRefSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    reason = serializers.CharField()
    reason_label = serializers.CharField()
    published_at = serializers.DateTimeField()
    url = serializers.CharField(help_text=_("This version's snapshot in the API."))


class RelatedRecordSerializer(serializers.Serializer):
    relation = serializers.CharField(
        help_text="parent | amends | renews | child | addendum | renewal"
    )
    relation_label = serializers.CharField()
    id = serializers.IntegerField()
    title = serializers.CharField()


class PublishedDetailSerializer(PublishedRowSerializer):
    stage = serializers.CharField()
    version = serializers.IntegerField()
    published_at = serializers.DateTimeField()
    modified_at = serializers.DateTimeField()
    record = serializers.DictField(
        help_text=_(
            "The published snapshot of this version: terms, parties, documents, relations and "
            "what the office withholds (withheld values are null)."
        )
    )
    documents = PublishedDocumentSerializer(many=True)
    versions = PublishedVersionRefSerializer(many=True)
    related = RelatedRecordSerializer(many=True)


class PublishedVersionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField()
    reason = serializers.CharField()
    reason_label = serializers.CharField()
    published_at = serializers.DateTimeField()
    record = serializers.DictField()
