"""The account menu's links (portal/templates/base.html): "My data" for everyone signed in and
"Data requests" for the staff who answer them, on every host: the pages are the platform's, so
a region's subdomain links there."""

from django import template
from django.conf import settings
from django.urls import reverse

from core.hosts import platform_url

register = template.Library()


def _platform(name: str) -> str:
    return platform_url(reverse(name, urlconf=settings.PUBLIC_SCHEMA_URLCONF))


@register.simple_tag
def my_data_url() -> str:
    return _platform("privacy:mine")


@register.simple_tag
def data_requests_url() -> str:
    """Platform staff's list of personal data requests (shown to those who answer them)."""
    return _platform("privacy:staff_list")
