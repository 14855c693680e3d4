"""The agreement page's action plan and monitoring reports ({% monitoring_section agreement %}),
for those who read the region's internal chain: the detail view stays as it is."""

from __future__ import annotations

from django import template

from agreements.monitoring import selectors as monitoring_selectors
from agreements.monitoring.actions import CLOSED_STAGES, MONITORED_STAGES
from agreements.policy import can_work_on_agreement

register = template.Library()


@register.inclusion_tag("agreements/monitoring/_section.html", takes_context=True)
def monitoring_section(context, agreement):
    request = context["request"]
    stage = agreement.cooperation.stage
    return {
        "request": request,
        "agreement": agreement,
        "items": list(monitoring_selectors.action_plan(agreement)),
        "reports": list(monitoring_selectors.monitoring_reports(agreement)),
        "can_work": can_work_on_agreement(
            getattr(request, "membership", None), agreement.responsible_opd
        ),
        "closed": stage in CLOSED_STAGES,
        "monitored": stage in MONITORED_STAGES,
    }
