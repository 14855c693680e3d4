"""The register's forms. They shape input; the actions validate the rules and raise the codes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.models import PRIVATE_FIELDS, Agreement, Recommendation
from agreements.register import selectors, stages
from agreements.register.documents import validate_agreement_pdf
from agreements.register.parties import PARTY_FIELDS, PartyData
from agreements.register.status import RegisterStatus
from cooperation import urusan
from cooperation.models import SHARED_FIELDS, Instrument, Kind, PartyKind, SigningMode, Stage
from tenants.forms import RegionCodeField
from tenants.models import Region

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VersionForm(forms.Form):
    """Carries the version the person saw (optimistic concurrency)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class AgreementForm(VersionForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    urusan = forms.MultipleChoiceField(
        label=_("Urusan"), choices=urusan.CHOICES, widget=forms.CheckboxSelectMultiple
    )
    object = forms.CharField(label=_("Object"), widget=forms.Textarea(attrs={"rows": 2}))
    scope = forms.CharField(
        label=_("Scope"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    purpose = forms.CharField(
        label=_("Purpose"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    legal_basis = forms.CharField(
        label=_("Legal basis"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    funding_source = forms.CharField(label=_("Funding source"), required=False, max_length=300)
    term_start = forms.DateField(label=_("Term start"), required=False, widget=DATE)
    term_end = forms.DateField(label=_("Term end"), required=False, widget=DATE)
    parent = forms.TypedChoiceField(
        label=_("Under the KSB"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("For a PKS: the KSB it implements."),
    )
    responsible_opd = forms.CharField(label=_("Responsible OPD"), required=False, max_length=150)
    burdens_public = forms.BooleanField(
        label=_("It burdens the public or the region"),
        required=False,
        help_text=_("Then the DPRD must approve it."),
    )
    funded_in_current_budget = forms.BooleanField(
        label=_("Its funding is in the current year's budget (or it needs none)"),
        required=False,
        help_text=_("If not, the DPRD must approve it."),
    )
    internal_notes = forms.CharField(
        label=_("Internal notes (only this region sees them)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    SHARED = SHARED_FIELDS
    PRIVATE = PRIVATE_FIELDS

    def __init__(self, *args, locked: bool = False, with_version: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        # A PKS falls under one of this region's own KSBs (never a PKS).
        ksbs = (
            Agreement.objects.filter(cooperation__parent__isnull=True)
            .exclude(cooperation__stage=Stage.REJECTED)
            .select_related("cooperation")
            .order_by("-created_at")[:300]
        )
        self.fields["parent"].choices = [("", "—")] + [(a.pk, a.cooperation.title) for a in ksbs]
        if not with_version:
            del self.fields["version"]
        if locked:  # signed: the terms change only by an addendum
            for name in (*self.SHARED, "parent"):
                del self.fields[name]

    def parent_agreement(self) -> Agreement | None:
        pk = self.cleaned_data.get("parent")
        return Agreement.objects.filter(pk=pk).first() if pk else None

    def shared_data(self) -> dict | None:
        if "title" not in self.fields:
            return None
        return {name: self.cleaned_data.get(name) for name in self.SHARED}

    def private_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.PRIVATE}


class PartyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of party"), choices=PartyKind.choices)
    region = RegionCodeField(
        label=_("Region code"),
        required=False,
        queryset=Region.objects.autonomous(),
        help_text=_("For a region: its Kemendagri code, e.g. 35.07."),
    )
    name = forms.CharField(
        label=_("Name (organisation, ministry, foreign body)"), required=False, max_length=200
    )
    details = forms.CharField(
        label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    document_number = forms.CharField(
        label=_("Party's document number"), required=False, max_length=120
    )
    signatory_name = forms.CharField(label=_("Signatory"), required=False, max_length=150)
    signatory_position = forms.CharField(
        label=_("Signatory's position"), required=False, max_length=200
    )
    signatory_authority = forms.CharField(
        label=_("Basis of authority"), required=False, max_length=300
    )

    def party(self) -> PartyData | None:
        data = self.cleaned_data
        if not data or not (data.get("region") or (data.get("name") or "").strip()):
            return None  # an empty row
        return PartyData(
            **{k: data.get(k) or ("" if k != "region" else None) for k in PARTY_FIELDS}
        )


PartyFormSet = forms.formset_factory(PartyForm, extra=2, max_num=20, validate_max=True)


def parties_initial(cooperation=None, region: Region | None = None) -> list[dict]:
    if cooperation is not None:
        return [
            {
                "kind": p.kind,
                "region": p.region_id or "",
                "name": "" if p.region_id else p.name,
                "details": p.details,
                "document_number": p.document_number,
                "signatory_name": p.signatory_name,
                "signatory_position": p.signatory_position,
                "signatory_authority": p.signatory_authority,
            }
            for p in cooperation.parties.all()
        ]
    return [{"kind": PartyKind.REGION, "region": region.code if region else ""}]


class SigningForm(VersionForm):
    signed_on = forms.DateField(label=_("Date of signing"), widget=DATE)
    signing_place = forms.CharField(label=_("Place of signing"), max_length=150)
    signing_mode = forms.ChoiceField(label=_("Signing mode"), choices=SigningMode.choices)
    document = forms.FileField(
        label=_("Signed document (PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if upload:
            validate_agreement_pdf(upload)
        return upload


class SignedEntryForm(SigningForm):
    """An old agreement entered directly as signed."""

    instrument = forms.ChoiceField(
        label=_("Signed document"),
        choices=[(Instrument.KSB, Instrument.KSB.label), (Instrument.PKS, Instrument.PKS.label)],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["version"]


class DprdForm(VersionForm):
    dprd_decision_number = forms.CharField(label=_("DPRD decision number"), max_length=120)
    dprd_decided_on = forms.DateField(label=_("DPRD decision date"), widget=DATE)


class ReasonForm(VersionForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class TerminationForm(ReasonForm):
    ended_on = forms.DateField(label=_("Ends on"), widget=DATE)


class RenewalForm(VersionForm):
    term_end = forms.DateField(label=_("The renewal's term ends on"), widget=DATE)


class AddendumForm(SigningForm):
    title = forms.CharField(label=_("Addendum title"), max_length=300)


TRANSITION_FORMS: dict[str, type[forms.Form]] = {
    "": VersionForm,
    "signing": SigningForm,
    "dprd": DprdForm,
    "reason": ReasonForm,
    "termination": TerminationForm,
    "renewal": RenewalForm,
    "addendum": AddendumForm,
}


class ReviewForm(forms.Form):
    recommendation = forms.ChoiceField(
        label=_("Recommendation"), choices=Recommendation.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class InternalDocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("File (PDF)"), widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"})
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_agreement_pdf(upload)
        return upload


class RegisterFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds"))] + Kind.choices
    )
    stage = forms.ChoiceField(label=_("Stage"), required=False)
    urusan = forms.ChoiceField(
        label=_("Urusan"), required=False, choices=[("", _("All urusan"))] + urusan.CHOICES
    )
    partner = forms.CharField(label=_("Partner"), required=False, max_length=100)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1945, max_value=2100)
    expiring = forms.BooleanField(label=_("Expiring within 90 days"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *RegisterStatus.choices],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("-updated", _("Last changed")),
            ("title", _("Title")),
            ("kind", _("Kind")),
            ("stage", _("Stage")),
            ("term_end", _("Term end")),
            ("-term_start", _("Newest term")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # As the region labels its stages (agreements/register/stages.py).
        self.fields["stage"].choices = [("", _("All stages")), *stages.choices()]

    def filters(self) -> selectors.RegisterFilters:
        """The register's filters this form holds. A filter the form refuses is ignored, so
        the list, its export and the dashboard's links read the same rows."""
        data = self.cleaned_data if self.is_valid() else {}
        return selectors.RegisterFilters(
            query=data.get("q") or "",
            kind=data.get("kind") or "",
            stage=data.get("stage") or "",
            urusan=data.get("urusan") or "",
            partner=data.get("partner") or "",
            year=data.get("year"),
            expiring_soon=bool(data.get("expiring")),
            status=data.get("status") or "",
            sort=data.get("sort") or selectors.DEFAULT_SORT,
        )


class AreasForm(forms.Form):
    """The areas an agreement concerns: the region's kecamatan and desa/kelurahan."""

    areas = forms.MultipleChoiceField(
        label=_("Areas it concerns"),
        required=False,
        help_text=_(
            "The kecamatan and desa/kelurahan it concerns: their camat and lurah read it. "
            "None: it concerns the whole region."
        ),
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].choices = [
            (r.code, r.full_name if r.kind == "kecamatan" else f"\u2003{r.full_name}")
            for r in areas
        ]


class DossierForm(forms.Form):
    member = forms.TypedChoiceField(label=_("Viewer (DPRD member)"), coerce=int)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {m.pk: m for m in candidates}
        self.fields["member"].choices = [("", "---------")] + [
            (m.pk, m.user.email) for m in self.candidates.values()
        ]

    def clean_member(self):
        return self.candidates.get(self.cleaned_data["member"])


class StageLabelsForm(forms.Form):
    """The region's label of each stage; blank for the default one. Validated by
    stages.update_stage_labels (length, no two stages with the same label)."""

    prefix = "stage"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, default in Stage.choices:
            self.fields[value] = forms.CharField(
                label=default,
                required=False,
                max_length=stages.MAX_LABEL_LENGTH,
                help_text=_("Blank: “%(label)s”.") % {"label": default},
            )
