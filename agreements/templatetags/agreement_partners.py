"""`{% partner_panel agreement %}`: on an agreement's page, the party regions working on it from
their own workspaces (their answers and signatures), the meetings between the parties, and the
link to sign as a party when it is this region's turn. Only the shared record is read."""

from __future__ import annotations

from django import template

from agreements import partners
from cooperation.models import Meeting
from tenants.policy import Perm, has_perm

register = template.Library()


@register.inclusion_tag("agreements/partners/_panel.html", takes_context=True)
def partner_panel(context, agreement):
    request = context["request"]
    cooperation = agreement.cooperation
    rows = partners.partner_rows(cooperation)
    runs = has_perm(request.user, request.tenant, Perm.RUN_AGREEMENT_LIFECYCLE, request.membership)
    return {
        "request": request,
        "agreement": agreement,
        "partners": rows if len(rows) > 1 else [],
        "meeting_count": Meeting.objects.filter(cooperation_id=cooperation.pk).count(),
        "can_sign": runs
        and not request.tenant.is_suspended
        and partners.may_sign_as_party(request.tenant, cooperation),
    }
