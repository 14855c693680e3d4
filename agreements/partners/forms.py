"""Forms of the partner pages (offers, signing as a party, meetings). They shape input; the
actions (agreements/partners/actions.py) validate the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.register.documents import validate_agreement_pdf
from agreements.register.forms import DATE, VersionForm
from cooperation.models import SignedDocument
from tenants.models import Region


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class PartySigningForm(VersionForm):
    signed_on = forms.DateField(label=_("Date of signing"), widget=DATE)
    document = forms.FileField(
        label=_("Your signed copy (PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    confirms = forms.TypedChoiceField(
        label=_("Or confirm a signed copy another party uploaded"),
        required=False,
        coerce=int,
        empty_value=None,
    )

    def __init__(self, *args, copies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirms"].choices = [("", "—")] + [
            (d.pk, f"{d.get_instrument_display()}, {d.signed_on:%Y-%m-%d}, {d.original_name}")
            for d in copies
        ]

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if upload:
            validate_agreement_pdf(upload)
        return upload


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=200)
    host = forms.TypedChoiceField(label=_("Hosting region"), required=False, empty_value=None)
    attendees = forms.CharField(label=_("Attendees"), widget=forms.Textarea(attrs={"rows": 3}))
    minutes = forms.CharField(
        label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    decisions = forms.CharField(
        label=_("Decisions"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_steps = forms.CharField(
        label=_("Next steps"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].choices = [("", "—")] + [(r.code, r.full_name) for r in regions]

    def host_region(self) -> Region | None:
        code = self.cleaned_data.get("host")
        return Region.objects.filter(code=code).first() if code else None


def signed_copies(cooperation_pk: int, instrument: str):
    return SignedDocument.objects.filter(cooperation_id=cooperation_pk, instrument=instrument)
