"""`{% proposal_url region as url %}`: the platform's page for proposing a cooperation to
`region`, or "" when the region takes no proposals (not on Jejaring, suspended, being deleted).
Built against the platform's URL conf, so the region's public page also renders under Wagtail's
preview."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import reverse

from cooperation.shared_proposals import proposable_tenant

register = template.Library()


@register.simple_tag
def proposal_url(region) -> str:
    if region is None or not region.slug or proposable_tenant(region) is None:
        return ""
    return reverse("proposals:propose", args=[region.slug], urlconf=settings.PUBLIC_SCHEMA_URLCONF)
