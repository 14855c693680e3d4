"""Whether *this session* passed a second factor (not merely whether the account has one).

allauth records every authentication step in the session (`account_authentication_methods`):
a password login, a TOTP or recovery code at login, a reauthentication. A session that only
shows a password (or nothing: a session created some other way) has not passed the second
factor, even when the account has TOTP set up.
"""

from __future__ import annotations

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication


def session_passed_second_factor(request) -> bool:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    return any(r.get("method") == "mfa" for r in get_authentication_records(request, user))


def record_second_factor_on_activation(sender, request, user, authenticator, **kwargs) -> None:
    """Turning TOTP on proves possession of the new authenticator with a fresh code: the session
    that did it has passed the second factor (allauth records only logins and
    reauthentications)."""
    if request is not None and getattr(request, "user", None) == user:
        record_authentication(
            request, user, "mfa", id=authenticator.pk, type=authenticator.type, activated=True
        )
