"""The register's headline figures on the region's dashboard ({% register_figures %}): the
workspace's page shows them without importing the agreements app (independent layers), and the
figures are the agreements dashboard's own (agreements/reports/dashboard.py: headline)."""

from __future__ import annotations

from django import template
from django.utils import timezone

from agreements.reports.dashboard import headline
from cooperation.policy import AgreementPerm
from tenants.policy import has_perm

register = template.Library()


@register.inclusion_tag("agreements/_register_figures.html", takes_context=True)
def register_figures(context):
    """For those who may read the register: the figures of what they read (a camat their
    area's, a viewer their dossiers); nothing for the others."""
    request = context["request"]
    membership = getattr(request, "membership", None)
    if membership is None or not has_perm(
        request.user, request.tenant, AgreementPerm.VIEW_AGREEMENTS, membership
    ):
        return {"figures": None}
    return {"figures": headline(today=timezone.localdate(), membership=membership)}
