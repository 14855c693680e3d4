"""allauth views with one change each (routed before allauth's own in portal/urls_common.py)."""

from __future__ import annotations

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.totp.views import ActivateTOTPView as AllauthActivateTOTPView
from django.contrib import messages
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _


class ActivateTOTPView(AllauthActivateTOTPView):
    """Turning TOTP on proves possession of the new authenticator with a fresh code, so the
    session that did it has passed the second factor (allauth records only logins and
    reauthentications; without this a new administrator would be asked for a code again right
    after setting it up).

    The page the person was on their way to (`next`, set by the forced set-up in
    tenants/middleware.py) is offered after the recovery codes, so the set-up is one detour, not
    a dead end."""

    def form_valid(self, form):
        response = super().form_valid(form)
        record_authentication(self.request, self.request.user, "mfa", type="totp", activated=True)
        next_url = self.request.GET.get("next", "")
        if url_has_allowed_host_and_scheme(
            next_url,
            allowed_hosts={self.request.get_host()},
            require_https=self.request.is_secure(),
        ) and next_url.startswith("/"):
            if self.did_generate_recovery_codes:
                messages.success(
                    self.request,
                    format_html(
                        '{} <a href="{}">{}</a>',
                        _(
                            "Two-factor authentication is on. Save these recovery codes somewhere "
                            "safe: each one signs you in once if you lose your phone."
                        ),
                        next_url,
                        _("Continue"),
                    ),
                )
            else:
                messages.success(self.request, _("Two-factor authentication is on."))
                response["Location"] = next_url
        return response


activate_totp = ActivateTOTPView.as_view()
