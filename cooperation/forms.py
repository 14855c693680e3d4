"""The proposer's forms (platform pages). They shape input; cooperation/shared_proposals.py
validates the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tenants.forms import RegionCodeField
from tenants.models import Region

from . import urusan
from .models import ProposerKind


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePdfField(forms.FileField):
    """Several files in one field (Django's documented pattern); each is checked by the
    action (a real PDF within the size limit)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "application/pdf", "multiple": True})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ProposalForm(forms.Form):
    proposer_kind = forms.ChoiceField(label=_("Who you are"), choices=ProposerKind.choices)
    organisation = forms.CharField(label=_("Organisation"), max_length=200)
    organisation_details = forms.CharField(
        label=_("Address, legal form and contact"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    from_region = RegionCodeField(
        label=_("The region you represent (Kemendagri code)"),
        required=False,
        queryset=Region.objects.all(),
        help_text=_("Only when you propose for another region, e.g. 65.71 for Kota Tarakan."),
    )
    title = forms.CharField(label=_("Title of your proposal"), max_length=300)
    description = forms.CharField(
        label=_("What you propose"), widget=forms.Textarea(attrs={"rows": 6})
    )
    urusan = forms.MultipleChoiceField(
        label=_("Urusan"), choices=urusan.CHOICES, widget=forms.CheckboxSelectMultiple
    )
    attachments = MultiplePdfField(
        label=_("Attachments (PDF)"),
        required=False,
        help_text=_("Up to 5 PDF files, together within the upload limit."),
    )


class ReplyForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reply = forms.CharField(label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 4}))
    attachments = MultiplePdfField(label=_("More attachments (PDF)"), required=False)
