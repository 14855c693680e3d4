import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command

from accounts.models import User
from tenants.models import Membership, RegionApplication, Role, Tenant

pytestmark = pytest.mark.django_db

DEMO_REGIONS = {"35", "35.73", "35.07", "35.79", "35.15", "65.71", "61", "61.72"}


@pytest.mark.usefixtures("signature_checks_in_process")
def test_demo_data_loads_twice_without_duplicates(django_capture_on_commit_callbacks):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("load_demo")
    assert DEMO_REGIONS <= set(Tenant.objects.regions().values_list("region_id", flat=True))
    lurah = Membership.objects.get(user__email="lurah.purwantoro@jejaring.test")
    assert (lurah.role, lurah.area_id, lurah.tenant.region_id) == (
        Role.LURAH,
        "35.73.01.1007",
        "35.73",
    )
    camat = Membership.objects.get(user__email="camat.blimbing@jejaring.test")
    assert (camat.role, camat.area_id) == (Role.CAMAT, "35.73.01")
    assert set(Role.values) == set(
        Membership.objects.filter(tenant__region_id="35.73").values_list("role", flat=True)
    )
    assert Membership.objects.filter(user__email="admin.jatim@jejaring.test").count() == 2
    staff = User.objects.get(email="staf@jejaring.test")
    assert staff.is_staff and staff.check_password("jejaring-demo-2026")
    assert Authenticator.objects.filter(user=staff, type="totp").count() == 1
    assert RegionApplication.objects.filter(region_id="35.78", status="pending").count() == 1
    # 25 accounts of the regions and the platform, and the Ministry's demo official.
    assert User.objects.filter(email__endswith="@jejaring.test").count() == 26
    ministry = User.objects.get(email="kemendagri@jejaring.test")
    assert Authenticator.objects.filter(user=ministry, type="totp").count() == 1


def test_the_public_portal_lists_regions_and_invites_new_ones(client_for, malang, batu):
    response = client_for(None).get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/kota-malang/"' in html and 'href="/kota-batu/"' in html
    assert 'href="/daftar-daerah/"' in html
    region_page = client_for(None).get("/kota-malang/")
    assert region_page.status_code == 200
    assert "35.73" in region_page.content.decode()


def test_a_region_gets_a_public_section_when_it_joins_and_loses_it_when_deleted(staff_user):
    from cms.models import RegionPage
    from tenants.models import ExportState, Region, Tenant
    from tenants.onboarding import provision_region
    from tenants.region_lifecycle import purge_tenant, schedule_deletion

    tenant = provision_region(region=Region.objects.get(code="65.71"), acting_user=staff_user)
    page = RegionPage.objects.get(region_id="65.71")
    assert (page.title, page.slug, page.live) == ("Kota Tarakan", "kota-tarakan", True)
    export = schedule_deletion(tenant=tenant, acting_user=staff_user, confirmation="kota_tarakan")
    export.state = ExportState.READY
    export.save()
    Tenant.objects.filter(pk=tenant.pk).update(purge_after=tenant.deletion_scheduled_at)
    purge_tenant(tenant=tenant)
    assert not RegionPage.objects.filter(region_id="65.71").exists()


def test_the_home_page_renders_outside_the_platforms_url_conf(rf, malang):
    """Wagtail's preview renders a page with the default (region) URL conf active; the page
    must not need the platform's URL names from it (it answered 500 before)."""
    from django.urls import set_urlconf

    from cms.models import HomePage

    home = HomePage.objects.get()
    request = rf.get("/", HTTP_HOST="localhost")
    set_urlconf("portal.urls_tenant")
    try:
        response = home.serve(request)
        response.render()
    finally:
        set_urlconf(None)
    assert response.status_code == 200
    assert 'href="/daftar-daerah/"' in response.content.decode()
