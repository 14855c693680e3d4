"""`{% partner_panel agreement %}`: on an agreement's page, the party regions working on it from
their own workspaces (their answers and signatures), the meetings between the parties, the joint
preparation (the inventory of points, the joint text's versions), the link to sign as a party
when it is this region's turn, and this region's own DPRD step. Only the shared record and this
region's own agreement are read."""

from __future__ import annotations

from django import template

from agreements.partners import actions as partners
from agreements.partners import joint
from cooperation.models import InventoryPoint, Meeting, Stage, TextVersion
from cooperation.policy import AgreementPerm
from tenants.policy import has_perm

register = template.Library()


@register.inclusion_tag("agreements/partners/_panel.html", takes_context=True)
def partner_panel(context, agreement):
    request = context["request"]
    cooperation = agreement.cooperation
    rows = partners.partner_rows(cooperation)
    runs = has_perm(
        request.user, request.tenant, AgreementPerm.RUN_AGREEMENT_LIFECYCLE, request.membership
    )
    internal = has_perm(
        request.user, request.tenant, AgreementPerm.VIEW_AGREEMENT_INTERNALS, request.membership
    )
    return {
        "request": request,
        "agreement": agreement,
        "partners": rows if len(rows) > 1 else [],
        "meeting_count": Meeting.objects.filter(cooperation_id=cooperation.pk).count(),
        "point_count": InventoryPoint.objects.filter(cooperation_id=cooperation.pk).count(),
        "version_count": TextVersion.objects.filter(cooperation_id=cooperation.pk).count(),
        # This region's own DPRD step (its register only): to record, or holding up its PKS.
        "own_dprd": runs and joint.may_record_own_dprd(agreement, cooperation),
        "pks_waits_for_dprd": internal
        and cooperation.stage == Stage.PKS_DRAFTING
        and agreement.dprd_required
        and agreement.dprd_decided_on is None,
        "can_sign": runs
        and request.tenant.accepts_writes
        and partners.may_sign_as_party(request.tenant, cooperation),
    }
