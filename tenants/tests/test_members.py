"""Inviting, accepting, changing roles and removing members, on the region's subdomain."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from conftest import UserFactory
from tenants.models import AuditEvent, Invitation, Membership, Role

pytestmark = pytest.mark.django_db

MEMBERS = "/anggota/"


def invite(client, email="lurah.baru@contoh.test", role=Role.LURAH, area="35.73.01.1007", opd=""):
    return client.post(MEMBERS, {"email": email, "role": role, "area": area, "opd": opd})


def test_admin_invites_a_lurah_for_a_kelurahan(
    client_for, member, malang, django_capture_on_commit_callbacks
):
    admin = member(malang, Role.ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client_for(malang, admin))
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.tenant, invitation.role, invitation.area_id) == (
        malang,
        Role.LURAH,
        "35.73.01.1007",
    )
    assert mail.outbox[0].to == ["lurah.baru@contoh.test"]
    assert f"http://kota-malang.localhost:8000/undangan/{invitation.token}/" in mail.outbox[0].body
    event = AuditEvent.objects.get(action="member.invited")
    assert event.actor == admin and event.tenant == malang
    assert event.data == {
        "email": "lurah.baru@contoh.test",
        "role": "lurah",
        "opd": "",
        "area": "35.73.01.1007",
    }


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"role": Role.LURAH, "area": ""}, "area_required"),
        (
            {"role": Role.LURAH, "area": "35.79.01.1001"},
            "area_outside_region",
        ),  # a Kota Batu village
        (
            {"role": Role.CAMAT, "area": "35.73.01.1007"},
            "area_wrong_kind",
        ),  # a kelurahan, not a kecamatan
        ({"role": Role.LURAH, "area": "35.73.01"}, "area_wrong_kind"),
        ({"role": Role.CAMAT, "area": "35.73.1"}, "invalid_region_code"),
        ({"role": Role.OPD, "area": "", "opd": " "}, "opd_required"),
    ],
)
def test_invitation_scope_is_validated(client_for, member, malang, data, code):
    admin = member(malang, Role.ADMIN)
    response = invite(client_for(malang, admin), **data)
    assert response.status_code == 400
    codes = [
        e.code for errors in response.context["form"].errors.as_data().values() for e in errors
    ]
    assert code in codes
    assert not Invitation.objects.exists()


def test_existing_members_and_open_invitations_are_not_invited_twice(client_for, member, malang):
    admin = member(malang, Role.ADMIN)
    tkksd = member(malang, Role.TKKSD)
    client = client_for(malang, admin)
    response = invite(client, email=tkksd.email, role=Role.VIEWER, area="")
    assert response.status_code == 400
    assert response.context["form"].errors.as_data()["email"][0].code == "already_member"
    invite(client)
    again = invite(client, email="LURAH.BARU@contoh.test")
    assert again.context["form"].errors.as_data()["email"][0].code == "invitation_pending"
    assert Invitation.objects.count() == 1


@pytest.mark.parametrize("role", [Role.TKKSD, Role.OPD, Role.CAMAT, Role.LURAH, Role.VIEWER])
def test_other_roles_cannot_manage_members(client_for, member, malang, role):
    user = member(
        malang,
        role,
        area={"camat": "35.73.01", "lurah": "35.73.01.1007"}.get(role),
        opd="Dinas Pertanian" if role == Role.OPD else "",
    )
    client = client_for(malang, user)
    assert client.get(MEMBERS).status_code == 403
    assert invite(client).status_code == 403
    assert not Invitation.objects.exists()


def test_another_regions_admin_gets_not_found(client_for, member, malang, batu):
    batu_admin = member(batu, Role.ADMIN)
    client = client_for(malang, batu_admin)
    assert client.get(MEMBERS).status_code == 404
    assert invite(client).status_code == 404
    assert not Invitation.objects.exists()


def test_anonymous_is_sent_to_sign_in(client_for, malang):
    response = client_for(malang).get(MEMBERS)
    assert response.status_code == 302
    assert response["Location"].startswith("http://localhost:8000/akun/sesi/?next=")
    assert not Invitation.objects.exists()


@pytest.fixture
def invitation(malang, member):
    admin = member(malang, Role.ADMIN)
    return Invitation.objects.create(
        tenant=malang,
        email="lurah.baru@contoh.test",
        role=Role.LURAH,
        area_id="35.73.01.1007",
        invited_by=admin,
    )


def test_invited_person_accepts_with_the_invited_address(
    client_for, malang, invitation, user_factory
):
    person = user_factory(email="lurah.baru@contoh.test")
    client = client_for(malang, person)
    assert client.get(f"/undangan/{invitation.token}/").status_code == 200
    response = client.post(f"/undangan/{invitation.token}/")
    assert response.status_code == 302
    membership = Membership.objects.get(user=person)
    assert (membership.tenant, membership.role, membership.area_id) == (
        malang,
        Role.LURAH,
        "35.73.01.1007",
    )
    invitation.refresh_from_db()
    assert invitation.accepted_by == person
    assert AuditEvent.objects.filter(action="member.joined", actor=person, tenant=malang).exists()
    # The link is single-use.
    assert client.post(f"/undangan/{invitation.token}/").status_code == 400


def test_invitation_refused_for_another_address_expired_or_unverified(
    client_for, malang, invitation, user_factory
):
    stranger = user_factory()
    response = client_for(malang, stranger).post(f"/undangan/{invitation.token}/")
    assert response.status_code == 400 and "lurah.baru@contoh.test" in response.content.decode()
    assert response.context["error_code"] == "invitation_email_mismatch"

    # The invited address itself, not yet verified: only verification differs.
    unverified = user_factory(email="lurah.baru@contoh.test", verified=False)
    EmailAddress.objects.create(user=unverified, email="lurah.baru@contoh.test", verified=False)
    response = client_for(malang, unverified).post(f"/undangan/{invitation.token}/")
    assert response.status_code == 400
    assert response.context["error_code"] == "email_unverified"

    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    verified = user_factory(email="lurah.baru2@contoh.test")
    EmailAddress.objects.create(user=verified, email="lurah.baru@contoh.test", verified=True)
    response = client_for(malang, verified).post(f"/undangan/{invitation.token}/")
    assert response.status_code == 400
    assert response.context["error_code"] == "invitation_invalid"
    assert not Membership.objects.filter(tenant=malang, role=Role.LURAH).exists()


def test_an_invitation_is_not_found_on_another_regions_subdomain(
    client_for, batu, invitation, user_factory
):
    person = user_factory(email="lurah.baru@contoh.test")
    assert client_for(batu, person).post(f"/undangan/{invitation.token}/").status_code == 404
    assert not Membership.objects.filter(user=person).exists()


def test_admin_changes_a_role_and_the_change_is_recorded(client_for, member, malang):
    admin = member(malang, Role.ADMIN)
    viewer = member(malang, Role.VIEWER)
    membership = Membership.objects.get(user=viewer)
    response = client_for(malang, admin).post(
        f"/anggota/{membership.pk}/ubah/",
        {"role": Role.CAMAT, "area": "35.73.01", "opd": "ignored"},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.role, membership.area_id, membership.opd) == (Role.CAMAT, "35.73.01", "")
    event = AuditEvent.objects.get(action="member.role_changed")
    assert event.actor == admin
    assert event.data["before"] == {"role": "viewer", "opd": "", "area": None}
    assert event.data["after"] == {"role": "camat", "opd": "", "area": "35.73.01"}


def test_admin_removes_a_member_and_the_last_admin_stays(client_for, member, malang):
    admin = member(malang, Role.ADMIN)
    viewer = member(malang, Role.VIEWER)
    client = client_for(malang, admin)
    client.post(f"/anggota/{Membership.objects.get(user=viewer).pk}/hapus/")
    assert not Membership.objects.filter(user=viewer).exists()
    assert AuditEvent.objects.get(action="member.removed").data["email"] == viewer.email

    own = Membership.objects.get(user=admin)
    client.post(f"/anggota/{own.pk}/hapus/")
    response = client.post(f"/anggota/{own.pk}/ubah/", {"role": Role.VIEWER})
    assert response.status_code == 400
    own.refresh_from_db()
    assert own.role == Role.ADMIN


def test_memberships_of_another_region_are_not_found(client_for, member, malang, batu):
    admin = member(malang, Role.ADMIN)
    batu_member = Membership.objects.get(user=member(batu, Role.VIEWER))
    client = client_for(malang, admin)
    assert client.get(f"/anggota/{batu_member.pk}/ubah/").status_code == 404
    assert client.post(f"/anggota/{batu_member.pk}/hapus/").status_code == 404
    assert Membership.objects.filter(pk=batu_member.pk).exists()


def test_one_account_can_belong_to_several_regions(client_for, member, malang, batu, user_factory):
    officer = user_factory()
    Membership.objects.create(user=officer, tenant=malang, role=Role.VIEWER)
    Membership.objects.create(user=officer, tenant=batu, role=Role.TKKSD)
    html = client_for(malang, officer).get("/").content.decode()
    assert "http://kota-batu.localhost:8000/" in html  # the region switcher
    assert client_for(batu, officer).get("/").status_code == 200


def test_open_invitations_wait_on_the_persons_workspaces_page(client_for, invitation, user_factory):
    """After signing up and confirming the address, the e-mailed link's context is gone; the
    platform's "My workspaces" page leads back to the invitation."""
    person = user_factory(email="lurah.baru@contoh.test")
    html = client_for(None, person).get("/ruang-kerja/").content.decode()
    assert f"http://kota-malang.localhost:8000/undangan/{invitation.token}/" in html
    stranger_html = client_for(None, user_factory()).get("/ruang-kerja/").content.decode()
    assert invitation.token not in stranger_html


