from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from .tokens import LIFETIMES


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        help_text=_("The integration that will use it, e.g. “SIPD listing sync”."),
    )
    days = forms.TypedChoiceField(
        label=_("Valid for"),
        coerce=int,
        choices=[(d, ngettext_lazy("%(n)s day", "%(n)s days", d) % {"n": d}) for d in LIFETIMES],
        initial=90,
    )
