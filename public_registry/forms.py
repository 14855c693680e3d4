from django import forms
from django.utils.translation import gettext_lazy as _

from .models import WithheldField


class WithholdingForm(forms.Form):
    fields = forms.MultipleChoiceField(
        label=_("Fields to withhold"),
        choices=WithheldField.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    documents = forms.BooleanField(label=_("Withhold the signed documents"), required=False)
    reason = forms.CharField(
        label=_("Legal reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Shown to the public with the record: the exception of UU 14/2008 on public "
            "information (Pasal 17) and the interest it protects."
        ),
        max_length=2000,
    )
