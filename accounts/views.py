"""allauth views with one change each (routed before allauth's own in portal/urls_common.py)."""

from __future__ import annotations

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.totp.views import ActivateTOTPView as AllauthActivateTOTPView


class ActivateTOTPView(AllauthActivateTOTPView):
    """Turning TOTP on proves possession of the new authenticator with a fresh code, so the
    session that did it has passed the second factor (allauth records only logins and
    reauthentications; without this a new administrator would be asked for a code again right
    after setting it up)."""

    def form_valid(self, form):
        response = super().form_valid(form)
        record_authentication(self.request, self.request.user, "mfa", type="totp", activated=True)
        return response


activate_totp = ActivateTOTPView.as_view()
