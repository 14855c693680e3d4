"""The language switch: Django's, plus remembering the choice in the session that the platform
and every region's subdomain share (the language cookie is host-only on `localhost`)."""

from __future__ import annotations

from django.conf import settings
from django.views.i18n import set_language as django_set_language

LANGUAGE_SESSION_KEY = "jejaring_language"


def set_language(request):
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.method == "POST" and language in {code for code, _ in settings.LANGUAGES}:
        request.session[LANGUAGE_SESSION_KEY] = language
    return response
