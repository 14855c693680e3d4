from django.utils.functional import SimpleLazyObject

from .hosts import platform_url
from .models import Membership


def regions(request):
    """The region switcher (the signed-in person's memberships) and the current region."""
    tenant = getattr(request, "tenant", None)
    current = tenant if tenant is not None and getattr(tenant, "region_id", None) else None

    def memberships():
        user = getattr(request, "user", None)
        if not (user and user.is_authenticated):
            return []
        return list(
            Membership.objects.filter(user=user).select_related("tenant__region", "area")
        )

    return {
        "current_region": current,
        "my_memberships": SimpleLazyObject(memberships),
        "platform_home_url": platform_url("/"),
        "platform_workspaces_url": platform_url("/ruang-kerja/"),
    }
