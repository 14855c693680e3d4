"""The synonyms page's form. It shapes input; search/synonyms.py decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SynonymForm(forms.Form):
    words = forms.CharField(
        label=_("Words that mean the same"),
        max_length=300,
        help_text=_(
            "Separated by commas, in any language listings are written in: tempe, tempeh. "
            "A phrase counts as one word: rumput laut, seaweed."
        ),
    )
