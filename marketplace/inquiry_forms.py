"""Forms of the inquiry pages. They shape input; marketplace/inquiries.py decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cooperation.models import ProposerKind

from .inquiries import MAX_BODY, MAX_SUBJECT


class InquiryForm(forms.Form):
    sender_tenant = forms.TypedChoiceField(
        label=_("You write"), required=False, coerce=int, empty_value=None
    )
    subject = forms.CharField(label=_("Subject"), max_length=MAX_SUBJECT)
    body = forms.CharField(
        label=_("Your message"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What interests you, in what quantity, by when, and how to reach you."),
    )

    def __init__(self, *args, regions=(), **kwargs):
        """`regions`: those the person may write for (inquiries.member_regions). A member of a
        region writes for it by default (the first, when they belong to several); writing on
        their own behalf, as a third party, is the choice they make."""
        super().__init__(*args, **kwargs)
        self.regions = {t.pk: t for t in regions}
        if regions:
            self.fields["sender_tenant"].initial = regions[0].pk
        self.fields["sender_tenant"].choices = [
            ("", _("For myself or my organisation (a third party)")),
            *[(t.pk, _("For %(region)s, as its member") % {"region": t.name}) for t in regions],
        ]

    def clean_sender_tenant(self):
        pk = self.cleaned_data.get("sender_tenant")
        return self.regions.get(pk) if pk is not None else None


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"), max_length=MAX_BODY, widget=forms.Textarea(attrs={"rows": 4})
    )


class InquiryProposalForm(forms.Form):
    """A third party's inquiry as a cooperation proposal to the listing's region."""

    proposer_kind = forms.ChoiceField(
        label=_("Who you are"),
        choices=[(k, label) for k, label in ProposerKind.choices if k != ProposerKind.REGION],
    )
    organisation = forms.CharField(label=_("Organisation"), max_length=200)
    organisation_details = forms.CharField(
        label=_("Address, legal form and contact"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    title = forms.CharField(label=_("Title of your proposal"), max_length=300)
    description = forms.CharField(
        label=_("What you propose"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("The listing and your conversation with the region are carried over."),
    )
