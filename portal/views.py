from django.conf import settings
from django.shortcuts import render
from django.urls import reverse

from core.hosts import platform_url


def unknown_region(request):
    """A subdomain that is no region (or no region yet) gets a page that says what to do."""
    return render(
        request,
        "unknown_region.html",
        {
            "host": request.get_host(),
            "apply_url": platform_url(
                reverse("platform:apply", urlconf=settings.PUBLIC_SCHEMA_URLCONF)
            ),
        },
        status=404,
    )


def too_many_requests(request, exception=None):
    """The page of a refusal for too many attempts (allauth's login, second-factor and
    password-reset limits call the URLconf's handler429): the product's own page, in the
    visitor's language. The API answers its own 429 in JSON (api/exceptions.py)."""
    return render(request, "429.html", status=429)
