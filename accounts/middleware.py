"""Region administrators and platform staff must use a second factor (TOTP)."""

from urllib.parse import urlencode

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .mfa import requires_mfa

# Paths a person without MFA may still reach: allauth's own pages (to set MFA up, log out,
# confirm e-mail), the language switch and static files.
_ALLOWED_PREFIXES = ("/akun/", "/i18n/", "/static/")


class RequireMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and requires_mfa(user)
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            messages.warning(
                request,
                _(
                    "Region administrators and platform staff must turn on two-factor "
                    "authentication before continuing. Scan the code with an authenticator app."
                ),
            )
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('mfa_activate_totp')}?{query}")
        return self.get_response(request)
