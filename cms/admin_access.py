"""Wagtail's admin (/cms/) for the portal's editors, behind allauth's login.

Wagtail's own login and password-reset views take a password alone: no second factor, no
allauth rate limit, no e-mail verification. They are replaced by redirects to allauth's, and the
admin's views answer a signed-in person who is not an editor with a clear 403 page (Wagtail's
default sends them to the login page, which sends a signed-in person back: a redirect loop).
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.shortcuts import redirect, render
from django.urls import reverse
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.utils.urlpatterns import decorate_urlpatterns

from .policy import can_edit_portal


def editors_only(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not can_edit_portal(user):
            return render(request, "cms/not_an_editor.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def login_redirect(request):
    """/cms/login/ → allauth's login, keeping where the person was going."""
    target = reverse("account_login")
    next_url = request.GET.get("next")
    if next_url:
        target = f"{target}?{urlencode({'next': next_url})}"
    return redirect(target)


def password_reset_redirect(request, *args, **kwargs):
    return redirect("account_reset_password")


def admin_urlpatterns() -> list:
    """Wagtail's admin URL patterns with `editors_only` around every view."""
    return decorate_urlpatterns(list(wagtailadmin_urls.urlpatterns), editors_only)
