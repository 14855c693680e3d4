"""Forms of the semester report page: the semester, and the letter's details the office enters
(agreements/reports/letter.py). They shape input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from agreements.reports.letter import LetterDetails, clean_nip
from core.spreadsheets import no_control_characters


class SemesterForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=1945, max_value=2100)
    semester = forms.TypedChoiceField(
        label=gettext_lazy("Semester"),
        coerce=int,
        choices=[(1, gettext_lazy("January-June")), (2, gettext_lazy("July-December"))],
    )


class LetterForm(forms.Form):
    """The letter's details the office enters on the report page (report_letter.LetterDetails)."""

    number = forms.CharField(
        label=gettext_lazy("Letter number"),
        max_length=100,
        help_text=gettext_lazy("As the office's register of outgoing letters gives it."),
    )
    place = forms.CharField(label=gettext_lazy("Place"), max_length=100)
    date = forms.DateField(
        label=gettext_lazy("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    signatory_name = forms.CharField(label=gettext_lazy("Signatory's name"), max_length=150)
    signatory_position = forms.CharField(
        label=gettext_lazy("Signatory's position"),
        max_length=200,
        help_text=gettext_lazy("The head of region (Wali Kota, Bupati, Gubernur) or the Sekda."),
    )
    signatory_nip = forms.CharField(
        label=gettext_lazy("Signatory's NIP"),
        max_length=30,
        required=False,
        help_text=gettext_lazy(
            "18 digits, for a civil servant such as the Sekda; an elected head of region has none."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Every text of the letter goes into the frozen XLSX and PDF.
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                field.validators.append(no_control_characters)

    def clean_signatory_nip(self) -> str:
        return clean_nip(self.cleaned_data["signatory_nip"])

    def details(self) -> LetterDetails:
        return LetterDetails(**self.cleaned_data)
