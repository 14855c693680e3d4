from django import forms
from django.utils.translation import gettext_lazy as _

from .models import RequestKind


class ErasureForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "I understand what will be erased and what will be kept, and that I cannot sign "
            "in afterwards."
        ),
        required=True,
    )
    details = forms.CharField(
        label=_("Anything staff should know (optional)"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OtherRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Request"),
        choices=[
            (RequestKind.CORRECTION, RequestKind.CORRECTION.label),
            (RequestKind.RESTRICTION, RequestKind.RESTRICTION.label),
        ],
    )
    details = forms.CharField(
        label=_("What should be corrected, or which processing restricted, and why"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class AnswerForm(forms.Form):
    outcome = forms.CharField(
        label=_("What was done, or why it is refused (told to the person)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class RefuseForm(forms.Form):
    outcome = forms.CharField(
        label=_("The reason for refusing (told to the person)"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class NameForm(forms.Form):
    full_name = forms.CharField(label=_("Your full name"), max_length=150)
