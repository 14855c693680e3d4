"""The form that turns a member's inquiry into an offer (agreements/proposals/inquiries.py
decides)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.proposals.inquiries import REGIONAL_KINDS
from cooperation.models import Kind


class OfferFromInquiryForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(k, label) for k, label in Kind.choices if k in REGIONAL_KINDS],
        initial=Kind.KSDD_SUKARELA,
    )
    title = forms.CharField(label=_("Title of the agreement"), max_length=300)
