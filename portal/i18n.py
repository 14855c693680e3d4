"""The language switch: Django's, plus remembering the choice in the session that the platform
and every region's subdomain share (the language cookie is host-only on `localhost`).

Anonymous visitors' pages carry no CSRF token (they are cached whole, the same for everyone:
core/http_cache.py), so the switch checks the token of signed-in people only. For an anonymous
visitor a forged switch changes nothing but the language of their next pages."""

from __future__ import annotations

from django.conf import settings
from django.middleware.csrf import CsrfViewMiddleware
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language as django_set_language

LANGUAGE_SESSION_KEY = "jejaring_language"


def _no_view(request):  # CsrfViewMiddleware's get_response, never called by process_view
    return None


@csrf_exempt
def set_language(request):
    if request.method == "POST" and request.user.is_authenticated:
        refused = CsrfViewMiddleware(_no_view).process_view(request, None, (), {})
        if refused is not None:
            return refused
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.method == "POST" and language in {code for code, _ in settings.LANGUAGES}:
        request.session[LANGUAGE_SESSION_KEY] = language
    return response
