"""Forms of the office's triage of proposals (agreements/proposals/views.py). They shape input;
the actions (agreements/proposals/triage.py) validate the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.register.forms import VersionForm
from cooperation.models import PARTNER_KIND_FOR, Kind, Proposal


# Kinds an office may accept a proposal as: those whose partner the proposal names (a region
# for a region's proposal, an organisation, ministry or foreign body otherwise).
def kinds_for(proposal: Proposal) -> list[tuple[str, str]]:
    wanted = "region" if proposal.from_region_id else None
    return [
        (value, label)
        for value, label in Kind.choices
        if (PARTNER_KIND_FOR[value] == "region") == (wanted == "region")
    ]


class AcceptProposalForm(VersionForm):
    kind = forms.ChoiceField(label=_("Kind of cooperation"))
    title = forms.CharField(label=_("Title in the register"), max_length=300)

    def __init__(self, *args, proposal: Proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds_for(proposal)


class ProposalMessageForm(VersionForm):
    message = forms.CharField(
        label=_("Message to the proposer"), widget=forms.Textarea(attrs={"rows": 4})
    )
