"""Getting one agreement for a person: what they may not see does not exist for them."""

from __future__ import annotations

from django.http import Http404

from agreements.models import Agreement
from agreements.policy import can_read_agreement
from tenants.models import Membership


def get_agreement_for(membership: Membership | None, pk: int) -> Agreement:
    """The agreement `pk` of this region's register, with its shared record, for a member who
    may read it (agreements.policy.can_read_agreement: the whole register, a viewer's dossiers, a
    camat's or lurah's area); Http404 otherwise, the same answer as for a missing one. The
    region's schema holds only its own agreements, so another region's never resolves."""
    if membership is None:
        raise Http404
    agreement = Agreement.objects.select_related("cooperation").filter(pk=pk).first()
    if agreement is None or not can_read_agreement(
        membership, dossier_members=agreement.dossier_members, areas=agreement.areas
    ):
        raise Http404
    return agreement
