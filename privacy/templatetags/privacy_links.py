"""The "My data" link of the account menu (portal/templates/base.html), on every host: the
pages are the platform's, so a region's subdomain links there."""

from django import template
from django.conf import settings
from django.urls import reverse

from core.hosts import platform_url

register = template.Library()


@register.simple_tag
def my_data_url() -> str:
    return platform_url(reverse("privacy:mine", urlconf=settings.PUBLIC_SCHEMA_URLCONF))
