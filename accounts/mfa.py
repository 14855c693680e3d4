from tenants.models import Role


def requires_mfa(user) -> bool:
    """Platform staff and every region administrator need a second factor."""
    if user.is_staff or user.is_superuser:
        return True
    return user.memberships.filter(role=Role.ADMIN).exists()
