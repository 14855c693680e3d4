import time
from dataclasses import dataclass

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from django.conf import settings
from django.urls import reverse

from core.hosts import platform_url
from core.mail import send_email_task


@dataclass(frozen=True)
class PlatformSite:
    """What allauth's e-mails call "the site": the platform by name, never the request's host
    (which read "localhost:8000", or a region's subdomain)."""

    name: str
    domain: str


class AccountAdapter(DefaultAccountAdapter):
    """Open signup: third parties and the public register too; a region's access comes only
    from an approved application or an invitation (tenants/onboarding.py, tenants/members.py)."""

    def is_open_for_signup(self, request) -> bool:
        return True

    def get_login_redirect_url(self, request) -> str:
        # On a region's subdomain, its workspace; on the platform, the person's workspaces.
        tenant = getattr(request, "tenant", None)
        if tenant is not None and getattr(tenant, "region_id", None):
            return "/"
        return platform_url(
            reverse("platform:my_workspaces", urlconf=settings.PUBLIC_SCHEMA_URLCONF)
        )

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """A person who signed in less than ACCOUNT_REAUTHENTICATION_TIMEOUT ago has just
        proved their password: asking for it again (allauth counts only explicit
        reauthentications) put a new administrator's forced TOTP set-up behind a second password
        page. A session without a recent sign-in (an old one, or one made some other way) is
        still asked."""
        request = getattr(self, "request", None)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            signed_in = [
                r.get("at", 0)
                for r in get_authentication_records(request, user)
                if not (r.get("reauthenticated") or r.get("activated"))
            ]
            if (
                signed_in
                and time.time() - max(signed_in) < account_settings.REAUTHENTICATION_TIMEOUT
            ):
                return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's e-mails, greeting from the platform and sent by the background worker like
        every other e-mail (core/mail.py), so a slow mail server never holds up a login."""
        context = {
            "email": email,
            **context,
            "current_site": PlatformSite(name="Jejaring", domain=settings.JEJARING_BASE_DOMAIN),
        }
        message = self.render_mail(template_prefix, email, context)
        send_email_task.enqueue(message.subject, message.body, list(message.to))

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        # allauth keys the failed-login counter by the current site's domain, which here is the
        # request's host: each of 552 regional subdomains would get its own five attempts per
        # account. Accounts are platform-wide, so the counter is too. (Private allauth hook;
        # accounts/tests/test_accounts.py guards it across upgrades.)
        login = credentials.get("email", credentials.get("username", "")).lower()
        return f"{settings.JEJARING_BASE_DOMAIN}:{login}"
