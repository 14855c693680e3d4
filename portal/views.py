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
