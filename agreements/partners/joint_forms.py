"""Forms of the joint preparation pages (agreements/partners/joint_views.py): a point of the
inventory, the heads of region's priorities, taking the chosen points up, a version of the joint
text, the region's own DPRD decision. They shape input; the actions (agreements/partners/joint.py)
validate the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.register.documents import validate_agreement_pdf
from agreements.register.forms import DATE, VersionForm
from cooperation import urusan


class PointForm(forms.Form):
    urusan = forms.ChoiceField(label=_("Urusan"), choices=[("", "—"), *urusan.CHOICES])
    text = forms.CharField(
        label=_("What your region could cooperate on"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class PrioritiesForm(forms.Form):
    """One priority and one "chosen" box per point of the inventory."""

    def __init__(self, *args, points=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.points = list(points)
        for point in self.points:
            self.fields[f"rank_{point.pk}"] = forms.IntegerField(
                label=_("Priority of “%(point)s”") % {"point": point.text[:60]},
                required=False,
                min_value=1,
                max_value=999,
                initial=point.rank,
            )
            self.fields[f"chosen_{point.pk}"] = forms.BooleanField(
                label=_("Chosen: “%(point)s”") % {"point": point.text[:60]},
                required=False,
                initial=point.chosen,
            )

    def rows(self):
        return [(p, self[f"rank_{p.pk}"], self[f"chosen_{p.pk}"]) for p in self.points]

    def priorities(self) -> dict[int, tuple]:
        data = self.cleaned_data
        return {p.pk: (data.get(f"rank_{p.pk}"), data.get(f"chosen_{p.pk}")) for p in self.points}


class AdoptForm(VersionForm):
    pass


class TextVersionForm(forms.Form):
    text = forms.CharField(
        label=_("Text of this version"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Enter the text, upload it as a PDF, or both."),
    )
    note = forms.CharField(label=_("What changed"), required=False, max_length=300)
    document = forms.FileField(
        label=_("The version as a PDF"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if upload:
            validate_agreement_pdf(upload)
        return upload


class CompareForm(forms.Form):
    old = forms.TypedChoiceField(label=_("Compare version"), coerce=int)
    new = forms.TypedChoiceField(label=_("with version"), coerce=int)

    def __init__(self, *args, numbers=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(n, f"v{n}") for n in numbers]
        self.fields["old"].choices = choices
        self.fields["new"].choices = choices


class OwnDprdForm(forms.Form):
    decision_number = forms.CharField(label=_("DPRD decision number"), max_length=120)
    decided_on = forms.DateField(label=_("DPRD decision date"), widget=DATE)
