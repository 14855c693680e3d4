"""The form of a saved search's name. It shapes input; marketplace/saved_searches.py decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .saved_searches import MAX_NAME


class SavedSearchForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the search"),
        max_length=MAX_NAME,
        help_text=_("So you recognise it in the daily e-mail, such as “Tempe from Jawa Timur”."),
    )
