"""The schema and its browsable docs, served by the site itself (no CDN: the site's
Content-Security-Policy allows scripts and styles from its own origin only). Swagger UI comes
from drf-spectacular-sidecar's static files; its start-up script is a separate request
(SpectacularSwaggerSplitView), so no inline script is needed."""

from __future__ import annotations

from django.utils.translation import get_language
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView
from rest_framework.response import Response

# The schema is the same for every request of a host in a language until the code changes:
# generated once per process (it takes a tenth of a second), not on every call.
_SCHEMAS: dict[tuple[int, str], dict] = {}


class SchemaView(SpectacularJSONAPIView):
    # Every call counts against the rate limits like any other; no token is needed.
    authentication_classes = []

    def _get_schema_response(self, request):
        key = (id(self.urlconf), get_language() or "")
        if key not in _SCHEMAS:
            generator = SchemaGenerator(urlconf=self.urlconf)
            _SCHEMAS[key] = generator.get_schema(request=None, public=True)
        return Response(_SCHEMAS[key])


class DocsView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
    authentication_classes = []
