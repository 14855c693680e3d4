"""API tokens: create, revoke, and find the token a request presents.

A token is the key of one membership: whatever the API does with it, it does as that member,
under the same policy (tenants.policy) and the same actions as the web pages. Actions here are
like every other: permission, validation, an atomic write, the audit event."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, Forbidden
from tenants import audit
from tenants.members import ensure_writable
from tenants.models import Membership
from tenants.policy import Perm, can_act, has_perm

from .errors import ApiError
from .models import ApiToken

PREFIX = "jjr_"
# How long a token may live, in days (the form offers these; the action refuses others).
LIFETIMES = (30, 90, 180, 365)
MAX_ACTIVE_TOKENS = 10
# A token's last use is written at most this often (not one UPDATE per call).
LAST_USED_RESOLUTION = timedelta(minutes=5)


def hash_token(raw: str) -> str:
    """A token carries 256 random bits, so a plain SHA-256 is enough to keep it unguessable
    from the stored hash (no slow hash is needed, unlike a person's password)."""
    return hashlib.sha256(raw.encode()).hexdigest()


def create_token(*, membership: Membership, name: str, days: int) -> tuple[ApiToken, str]:
    """A new token for `membership`; returns the row and the token itself, which is never
    stored and cannot be shown again."""
    ensure_writable(membership.tenant)
    if not has_perm(membership.user, membership.tenant, Perm.VIEW_WORKSPACE, membership):
        raise Forbidden(_("Only members of the region create API tokens for it."))
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = ValidationError(
            _("Name the token after the integration that will use it."),
            code=ApiError.TOKEN_NAME_REQUIRED,
        )
    if days not in LIFETIMES:
        errors["days"] = ValidationError(
            _("Choose how long the token is valid: %(days)s days.")
            % {"days": ", ".join(str(d) for d in LIFETIMES)},
            code=ApiError.TOKEN_LIFETIME_INVALID,
        )
    if errors:
        raise ValidationError(errors)
    raw = PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        # One member's token creations one at a time, so the limit holds under double clicks.
        Membership.objects.select_for_update().filter(pk=membership.pk).first()
        if ApiToken.objects.active().filter(membership=membership).count() >= MAX_ACTIVE_TOKENS:
            raise Conflict(
                _("You have %(n)s valid tokens already; revoke one you no longer use first.")
                % {"n": MAX_ACTIVE_TOKENS},
                code=ApiError.TOO_MANY_TOKENS,
            )
        token = ApiToken.objects.create(
            membership=membership,
            name=name[:80],
            prefix=raw[:12],
            key_hash=hash_token(raw),
            expires_at=timezone.now() + timedelta(days=days),
        )
        audit.record(
            "api_token.created",
            actor=membership.user,
            tenant=membership.tenant,
            obj=token,
            data={
                "name": token.name,
                "prefix": token.prefix,
                "role": membership.role,
                "expires": token.expires_at.date().isoformat(),
            },
        )
    return token, raw


def revoke_token(*, membership: Membership, token: ApiToken) -> ApiToken:
    """The holder revokes their own token; it stops working at once."""
    if token.membership_id != membership.pk:
        raise Forbidden(_("You can only revoke your own tokens."))
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            raise Conflict(_("This token is revoked already."), code=ApiError.TOKEN_REVOKED)
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            "api_token.revoked",
            actor=membership.user,
            tenant=membership.tenant,
            obj=token,
            data={"name": token.name, "prefix": token.prefix},
        )
    return token


def token_for(raw: str) -> ApiToken | None:
    """The active token `raw` names, with its membership, region and holder; None for an
    unknown, expired or revoked one, or one whose holder can no longer act."""
    if not raw.startswith(PREFIX) or len(raw) > 100:
        return None
    token = (
        ApiToken.objects.active()
        .select_related("membership__user", "membership__tenant__region", "membership__area")
        .filter(key_hash=hash_token(raw))
        .first()
    )
    if token is None:
        return None
    membership = token.membership
    # The holder must still be able to act (active, verified), and the region must not be on
    # its way out (its pages answer 410 then; tenants/region_lifecycle.py).
    if not can_act(membership.user) or membership.tenant.is_pending_deletion:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def tokens_of(membership: Membership):
    return ApiToken.objects.filter(membership=membership)
