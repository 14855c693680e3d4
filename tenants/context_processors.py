from django.utils.functional import SimpleLazyObject

from core.hosts import platform_url

from .models import Membership


def regions(request):
    """The region switcher (the signed-in person's memberships) and the current region."""
    tenant = getattr(request, "tenant", None)
    current = tenant if tenant is not None and getattr(tenant, "region_id", None) else None

    def memberships():
        user = getattr(request, "user", None)
        if not (user and user.is_authenticated):
            return []
        return list(Membership.objects.filter(user=user).select_related("tenant__region", "area"))

    def workspace_perms():
        if current is None:
            return frozenset()
        from .policy import ROLE_PERMS

        for membership in memberships_lazy:
            if membership.tenant_id == current.pk:
                return frozenset(p.value for p in ROLE_PERMS.get(membership.role, ()))
        return frozenset()

    memberships_lazy = SimpleLazyObject(memberships)
    return {
        "current_region": current,
        # What the signed-in person may do here, for showing only the links that will work.
        "workspace_perms": SimpleLazyObject(workspace_perms),
        "my_memberships": memberships_lazy,
        "platform_home_url": platform_url("/"),
        "platform_workspaces_url": platform_url("/ruang-kerja/"),
    }
