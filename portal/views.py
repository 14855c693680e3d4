from django.shortcuts import render

from core.hosts import platform_url


def unknown_region(request):
    """A subdomain that is no region (or no region yet) gets a page that says what to do."""
    return render(
        request,
        "unknown_region.html",
        {"host": request.get_host(), "apply_url": platform_url("/daftar-daerah/")},
        status=404,
    )
