"""The permission policy as a matrix: every role against every permission and area."""

import pytest

from tenants.lifecycle import suspend_tenant
from tenants.models import Membership, Region, Role
from tenants.policy import ROLE_PERMS, Perm, can_act_for_area, has_perm, has_platform_perm

pytestmark = pytest.mark.django_db

V, M, A, U = Perm.VIEW_WORKSPACE, Perm.MANAGE_MEMBERS, Perm.VIEW_AUDIT, Perm.UPLOAD_DOCUMENT
EXPECTED = {
    Role.ADMIN: {V, M, A, U},
    Role.TKKSD: {V, U},
    Role.OPD: {V, U},
    Role.CAMAT: {V, U},
    Role.LURAH: {V, U},
    Role.VIEWER: {V},
}
AREAS = {Role.CAMAT: "35.73.01", Role.LURAH: "35.73.01.1007"}


def test_matrix_covers_every_role():
    assert set(ROLE_PERMS) == set(Role.values) == set(EXPECTED)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("perm", [V, M, A, U])
def test_role_permission_matrix(member, malang, batu, role, perm):
    user = member(
        malang, role, area=AREAS.get(role), opd="Dinas Pertanian" if role == Role.OPD else ""
    )
    assert has_perm(user, malang, perm) is (perm in EXPECTED[role])
    # Never anything in a region where the person is not a member.
    assert has_perm(user, batu, perm) is False


@pytest.mark.parametrize("role", list(Role))
def test_suspension_removes_every_write_permission(member, malang, staff_user, role):
    user = member(
        malang, role, area=AREAS.get(role), opd="Dinas Pertanian" if role == Role.OPD else ""
    )
    suspend_tenant(tenant=malang, acting_user=staff_user, reason="Audit")
    assert has_perm(user, malang, V) is True
    assert has_perm(user, malang, M) is False
    assert has_perm(user, malang, U) is False


def test_platform_permissions_belong_to_verified_staff_only(
    member, malang, staff_user, user_factory
):
    for perm in (Perm.REVIEW_APPLICATIONS, Perm.MANAGE_TENANTS):
        assert has_platform_perm(staff_user, perm)
        assert has_perm(staff_user, malang, perm)
        assert not has_platform_perm(member(malang, Role.ADMIN), perm)
        assert not has_platform_perm(user_factory(is_staff=True, verified=False), perm)
        assert not has_platform_perm(staff_user, Perm.VIEW_WORKSPACE)


# area code -> (lurah of Purwantoro, camat of Blimbing, region-wide OPD)
AREA_MATRIX = {
    "35.73.01.1007": (True, True, True),  # Purwantoro, Blimbing
    "35.73.01.1001": (False, True, True),  # another kelurahan of Blimbing
    "35.73.01": (False, True, True),  # Kecamatan Blimbing
    "35.73.02": (False, False, True),  # Kecamatan Klojen
    "35.73.02.1001": (False, False, True),
    "35.79.01.1001": (False, False, False),  # Kota Batu
    None: (False, False, True),  # region-wide
}


@pytest.mark.parametrize(("code", "expected"), AREA_MATRIX.items())
def test_area_scope_matrix(member, malang, code, expected):
    area = Region.objects.get(code=code) if code else None
    lurah = Membership.objects.get(user=member(malang, Role.LURAH, area="35.73.01.1007"))
    camat = Membership.objects.get(user=member(malang, Role.CAMAT, area="35.73.01"))
    opd = Membership.objects.get(user=member(malang, Role.OPD, opd="Bappeda"))
    assert (
        can_act_for_area(lurah, area),
        can_act_for_area(camat, area),
        can_act_for_area(opd, area),
    ) == expected
