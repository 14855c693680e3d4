from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class IndonesianFirstLocaleMiddleware:
    """Bahasa Indonesia unless the person chose another language with the switcher.

    Django's LocaleMiddleware would follow the browser's Accept-Language, which on most
    government computers says English; the product is Indonesian first, so only an explicit
    choice (the language cookie) changes it."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response