def test_the_invite_form_offers_the_least_privilege_first(client_for, member, malang):
    response = client_for(malang, member(malang, Role.ADMIN)).get(MEMBERS)
    assert response.context["form"]["role"].value() == Role.VIEWER
    assert '<option value="viewer" selected>' in response.content.decode()


# --- Removing a member: a confirmation page, then the POST-only action --------------------------


def remove_confirm_url(membership):
    return reverse("workspace:member_remove_confirm", args=[membership.pk])


def remove_url(membership):
    return reverse("workspace:member_remove", args=[membership.pk])


def test_removing_asks_first_then_removes_and_tells_the_person(
    client_for, member, malang, django_capture_on_commit_callbacks
):
    admin = member(malang, Role.ADMIN)
    camat = member(malang, Role.CAMAT, area="35.73.01")
    membership = Membership.objects.get(user=camat)
    client = client_for(malang, admin)
    members_page = client.get(MEMBERS).content.decode()
    assert f'href="{remove_confirm_url(membership)}"' in members_page
    assert f'action="{remove_url(membership)}"' not in members_page  # no one-click removal

    confirm = client.get(remove_confirm_url(membership))
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert camat.email in html and "Kecamatan Blimbing" in html
    assert f'action="{remove_url(membership)}"' in html
    assert Membership.objects.filter(pk=membership.pk).exists()  # asking changes nothing
    assert client.get(remove_url(membership)).status_code == 405  # the action stays POST-only

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(remove_url(membership))
    assert response.status_code == 302
    assert mail.outbox == []  # only once the removal has committed
    for callback in callbacks:
        callback()
    assert not Membership.objects.filter(pk=membership.pk).exists()
    (message,) = mail.outbox
    assert message.to == [camat.email]
    assert "Kota Malang" in message.subject
    assert admin.email in message.body and "http://localhost:8000/ruang-kerja/" in message.body


