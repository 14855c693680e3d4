"""The Content-Security-Policy middleware (django-csp) with one exception: Wagtail's admin.

Wagtail 8's admin runs inline scripts and applies inline styles (its page explorer and editor;
seen blocked in headless Chromium under the strict policy) and previews pages in a same-origin
iframe. Under /cms/ only, which only signed-in staff with a second factor reach, the policy
therefore allows inline script and style and framing by the platform itself. A preview is
rendered through a dummy request for the page's own URL (Wagtail marks it `is_dummy`): it keeps
the strict policy but may be framed by the platform's admin. Every other page keeps the strict
policy of portal/settings (no inline code, no framing)."""

from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.middleware import PolicyParts
from django.conf import settings

CMS_PREFIX = "/cms/"
CMS_ADMIN_REPLACE = {
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "frame-src": ["'self'"],
    "frame-ancestors": ["'self'"],
}

PREVIEW_REPLACE = {"frame-ancestors": ["'self'"]}


class CSPMiddleware(BaseCSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if (
            not report_only
            and request.path_info.startswith(CMS_PREFIX)
            and getattr(request, "urlconf", settings.ROOT_URLCONF) == settings.PUBLIC_SCHEMA_URLCONF
            and parts.replace is None
        ):
            parts.replace = CMS_ADMIN_REPLACE
        elif not report_only and getattr(request, "is_dummy", False) and parts.replace is None:
            parts.replace = PREVIEW_REPLACE
        return parts
