from django.shortcuts import render

_ALWAYS_ALLOWED = ("/akun/", "/i18n/")


class SuspendedTenantMiddleware:
    """A suspended region is read-only: any write on its subdomain is refused with a page that
    says why and whom to contact. Actions check it too (tenants.members.ensure_writable)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tenant = getattr(request, "tenant", None)
        if (
            tenant is not None
            and getattr(tenant, "region_id", None)
            and tenant.is_suspended
            and request.method not in ("GET", "HEAD", "OPTIONS")
            and not request.path.startswith(_ALWAYS_ALLOWED)
        ):
            return render(request, "workspace/suspended.html", {"tenant": tenant}, status=403)
        return self.get_response(request)