def test_the_removal_confirmation_refuses_everyone_else(
    client_for, member, malang, batu, staff_user
):
    viewer = Membership.objects.get(user=member(malang, Role.VIEWER))
    batu_member = Membership.objects.get(user=member(batu, Role.VIEWER))
    anonymous = client_for(malang).get(remove_confirm_url(viewer))
    assert anonymous.status_code == 302 and "/akun/sesi/" in anonymous["Location"]
    assert (
        client_for(malang, member(malang, Role.TKKSD)).get(remove_confirm_url(viewer)).status_code
        == 403
    )
    assert (
        client_for(malang, member(batu, Role.ADMIN)).get(remove_confirm_url(viewer)).status_code
        == 404
    )
    assert client_for(malang, staff_user).get(remove_confirm_url(viewer)).status_code == 404
    admin = client_for(malang, member(malang, Role.ADMIN))
    assert admin.get(remove_confirm_url(batu_member)).status_code == 404
    assert admin.post(remove_confirm_url(viewer)).status_code == 405
    assert Membership.objects.filter(pk__in=[viewer.pk, batu_member.pk]).count() == 2
    assert mail.outbox == []


def test_removing_the_last_administrator_is_refused_without_an_email(
    client_for, member, malang, django_capture_on_commit_callbacks
):
    admin = member(malang, Role.ADMIN)
    own = Membership.objects.get(user=admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(malang, admin).post(remove_url(own), follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert Membership.objects.filter(pk=own.pk).exists()
    assert mail.outbox == []
    assert not AuditEvent.objects.filter(action="member.removed").exists()


# --- Revoking an invitation -------------------------------------------------------------------


def revoke_confirm_url(invitation):
    return reverse("workspace:invitation_revoke_confirm", args=[invitation.pk])


def revoke_url(invitation):
    return reverse("workspace:invitation_revoke", args=[invitation.pk])


def test_admin_revokes_an_invitation_after_confirming(client_for, malang, invitation):
    admin = invitation.invited_by
    client = client_for(malang, admin)
    assert f'href="{revoke_confirm_url(invitation)}"' in client.get(MEMBERS).content.decode()
    confirm = client.get(revoke_confirm_url(invitation))
    assert confirm.status_code == 200
    assert invitation.email in confirm.content.decode()
    assert f'action="{revoke_url(invitation)}"' in confirm.content.decode()
    assert client.get(revoke_url(invitation)).status_code == 405  # POST-only

    response = client.post(revoke_url(invitation))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    event = AuditEvent.objects.get(action="member.invitation_revoked")
    assert (event.actor, event.tenant, event.object_id) == (admin, malang, str(invitation.pk))
    assert event.data == {"email": "lurah.baru@contoh.test"}
    # The link no longer works, and revoking again finds nothing to revoke.
    person = client_for(malang, UserFactory(email="lurah.baru@contoh.test"))
    assert person.post(f"/undangan/{invitation.token}/").status_code == 400
    assert client.post(revoke_url(invitation)).status_code == 404
    assert client.get(revoke_confirm_url(invitation)).status_code == 404
    assert AuditEvent.objects.filter(action="member.invitation_revoked").count() == 1
    assert mail.outbox == []  # the invitee is not e-mailed (see the report)


@pytest.mark.parametrize("role", [Role.TKKSD, Role.OPD, Role.CAMAT, Role.LURAH, Role.VIEWER])
def test_other_roles_cannot_revoke(client_for, member, malang, invitation, role):
    user = member(
        malang,
        role,
        area={"camat": "35.73.01", "lurah": "35.73.01.1007"}.get(role),
        opd="Dinas Pertanian" if role == Role.OPD else "",
    )
    client = client_for(malang, user)
    assert client.get(revoke_confirm_url(invitation)).status_code == 403
    assert client.post(revoke_url(invitation)).status_code == 403
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_another_regions_invitation_is_not_found(client_for, member, malang, batu, invitation):
    batu_admin = member(batu, Role.ADMIN)
    batu_invitation = Invitation.objects.create(
        tenant=batu, email="warga@contoh.test", role=Role.VIEWER, invited_by=batu_admin
    )
    malang_admin = client_for(malang, invitation.invited_by)
    assert malang_admin.get(revoke_confirm_url(batu_invitation)).status_code == 404
    assert malang_admin.post(revoke_url(batu_invitation)).status_code == 404
    # Nor can Kota Batu's administrator revoke Kota Malang's, on either subdomain.
    assert client_for(malang, batu_admin).post(revoke_url(invitation)).status_code == 404
    assert client_for(batu, batu_admin).post(revoke_url(invitation)).status_code == 404
    assert Invitation.objects.filter(revoked_at__isnull=False).count() == 0
    assert not AuditEvent.objects.filter(action="member.invitation_revoked").exists()


def test_anonymous_and_platform_staff_cannot_revoke(client_for, malang, invitation, staff_user):
    anonymous = client_for(malang).post(revoke_url(invitation))
    assert anonymous.status_code == 302 and "/akun/sesi/" in anonymous["Location"]
    assert client_for(malang, staff_user).post(revoke_url(invitation)).status_code == 404
    assert client_for(malang, staff_user).get(revoke_confirm_url(invitation)).status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_the_tenants_actions_never_run_inside_a_callers_transaction():
    """Top-level actions (core.actions.top_level): their e-mail and schema work follow their own
    commit, so inside a caller's transaction they refuse before doing anything.
    approve_application composes provision_region through `.inner` (the approval tests)."""
    from django.db import transaction

    from tenants import members, onboarding, region_lifecycle

    with transaction.atomic():
        for act in (
            members.invite_member,
            members.revoke_invitation,
            members.accept_invitation,
            members.change_member_role,
            members.remove_member,
            onboarding.confirm_official_email,
            onboarding.resend_email_confirmation,
            onboarding.provision_region,
            onboarding.approve_application,
            onboarding.reject_application,
            region_lifecycle.suspend_tenant,
            region_lifecycle.reactivate_tenant,
            region_lifecycle.request_export,
            region_lifecycle.schedule_deletion,
            region_lifecycle.restore_tenant,
            region_lifecycle.purge_tenant,
        ):
            with pytest.raises(RuntimeError, match="durable"):
                act()
