from django.conf import settings
from django.http import HttpResponseBadRequest
from django.utils import translation
from django.utils.cache import patch_vary_headers

from .i18n import LANGUAGE_SESSION_KEY


class IndonesianFirstLocaleMiddleware:
    """Bahasa Indonesia unless the person chose another language with the switcher.

    Django's LocaleMiddleware would follow the browser's Accept-Language, which on most
    government computers says English; the product is Indonesian first, so only an explicit
    choice (the language cookie) changes it."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        # The session is shared by the platform and every region's subdomain (cookies are not,
        # on `localhost`), so a choice stored there follows the person everywhere.
        session = getattr(request, "session", None)
        remembered = session.get(LANGUAGE_SESSION_KEY) if session is not None else None
        chosen = remembered or request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class RejectNullBytesMiddleware:
    """PostgreSQL refuses NUL characters in text. A path or query parameter carrying one is bad
    input, answered with 400 here, before any view can hand it to a query and fail with 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            return HttpResponseBadRequest(
                "Alamat berisi karakter NUL yang tidak sah. / The address contains an invalid NUL "
                "character.",
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
