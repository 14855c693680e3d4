"""Where people land after logging in: allauth's adapter sends everyone to the platform's
workspaces page, which sends each person where their work is, once per login."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from tenants.models import Invitation, Membership, RegionApplication, Role
from tenants.region_lifecycle import schedule_deletion

pytestmark = pytest.mark.django_db

WORKSPACES = "/ruang-kerja/"
REGISTER = 'href="/daftar-daerah/"'


def url(name, *args):
    return reverse(f"platform:{name}", args=args, urlconf="portal.urls_public")


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def test_anonymous_people_log_in_first(client_for):
    response = client_for(None).get(WORKSPACES)
    assert response.status_code == 302 and response["Location"].startswith("/akun/login/")


def test_staff_land_on_the_application_queue(client_for, staff_user, user_factory):
    RegionApplication.objects.create(
        region_id="35.15",
        applicant=user_factory(),
        position="Kabag",
        office="Setda",
        official_email="a@b.go.id",
        phone="0341",
        letter="x.pdf",
    )
    client = client_for(None, staff_user)
    first = client.get(WORKSPACES)
    assert first.status_code == 302 and first["Location"] == url("application_queue")
    # Once per login: afterwards the page itself, with staff's links and no "not a member".
    page = client.get(WORKSPACES)
    assert page.status_code == 200
    html = page.content.decode()
    assert "1 application awaiting review" in html
    assert f'href="{url("tenant_list")}"' in html
    assert "You are not a member of any region" not in html and REGISTER not in html


def test_a_member_of_one_region_lands_on_its_dashboard(client_for, member, malang):
    client = client_for(None, member(malang, Role.TKKSD))
    first = client.get(WORKSPACES)
    assert first.status_code == 302
    assert first["Location"] == "http://kota-malang.localhost:8000/"
    page = client.get(WORKSPACES)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Kota Malang" in html and REGISTER not in html
    assert "You are not a member of any region" not in html


def test_a_member_of_several_regions_sees_them_without_the_call_to_register(
    client_for, member, malang, batu
):
    person = member(malang, Role.VIEWER)
    Membership.objects.create(user=person, tenant=batu, role=Role.TKKSD)
    response = client_for(None, person).get(WORKSPACES)
    assert response.status_code == 200
    html = response.content.decode()
    assert "http://kota-malang.localhost:8000/" in html
    assert "http://kota-batu.localhost:8000/" in html
    assert REGISTER not in html


def test_a_person_without_a_region_is_invited_to_register_one(client_for, user_factory):
    response = client_for(None, user_factory()).get(WORKSPACES)
    assert response.status_code == 200
    html = response.content.decode()
    assert "You are not a member of any region yet" in html and REGISTER in html


def test_a_waiting_invitation_keeps_a_member_on_the_page(client_for, member, malang, batu):
    person = member(malang, Role.VIEWER)
    Invitation.objects.create(tenant=batu, email=person.email, role=Role.TKKSD)
    response = client_for(None, person).get(WORKSPACES)
    assert response.status_code == 200 and "Kota Batu" in response.content.decode()


def test_a_region_being_deleted_is_no_landing(client_for, member, malang, staff_user):
    person = member(malang, Role.TKKSD)
    schedule_deletion(tenant=malang, acting_user=staff_user, confirmation="kota_malang")
    response = client_for(None, person).get(WORKSPACES)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kota Malang" not in html and REGISTER in html


def test_no_redirect_long_after_login_or_on_the_status_page(client_for, member, malang):
    person = member(malang, Role.TKKSD)
    client = client_for(None, person)
    assert client.get(url("application_status")).status_code == 200
    User.objects.filter(pk=person.pk).update(last_login=timezone.now() - timedelta(hours=1))
    assert client.get(WORKSPACES).status_code == 200
