"""Absolute links between the platform (base domain) and regions' subdomains."""

from django.conf import settings


def _origin(host: str) -> str:
    port = settings.JEJARING_PORT
    default = {"http": "80", "https": "443"}[settings.JEJARING_SCHEME]
    suffix = f":{port}" if port and port != default else ""
    return f"{settings.JEJARING_SCHEME}://{host}{suffix}"


def region_domain(slug: str) -> str:
    return f"{slug}.{settings.JEJARING_BASE_DOMAIN}"


def tenant_url(tenant, path: str = "/") -> str:
    return _origin(region_domain(tenant.region.slug)) + path


def platform_url(path: str = "/") -> str:
    return _origin(settings.JEJARING_BASE_DOMAIN) + path
