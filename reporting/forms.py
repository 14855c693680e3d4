"""Reporting's forms: they shape input; the actions decide (reporting/actions.py)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from agreements.reports.forms import LetterForm, SemesterForm
from agreements.reports.letter import LetterDetails
from agreements.reports.semester import STATUSES
from cooperation.models import Kind
from core.spreadsheets import no_control_characters

__all__ = ["CorrectionForm", "LetterForm", "PaperReportForm", "ReturnForm", "SemesterForm"]


LETTER_FIELDS = (
    "number",
    "place",
    "date",
    "signatory_name",
    "signatory_position",
    "signatory_nip",
)


def letter_of(form) -> LetterDetails:
    return LetterDetails(**{name: form.cleaned_data[name] for name in LETTER_FIELDS})


class CorrectionForm(LetterForm):
    """A correction: a new letter and the reason the report is corrected."""

    def details(self) -> LetterDetails:
        return letter_of(self)

    reason = forms.CharField(
        label=gettext_lazy("Reason for the correction"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is it returned?"),
        help_text=gettext_lazy("The region's office reads this and corrects its report."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        validators=[no_control_characters],
    )


def figure_field(kind: str, status: str) -> str:
    return f"n_{kind}_{status}"


class PaperReportForm(LetterForm):
    """A paper report: its letter, its figures by kind and status, the scanned letter."""

    scanned_letter = forms.FileField(
        label=gettext_lazy("Scanned letter (PDF)"),
        help_text=gettext_lazy("The signed letter as received, scanned to PDF (at most 5 MB)."),
    )

    reason = forms.CharField(
        label=gettext_lazy("Reason for the correction"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args, correcting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if correcting:
            self.fields["reason"].required = True
        else:
            del self.fields["reason"]
        for kind, kind_label in Kind.choices:
            for status, status_label in STATUSES:
                self.fields[figure_field(kind, status)] = forms.IntegerField(
                    label=f"{kind_label}: {status_label}",
                    min_value=0,
                    max_value=100_000,
                    initial=0,
                    required=False,
                )

    def grid(self):
        """The figure fields as rows (one per kind) for the template's table."""
        return [
            (
                kind_label,
                [self[figure_field(kind, status)] for status, _label in STATUSES],
            )
            for kind, kind_label in Kind.choices
        ]

    def details(self) -> LetterDetails:
        return letter_of(self)

    def letter_fields(self):
        return [self[name] for name in (*LETTER_FIELDS, "scanned_letter")]

    def figures(self) -> dict:
        data = self.cleaned_data
        return {
            kind: {status: data.get(figure_field(kind, status)) or 0 for status, _l in STATUSES}
            for kind in Kind.values
        }
