from allauth.account.adapter import DefaultAccountAdapter

from tenants.hosts import platform_url


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
        return platform_url("/ruang-kerja/")
