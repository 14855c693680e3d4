"""allauth form overrides (settings.MFA_FORMS)."""

from __future__ import annotations

from allauth.mfa.totp.forms import ActivateTOTPForm as AllauthActivateTOTPForm
from allauth.mfa.totp.internal import auth
from django import forms


class ActivateTOTPForm(AllauthActivateTOTPForm):
    """The TOTP secret stays the same for the whole activation, however often the page is
    loaded.

    allauth makes a new secret on every GET of the activation page. A browser (or a second tab,
    or a reload after scanning) that loads the page again silently invalidates the QR code the
    person just scanned, and every code is then refused. The secret lives in the session until
    activation succeeds (allauth clears it then), so keeping it is no weaker than allauth's own
    POST handling."""

    def __init__(self, *args, **kwargs) -> None:
        # allauth's own __init__ regenerates on every unbound (GET) form, so it is not called;
        # these are the two things it does, minus the regeneration.
        self.user = kwargs.pop("user")
        forms.Form.__init__(self, *args, **kwargs)
        self.secret = auth.get_totp_secret(regenerate=False)
