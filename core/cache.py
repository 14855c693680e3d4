"""Cache keys: tenant-aware by default, platform-wide for the namespaces that must be.

Wagtail and Django cache per-site data, so keys carry the current schema (otherwise one region's
cached URLs leak into another). Accounts are platform-wide, though: allauth's rate-limit counters
must count a login attempt the same on every region's subdomain, or an attacker could multiply the
limit by hopping between 552 subdomains.
"""

from django.db import connection

# allauth keys: rate limits ("allauth:rl:...") and used TOTP codes ("allauth.mfa.totp.used?...").
# Session handoff tokens ("jejaring:handoff:...") are written on the platform and read on a
# region's subdomain (accounts/handoff.py).
PLATFORM_WIDE_PREFIXES = ("allauth", "jejaring:handoff:")
_PLATFORM_MARK = "_platform_"


def make_key(key: str, key_prefix: str, version: int) -> str:
    if key.startswith(PLATFORM_WIDE_PREFIXES):
        scope = _PLATFORM_MARK
    else:
        scope = connection.schema_name
    return f"{scope}:{key_prefix}:{version}:{key}"


def reverse_key(key: str) -> str:
    return key.split(":", 3)[3]
