from django.conf import settings
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from core.hosts import platform_url

from .models import Membership, TenantStatus


def regions(request):
    """The region switcher (the signed-in person's memberships) and the current region."""
    tenant = getattr(request, "tenant", None)
    current = tenant if tenant is not None and getattr(tenant, "region_id", None) else None

    def memberships():
        user = getattr(request, "user", None)
        if not (user and user.is_authenticated):
            return []
        return list(
            Membership.objects.filter(user=user)
            .exclude(tenant__status=TenantStatus.PENDING_DELETION)
            .select_related("tenant__region", "area")
        )

    def workspace_perms():
        from .policy import permissions_for

        user = getattr(request, "user", None)
        if not (user and user.is_authenticated):
            return frozenset()
        return frozenset(p.value for p in permissions_for(user, current))

    memberships_lazy = SimpleLazyObject(memberships)
    return {
        "current_region": current,
        # What the signed-in person may do here, for showing only the links that will work.
        "workspace_perms": SimpleLazyObject(workspace_perms),
        "my_memberships": memberships_lazy,
        "platform_home_url": platform_url("/"),
        "platform_workspaces_url": platform_url(_public("platform:my_workspaces")),
        "platform_queue_url": platform_url(_public("platform:application_queue")),
        "platform_tenants_url": platform_url(_public("platform:tenant_list")),
        # On a region's subdomain, its own login page hands the session over (tenants/handoff.py);
        # anywhere else (an unknown subdomain included) the links go to the platform.
        "login_url": (
            reverse("account_login") if current else platform_url(reverse("account_login"))
        ),
        "signup_url": platform_url(reverse("account_signup")),
    }


def _public(name: str) -> str:
    return reverse(name, urlconf=settings.PUBLIC_SCHEMA_URLCONF)
