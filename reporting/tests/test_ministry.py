"""The Ministry's role (reporting/ministry.py): granted and revoked by platform staff only, with
an audit event and an e-mail; an official must pass the second factor like staff; the staff
page."""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core import mail
from django.core.exceptions import ValidationError

from conftest import TOTP_SECRET, UserFactory, host_client
from core.errors import Conflict, Forbidden
from reporting.ministry import (
    MinistryError,
    MinistryOfficial,
    can_read_national,
    grant_ministry_role,
    revoke_ministry_role,
)
from tenants.models import AuditEvent, Role
from tenants.policy import requires_second_factor

pytestmark = pytest.mark.django_db

UNIT = "Direktorat Jenderal Bina Administrasi Kewilayahan"


def official(staff_user, **kwargs):
    person = UserFactory(**kwargs)
    grant_ministry_role(email=person.email, unit=UNIT, acting_user=staff_user)
    return person


def test_staff_grants_the_role_recorded_and_told(staff_user, django_capture_on_commit_callbacks):
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        granted = grant_ministry_role(
            email=person.email.upper(), unit=f"  {UNIT} ", acting_user=staff_user
        )
    assert (granted.user, granted.unit, granted.granted_by) == (person, UNIT, staff_user)
    event = AuditEvent.objects.get(action="ministry.role_granted")
    assert (event.actor, event.tenant, event.data) == (
        staff_user,
        None,
        {"email": person.email, "unit": UNIT},
    )
    assert [m.to for m in mail.outbox] == [[person.email]]
    assert "/nasional/laporan/" in mail.outbox[0].body
    assert can_read_national(person)


@pytest.mark.parametrize("who", ["member", "third_party"])
def test_nobody_but_staff_grants_or_revokes(who, malang, member, staff_user):
    actor = member(malang, Role.ADMIN) if who == "member" else UserFactory()
    person = UserFactory()
    with pytest.raises(Forbidden):
        grant_ministry_role(email=person.email, unit=UNIT, acting_user=actor)
    assert not MinistryOfficial.objects.exists()
    holder = official(staff_user)
    with pytest.raises(Forbidden):
        revoke_ministry_role(official_pk=holder.ministry_role.pk, acting_user=actor)
    assert MinistryOfficial.objects.filter(user=holder).exists()


def test_the_account_must_be_a_verified_outsider(malang, member, staff_user):
    def refused(email):
        with pytest.raises(ValidationError) as caught:
            grant_ministry_role(email=email, unit=UNIT, acting_user=staff_user)
        return caught.value.error_dict["email"][0].code

    assert refused("tidak.ada@kemendagri.go.id") == MinistryError.UNKNOWN_ACCOUNT
    assert refused(UserFactory(verified=False).email) == MinistryError.ACCOUNT_NOT_VERIFIED
    assert refused(UserFactory(is_staff=True).email) == MinistryError.STAFF_ACCOUNT
    # A region's officer would read every other province's reports.
    assert refused(member(malang, Role.VIEWER).email) == MinistryError.MEMBER_OF_REGION
    assert not MinistryOfficial.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="ministry.").exists()


def test_granting_twice_is_a_conflict(staff_user):
    person = official(staff_user)
    with pytest.raises(Conflict) as caught:
        grant_ministry_role(email=person.email, unit=UNIT, acting_user=staff_user)
    assert caught.value.code == MinistryError.ALREADY_OFFICIAL


def test_revoking_takes_the_reading_away(staff_user, django_capture_on_commit_callbacks):
    person = official(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        revoke_ministry_role(official_pk=person.ministry_role.pk, acting_user=staff_user)
    assert not can_read_national(person)
    event = AuditEvent.objects.get(action="ministry.role_revoked")
    assert event.data == {"email": person.email, "unit": UNIT}
    assert mail.outbox[-1].to == [person.email]
    with pytest.raises(Conflict) as caught:
        revoke_ministry_role(official_pk=event.pk + 10_000, acting_user=staff_user)
    assert caught.value.code == MinistryError.NOT_OFFICIAL


def test_an_official_needs_the_second_factor(staff_user):
    person = official(staff_user)
    assert requires_second_factor(person)
    assert not requires_second_factor(UserFactory())


def test_a_password_only_session_of_an_official_is_sent_to_the_second_factor(staff_user):
    person = official(staff_user)
    TOTP.activate(person, TOTP_SECRET)
    password_only = host_client("localhost")
    password_only.force_login(person)
    response = password_only.get("/nasional/laporan/")
    assert response.status_code == 302
    assert response["Location"].startswith("/akun/2fa/")
    # Without TOTP set up yet: sent to set it up.
    fresh = official(staff_user)
    client = host_client("localhost")
    client.force_login(fresh)
    response = client.get("/nasional/laporan/")
    assert response.status_code == 302
    assert response["Location"].startswith("/akun/2fa/totp/activate/")
    # Passed: the page.
    assert host_client("localhost", person).get("/nasional/laporan/").status_code == 200


def test_the_staff_page_grants_and_revokes(staff_user):
    person = UserFactory()
    client = host_client("localhost", staff_user)
    page = client.get("/platform/kemendagri/")
    assert page.status_code == 200
    response = client.post("/platform/kemendagri/", {"email": person.email, "unit": UNIT})
    assert response.status_code == 302
    holder = MinistryOfficial.objects.get(user=person)
    page = client.get("/platform/kemendagri/")
    assert person.email in page.content.decode()
    refused = client.post("/platform/kemendagri/", {"email": "x@contoh.test", "unit": UNIT})
    assert refused.status_code == 400
    assert "signs up first" in refused.content.decode() or "mendaftar" in refused.content.decode()
    response = client.post(f"/platform/kemendagri/{holder.pk}/cabut/")
    assert response.status_code == 302
    assert not MinistryOfficial.objects.filter(user=person).exists()


def test_only_staff_reach_the_staff_page(malang, member, staff_user):
    holder = official(staff_user)
    TOTP.activate(holder, TOTP_SECRET)
    for person in (holder, member(malang, Role.ADMIN), UserFactory()):
        client = host_client("localhost", person)
        assert client.get("/platform/kemendagri/").status_code == 403
        assert client.post("/platform/kemendagri/", {"email": person.email}).status_code == 403


def test_a_province_compilation_is_announced_to_the_officials(
    jatim, office_of, staff_user, django_capture_on_commit_callbacks
):
    from reporting import actions

    from .conftest import H1, TODAY, letter

    person = official(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        actions.compile_province(
            membership=office_of(jatim), semester=H1, letter=letter("050/1/35/2026"), today=TODAY
        )
    assert [m.to for m in mail.outbox if person.email in m.to] == [[person.email]]
