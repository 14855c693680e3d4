"""Whether *this session* passed a second factor (not merely whether the account has one).

allauth records every authentication step in the session (`account_authentication_methods`):
a password login, a TOTP or recovery code at login, a reauthentication. A session that only
shows a password (or nothing: a session created some other way) has not passed the second
factor, even when the account has TOTP set up.
"""

from __future__ import annotations

from allauth.account.authentication import get_authentication_records


def session_passed_second_factor(request) -> bool:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    return any(r.get("method") == "mfa" for r in get_authentication_records(request, user))
