"""The schema and its browsable docs, served by the site itself (no CDN: the site's
Content-Security-Policy allows scripts and styles from its own origin only). Swagger UI comes
from drf-spectacular-sidecar's static files; its start-up script is a separate request
(SpectacularSwaggerSplitView), so no inline script is needed."""

from __future__ import annotations

from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView


class SchemaView(SpectacularJSONAPIView):
    # Every call counts against the rate limits like any other; no token is needed.
    authentication_classes = []


class DocsView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
    authentication_classes = []
