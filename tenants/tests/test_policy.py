"""The permission policy as a matrix: every role against every permission and area."""

import pytest

from tenants.models import Membership, Region, Role
from tenants.policy import ROLE_PERMS, Perm, can_act_for_area, has_perm, has_platform_perm
from tenants.region_lifecycle import suspend_tenant

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
    malang.refresh_from_db()
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


# --- Who reads which document ----------------------------------------------------------------
# title -> (area, restricted, uploader's OPD); "rahasia camat" is filed by the camat of Blimbing.
DOCUMENTS = {
    "umum": (None, False, ""),
    "kecamatan blimbing": ("35.73.01", False, ""),
    "purwantoro": ("35.73.01.1007", False, ""),
    "tetangga": ("35.73.01.1001", False, ""),  # another kelurahan of Blimbing
    "klojen": ("35.73.02", False, ""),
    "kelurahan di klojen": ("35.73.02.1001", False, ""),
    "rahasia pertanian": (None, True, "Dinas Pertanian"),
    "rahasia camat": ("35.73.01", True, ""),
}
OPEN = {title for title, (_, restricted, _) in DOCUMENTS.items() if not restricted}
READERS = {
    # reader: (role, area, opd) -> the titles they read
    "admin": ((Role.ADMIN, None, ""), set(DOCUMENTS)),
    "tkksd": ((Role.TKKSD, None, ""), set(DOCUMENTS)),
    "opd of the uploader": ((Role.OPD, None, "dinas pertanian"), OPEN | {"rahasia pertanian"}),
    "another opd": ((Role.OPD, None, "Bappeda"), OPEN),
    "viewer": ((Role.VIEWER, None, ""), OPEN),
    "camat of blimbing (filed rahasia camat)": (
        (Role.CAMAT, "35.73.01", ""),
        {"umum", "kecamatan blimbing", "purwantoro", "tetangga", "rahasia camat"},
    ),
    "camat of klojen": ((Role.CAMAT, "35.73.02", ""), {"umum", "klojen", "kelurahan di klojen"}),
    "lurah of purwantoro": (
        (Role.LURAH, "35.73.01.1007", ""),
        {"umum", "kecamatan blimbing", "purwantoro"},
    ),
}


@pytest.fixture
def archive(malang, member):
    """The documents above in Kota Malang's archive; the camat of Blimbing filed one."""
    from django_tenants.utils import tenant_context

    from workspace.models import Document

    camat = member(malang, Role.CAMAT, area="35.73.01")
    uploader = member(malang, Role.OPD, opd="Dinas Pertanian")
    with tenant_context(malang):
        for title, (area, restricted, opd) in DOCUMENTS.items():
            Document.objects.create(
                title=title,
                file=f"documents/{title}.pdf",
                area_id=area,
                restricted=restricted,
                uploaded_by_opd=opd,
                uploaded_by=camat if title == "rahasia camat" else uploader,
            )
    return camat


@pytest.mark.parametrize("reader", READERS)
def test_document_read_matrix(malang, member, archive, reader):
    from django_tenants.utils import tenant_context

    from tenants.policy import can_read_document, readable_documents
    from workspace.models import Document

    (role, area, opd), expected = READERS[reader]
    if reader.startswith("camat of blimbing"):
        membership = Membership.objects.get(user=archive)
    else:
        membership = Membership.objects.get(user=member(malang, role, area=area, opd=opd))
    with tenant_context(malang):
        listed = set(
            readable_documents(membership, Document.objects.all()).values_list("title", flat=True)
        )
        one_by_one = {d.title for d in Document.objects.all() if can_read_document(membership, d)}
    assert listed == expected
    assert one_by_one == expected  # lists, counts and downloads agree


def test_nobody_reads_without_a_membership(malang, archive):
    from django_tenants.utils import tenant_context

    from tenants.policy import can_read_document, readable_documents
    from workspace.models import Document

    with tenant_context(malang):
        assert not readable_documents(None, Document.objects.all()).exists()
        assert not any(can_read_document(None, d) for d in Document.objects.all())
