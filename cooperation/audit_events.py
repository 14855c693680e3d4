"""The proposals' audit event types (proposal.*, and an inquiry made into a proposal),
registered in tenants.audit's one registry from CooperationConfig.ready(). The proposal is the
shared record's (cooperation.Proposal): the proposer's side records some of them
(shared_proposals.py), the office's triage the others (agreements/proposals/triage.py)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tenants import audit


def _proposal_submitted(data, names):
    return _("%(organisation)s proposed a cooperation: “%(title)s”.") % {
        "organisation": data["organisation"],
        "title": data["title"],
    }


def _proposal_more_info(data, names):
    return _("Asked the proposer of “%(title)s” for more: %(message)s") % {
        "title": data["title"],
        "message": data["message"],
    }


def _proposal_info_provided(data, names):
    return _("The proposer of “%(title)s” answered the office's question.") % {
        "title": data["title"]
    }


def _proposal_accepted(data, names):
    return _("Accepted the proposal “%(title)s” into preparation (agreement #%(agreement)s).") % {
        "title": data["title"],
        "agreement": data["agreement"],
    }


def _proposal_declined(data, names):
    return _("Declined the proposal “%(title)s”. Reason: %(reason)s") % {
        "title": data["title"],
        "reason": data["reason"],
    }


def _inquiry_proposal_made(data, names):
    return _(
        "Turned the inquiry “%(subject)s” about “%(listing)s” into the cooperation proposal "
        "#%(proposal)s."
    ) % {"subject": data["subject"], "listing": data["listing"], "proposal": data["proposal"]}


def register() -> None:
    audit.register("proposal.submitted", gettext_lazy("Proposal received"), _proposal_submitted)
    audit.register(
        "proposal.more_info_requested",
        gettext_lazy("More information asked of the proposer"),
        _proposal_more_info,
    )
    audit.register(
        "proposal.info_provided", gettext_lazy("Proposer answered"), _proposal_info_provided
    )
    audit.register("proposal.accepted", gettext_lazy("Proposal accepted"), _proposal_accepted)
    audit.register("proposal.declined", gettext_lazy("Proposal declined"), _proposal_declined)
    audit.register(
        "inquiry.proposal_made",
        gettext_lazy("Proposal made from an inquiry"),
        _inquiry_proposal_made,
    )
