"""A region's portal editors edit their region's section and nothing else, through Wagtail's
own permissions (its admin, driven by the test client); the office grants and withdraws the
permission; platform editors edit the rest."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Group

from cms import editors
from cms.models import ArticlePage, RegionPage
from cms.pages import ensure_sections
from core.errors import Forbidden
from tenants.models import AuditEvent, Membership, Role

pytestmark = pytest.mark.django_db

BODY = json.dumps(
    {
        "blocks": [
            {
                "key": "a1b2c",
                "text": "Isi berita.",
                "type": "unstyled",
                "depth": 0,
                "inlineStyleRanges": [],
                "entityRanges": [],
            }
        ],
        "entityMap": {},
    }
)


def _refused(response) -> bool:
    """Wagtail's admin answers a page it refuses with a redirect to its dashboard (and the
    message that the person may not open it)."""
    return response.status_code == 302 and response.url == "/cms/"


def _page(code: str) -> RegionPage:
    return RegionPage.objects.get(region_id=code)


@pytest.fixture
def office(member, malang):
    return member(malang, Role.ADMIN)


@pytest.fixture
def malang_editor(member, malang, office):
    """An OPD officer of Kota Malang whom the office made a portal editor."""
    user = member(malang, Role.OPD, opd="Diskominfo", mfa=True)
    editors.grant_editor(membership=Membership.objects.get(user=user), acting_user=office)
    return user


def _add_article(client, parent: RegionPage, title: str):
    return client.post(
        f"/cms/pages/add/cms/articlepage/{parent.pk}/",
        {
            "title": title,
            "slug": "berita-uji",
            "kind": "news",
            "date": "2026-11-23",
            "summary": "",
            "body": BODY,
            "action-publish": "action-publish",
        },
    )


def test_a_region_editor_edits_their_section_only(client_for, malang_editor, batu):
    ensure_sections()
    client = client_for(None, malang_editor)
    own, other = _page("35.73"), _page("35.79")
    assert client.get("/cms/").status_code == 200
    assert client.get(f"/cms/pages/{own.pk}/edit/").status_code == 200
    # The introduction is theirs; the region's name and address are the registry's.
    response = client.post(
        f"/cms/pages/{own.pk}/edit/",
        {
            "title": "Kota Lain",
            "slug": "kota-lain",
            "intro": BODY,
            "seo_title": "",
            "search_description": "",
            "action-publish": "action-publish",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    own.refresh_from_db()
    assert (own.title, own.slug) == ("Kota Malang", "kota-malang")
    assert "Isi berita." in own.intro
    response = _add_article(client, own, "Berita Malang")
    assert response.status_code == 302, response.content.decode()[:500]
    article = ArticlePage.objects.get(title="Berita Malang")
    assert article.live and article.get_parent().pk == own.pk
    # Another region's section, and the platform's sections: refused by Wagtail itself.
    assert _refused(client.get(f"/cms/pages/{other.pk}/edit/"))
    assert _refused(_add_article(client, other, "Berita Batu"))
    assert not ArticlePage.objects.filter(title="Berita Batu").exists()
    guides = ensure_sections()["GuideIndexPage"]
    assert _refused(client.get(f"/cms/pages/{guides.pk}/edit/"))
    home = own.get_parent()
    assert _refused(client.get(f"/cms/pages/{home.pk}/edit/"))


def test_another_regions_editor_cannot_touch_malangs_section(client_for, member, batu):
    batu_office = member(batu, Role.ADMIN)
    batu_editor = member(batu, Role.TKKSD, mfa=True)
    editors.grant_editor(
        membership=Membership.objects.get(user=batu_editor), acting_user=batu_office
    )
    client = client_for(None, batu_editor)
    assert client.get(f"/cms/pages/{_page('35.79').pk}/edit/").status_code == 200
    assert _refused(client.get(f"/cms/pages/{_page('35.73').pk}/edit/"))


def test_platform_editors_edit_the_rest_but_no_regions_section(client_for, user_factory):
    from allauth.mfa.totp.internal.auth import TOTP

    from conftest import TOTP_SECRET

    sections = ensure_sections()
    person = user_factory()
    TOTP.activate(person, TOTP_SECRET)
    person.groups.add(editors.platform_editors())
    client = client_for(None, person)
    assert client.get(f"/cms/pages/{sections['GuideIndexPage'].pk}/edit/").status_code == 200
    assert client.get(f"/cms/pages/{sections['NewsIndexPage'].pk}/edit/").status_code == 200
    assert _refused(client.get(f"/cms/pages/{_page('35.73').pk}/edit/"))


def test_without_the_permission_the_admin_is_closed(client_for, member, malang):
    opd = member(malang, Role.OPD, opd="Diskominfo", mfa=True)
    assert client_for(None, opd).get("/cms/").status_code == 403


@pytest.mark.parametrize("role", [Role.CAMAT, Role.LURAH, Role.VIEWER])
def test_only_office_tkksd_and_opd_may_be_editors(member, malang, office, role):
    area = {Role.CAMAT: "35.73.01", Role.LURAH: "35.73.01.1007"}.get(role)
    user = member(malang, role, area=area)
    with pytest.raises(Exception) as refused:
        editors.grant_editor(membership=Membership.objects.get(user=user), acting_user=office)
    assert getattr(refused.value, "code", None) == editors.EditorError.NOT_ELIGIBLE
    assert not user.groups.exists()


@pytest.mark.parametrize("role", [Role.TKKSD, Role.OPD, Role.VIEWER])
def test_only_the_office_grants(member, malang, role):
    actor = member(malang, role, opd="Diskominfo" if role == Role.OPD else "")
    target = member(malang, Role.OPD, opd="Bappeda")
    with pytest.raises(Forbidden):
        editors.grant_editor(membership=Membership.objects.get(user=target), acting_user=actor)


def test_another_regions_office_cannot_grant(member, malang, batu):
    batu_office = member(batu, Role.ADMIN)
    target = member(malang, Role.OPD, opd="Bappeda")
    with pytest.raises(Forbidden):
        editors.grant_editor(
            membership=Membership.objects.get(user=target), acting_user=batu_office
        )


def test_leaving_or_a_role_change_withdraws_it(malang_editor, malang):
    group = _page("35.73").editors
    assert malang_editor.groups.filter(pk=group.pk).exists()
    membership = Membership.objects.get(user=malang_editor)
    membership.role = Role.VIEWER
    membership.save()
    assert not malang_editor.groups.filter(pk=group.pk).exists()
    membership.role = Role.OPD
    membership.save()
    editors.grant_editor(
        membership=membership, acting_user=Membership.objects.get(tenant=malang, role="admin").user
    )
    membership.delete()
    assert not malang_editor.groups.filter(pk=group.pk).exists()


def test_the_grant_is_in_the_regions_history_and_idempotent(malang_editor, office, malang):
    membership = Membership.objects.get(user=malang_editor)
    editors.grant_editor(membership=membership, acting_user=office)  # again: one group
    assert Group.objects.filter(name="Penyunting portal 35.73").count() == 1
    editors.revoke_editor(membership=membership, acting_user=office)
    actions = list(
        AuditEvent.objects.filter(tenant=malang, action__startswith="portal.").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == [
        "portal.editor_granted",
        "portal.editor_granted",
        "portal.editor_revoked",
    ]
    assert not editors.is_editor(membership)


def test_the_office_chooses_editors_on_its_subdomain(client_for, member, malang, batu, office):
    opd = member(malang, Role.OPD, opd="Diskominfo", mfa=True)
    lurah = member(malang, Role.LURAH, area="35.73.01.1007")
    client = client_for(malang, office)
    page = client.get("/portal/penyunting/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f"Make {opd.email} an editor" in html
    assert f"Make {lurah.email} an editor" not in html
    opd_membership = Membership.objects.get(user=opd)
    response = client.post(f"/portal/penyunting/{opd_membership.pk}/", {"action": "grant"})
    assert response.status_code == 302
    assert editors.is_editor(opd_membership)
    assert f"Withdraw from {opd.email}" in client.get("/portal/penyunting/").content.decode()
    # The lurah is refused with the reason, nothing changes.
    lurah_membership = Membership.objects.get(user=lurah)
    response = client.post(
        f"/portal/penyunting/{lurah_membership.pk}/", {"action": "grant"}, follow=True
    )
    assert "Change their role first" in response.content.decode()
    assert not editors.is_editor(lurah_membership)
    # Another region's membership does not exist here; another region's office is not a member.
    batu_member = Membership.objects.get(user=member(batu, Role.OPD, opd="Bappeda"))
    assert (
        client.post(f"/portal/penyunting/{batu_member.pk}/", {"action": "grant"}).status_code == 404
    )
    batu_office = member(batu, Role.ADMIN)
    assert client_for(malang, batu_office).get("/portal/penyunting/").status_code == 404
    assert client_for(malang, opd).get("/portal/penyunting/").status_code == 403
    response = client.post(f"/portal/penyunting/{opd_membership.pk}/", {"action": "revoke"})
    assert response.status_code == 302
    assert not editors.is_editor(opd_membership)
