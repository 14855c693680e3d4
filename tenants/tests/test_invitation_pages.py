"""Inviting a camat or lurah by picking their area by name, and the page an invited person lands
on (tenants/forms.py, workspace/views.py accept_invitation)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tenants.forms import InviteForm
from tenants.models import Invitation, Membership, Region, RegionKind, Role, Tenant

pytestmark = pytest.mark.django_db


def area_codes(form) -> list[str]:
    codes = []
    for value, label in form.fields["area"].choices:
        if isinstance(label, (list, tuple)):
            codes += [code for code, _ in label]
        elif value:
            codes.append(value)
    return codes


# --- The area picker ---------------------------------------------------------------------------


def test_the_picker_offers_the_regions_own_kecamatan_and_villages_by_name(
    client_for, member, malang
):
    response = client_for(malang, member(malang, Role.ADMIN)).get("/anggota/")
    assert response.status_code == 200
    form = response.context["form"]
    codes = area_codes(form)
    expected = set(
        Region.objects.within(malang.region)
        .filter(kind__in=[RegionKind.KECAMATAN, RegionKind.KELURAHAN, RegionKind.DESA])
        .values_list("code", flat=True)
    )
    assert set(codes) == expected and len(codes) == len(expected) > 50
    assert all(code.startswith("35.73.") for code in codes)  # nothing of Kota Batu's
    html = response.content.decode()
    # A select grouped by kecamatan, each option named, no code to type.
    blimbing = Region.objects.get(code="35.73.01")
    village = Region.objects.get(code="35.73.01.1007")
    assert f'<optgroup label="{blimbing.full_name}">' in html
    assert f'data-level="village">{village.full_name} (35.73.01.1007)</option>' in html
    assert 'data-level="kecamatan"' in html
    assert "tenants/area_picker" in html  # the search box, as progressive enhancement


def test_a_kabupaten_gets_every_kecamatan_as_a_group_of_its_villages():
    kabupaten = Region.objects.get(code="35.07")  # Kabupaten Malang: 33 kecamatan, 390 desa
    form = InviteForm(tenant=Tenant(region=kabupaten, name=kabupaten.full_name))
    groups = form.fields["area"].choices[1:]  # after the empty choice: (kecamatan, options)
    kecamatan = Region.objects.within(kabupaten).filter(kind=RegionKind.KECAMATAN)
    assert len(groups) == kecamatan.count()
    for (label, options), kec in zip(groups, kecamatan.order_by("code"), strict=True):
        assert label == kec.full_name
        assert options[0][0] == kec.code  # the kecamatan itself, for a camat
        assert all(code.startswith(f"{kec.code}.") for code, _ in options[1:])
    assert len(area_codes(form)) == Region.objects.within(kabupaten).count()


def test_a_province_offers_no_area(malang):
    province = Region.objects.get(code="35")
    form = InviteForm(tenant=Tenant(region=province, name=province.full_name))
    assert area_codes(form) == []


@pytest.mark.parametrize("area", ["35.79.01.1001", "35.79.01", "35.07.01.2001"])
def test_another_regions_area_is_refused_with_a_clear_error(client_for, member, malang, area):
    response = client_for(malang, member(malang, Role.ADMIN)).post(
        "/anggota/", {"email": "lurah@contoh.test", "role": Role.LURAH, "area": area}
    )
    assert response.status_code == 400
    (error,) = response.context["form"].errors.as_data()["area"]
    assert error.code == "area_outside_region"
    message = " ".join(error.messages)
    assert area in message and "Kota Malang" in message
    assert not Invitation.objects.exists()


def test_the_picked_area_must_fit_the_role(client_for, member, malang):
    client = client_for(malang, member(malang, Role.ADMIN))
    response = client.post(
        "/anggota/", {"email": "camat@contoh.test", "role": Role.CAMAT, "area": "35.73.01.1007"}
    )
    assert response.status_code == 400
    assert "area_wrong_kind" in [
        e.code for errors in response.context["form"].errors.as_data().values() for e in errors
    ]
    response = client.post(
        "/anggota/", {"email": "camat@contoh.test", "role": Role.CAMAT, "area": "35.73.01"}
    )
    assert response.status_code == 302
    assert Invitation.objects.get().area_id == "35.73.01"


def test_changing_a_role_uses_the_same_picker(client_for, member, malang):
    admin = member(malang, Role.ADMIN)
    camat = Membership.objects.get(user=member(malang, Role.CAMAT, area="35.73.01"))
    response = client_for(malang, admin).get(f"/anggota/{camat.pk}/ubah/")
    assert response.status_code == 200
    assert '<option value="35.73.01" selected data-level="kecamatan">' in response.content.decode()


# --- The invitation's landing page -------------------------------------------------------------


@pytest.fixture
def invitation(malang, member):
    admin = member(malang, Role.ADMIN, full_name="Sri Wahyuni")
    return Invitation.objects.create(
        tenant=malang,
        email="lurah.baru@contoh.test",
        role=Role.LURAH,
        area_id="35.73.01.1007",
        invited_by=admin,
    )


def test_a_signed_out_visitor_reads_who_invited_them_to_what(client_for, malang, invitation):
    response = client_for(malang).get(f"/undangan/{invitation.token}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sri Wahyuni mengundang Anda ke ruang kerja Kota Malang." in html
    assert "Lurah / kepala desa" in html and invitation.area.full_name in html
    assert "lurah.baru@contoh.test" in html
    # Sign in here and come back to the invitation; or create an account first.
    login = f"/akun/login/?next=%2Fundangan%2F{invitation.token}%2F"
    assert f'href="{login}"' in html
    assert 'href="http://localhost:8000/akun/signup/"' in html
    assert client_for(malang).get(login)["Location"].startswith("http://localhost:8000/akun/sesi/")
    # Nothing is accepted without signing in.
    assert client_for(malang).post(f"/undangan/{invitation.token}/").status_code == 302
    assert not Membership.objects.filter(role=Role.LURAH).exists()


def test_an_unknown_or_another_regions_link_says_it_is_not_valid(
    client_for, malang, batu, invitation, user_factory
):
    for client in (client_for(malang), client_for(malang, user_factory())):
        response = client.get("/undangan/bukan-token-yang-ada-1234/")
        assert response.status_code == 404
        assert "Tautan undangan ini tidak berlaku" in response.content.decode()
    response = client_for(batu).get(f"/undangan/{invitation.token}/")
    assert response.status_code == 404
    assert "Kota Batu tidak memiliki undangan dengan tautan ini" in response.content.decode()


@pytest.mark.parametrize(
    "change",
    [
        {"expires_at": timezone.now() - timedelta(days=1)},
        {"revoked_at": timezone.now()},
    ],
)
def test_an_expired_or_revoked_invitation_says_so(
    client_for, malang, invitation, user_factory, change
):
    Invitation.objects.filter(pk=invitation.pk).update(**change)
    for client in (client_for(malang), client_for(malang, user_factory())):
        response = client.get(f"/undangan/{invitation.token}/")
        assert response.status_code == 410
        html = response.content.decode()
        assert "Undangan ke Kota Malang ini sudah kedaluwarsa, dicabut, atau sudah dipakai." in html
        assert "Sri Wahyuni" not in html
