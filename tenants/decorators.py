from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404

from tenants import handoff

from .policy import Perm, can_act, has_platform_perm, membership_for, role_allows


def workspace_view(perm: Perm = Perm.VIEW_WORKSPACE):
    """Guard a view on a region's subdomain.

    Anonymous people are sent to the platform, which hands over their session or asks them
    to log in (accounts/handoff.py). Someone who is not a member of *this* region gets
    404, exactly as for a page that does not exist, so a region's workspace cannot be probed
    from another. A member whose role lacks `perm` gets 403. The membership is put on the
    request for the view.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return handoff.begin(request)
            membership = membership_for(request.user, request.tenant)
            if membership is None or not can_act(request.user):
                raise Http404
            if not role_allows(membership.role, perm):
                raise PermissionDenied
            request.membership = membership
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def platform_staff_view(perm: Perm):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_platform_perm(request.user, perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
