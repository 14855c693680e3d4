"""API tokens: the member's page (create, shown once, revoke), what a token authenticates and
when it stops, and the audit trail."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from api import tokens
from api.models import ApiToken
from tenants.models import AuditEvent, Membership, Role

from .conftest import MALANG, api, assert_error, token_of

pytestmark = pytest.mark.django_db

PAGE = "/akses-api/"


def test_a_member_creates_a_token_shown_once_and_stored_as_a_hash(client_for, malang, member):
    opd = member(malang, Role.OPD, opd="Dinas Pertanian")
    client = client_for(malang, opd)
    response = client.post(PAGE, {"name": "Sinkron SIPD", "days": "90"})
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    token = ApiToken.objects.get()
    raw = response.context["created"][1]
    assert raw.startswith("jjr_") and len(raw) > 40
    assert raw in response.content.decode()
    assert token.key_hash == tokens.hash_token(raw) and raw not in token.key_hash
    assert token.membership.user == opd and token.membership.tenant == malang
    assert timedelta(days=89) < token.expires_at - timezone.now() <= timedelta(days=90)
    # Never again: the list shows the name and the first characters only.
    page = client.get(PAGE).content.decode()
    assert "Sinkron SIPD" in page and token.prefix in page and raw not in page
    event = AuditEvent.objects.get(action="api_token.created")
    assert event.actor == opd and event.tenant == malang
    assert event.data == {
        "name": "Sinkron SIPD",
        "prefix": token.prefix,
        "role": "opd",
        "expires": token.expires_at.date().isoformat(),
    }


def test_bad_input_creates_nothing_and_says_what_to_do(client_for, malang, member):
    client = client_for(malang, member(malang, Role.VIEWER))
    response = client.post(PAGE, {"name": "  ", "days": "7"})
    assert response.status_code == 400
    assert ApiToken.objects.count() == 0
    errors = response.context["form"].errors
    assert set(errors) == {"name", "days"}


def test_at_most_ten_valid_tokens(malang, member):
    user = member(malang, Role.VIEWER)
    for _ in range(tokens.MAX_ACTIVE_TOKENS):
        token_of(user, malang)
    membership = Membership.objects.get(user=user)
    with pytest.raises(tokens.Conflict) as refused:
        tokens.create_token(membership=membership, name="Satu lagi", days=30)
    assert refused.value.code == "too_many_tokens"


def test_revoking_stops_the_token_at_once(client_for, malang, member):
    user = member(malang, Role.VIEWER)
    raw = token_of(user, malang)
    assert api(token=raw).get("/api/v1/partners/").status_code == 200
    token = ApiToken.objects.get()
    client = client_for(malang, user)
    response = client.post(
        reverse("api_tokens:revoke", args=[token.pk], urlconf="portal.urls_tenant")
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert_error(api(token=raw).get("/api/v1/partners/"), 401, "authentication_failed")
    assert AuditEvent.objects.filter(action="api_token.revoked", actor=user).count() == 1
    # Revoking twice changes nothing more.
    client.post(reverse("api_tokens:revoke", args=[token.pk], urlconf="portal.urls_tenant"))
    assert AuditEvent.objects.filter(action="api_token.revoked").count() == 1


def test_nobody_revokes_or_sees_someone_elses_token(client_for, malang, batu, member):
    owner = member(malang, Role.OPD, opd="Dinas Pertanian")
    token_of(owner, malang, name="Rahasia pemilik")
    token = ApiToken.objects.get()
    path = reverse("api_tokens:revoke", args=[token.pk], urlconf="portal.urls_tenant")
    # Another member of the same region (even its administrator): not theirs, 404.
    colleague = client_for(malang, member(malang, Role.ADMIN))
    assert "Rahasia pemilik" not in colleague.get(PAGE).content.decode()
    assert colleague.post(path).status_code == 404
    # Another region's administrator: not a member here, 404 like any workspace page.
    other = client_for(malang, member(batu, Role.ADMIN))
    assert other.get(PAGE).status_code == 404
    assert other.post(path).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_token_pages_need_a_signed_in_member(client_for, malang):
    response = api(MALANG).get(PAGE)
    assert response.status_code == 302  # to the platform's sign-in (the session handoff)


@pytest.mark.parametrize(
    "spoil",
    [
        "expired",
        "membership_removed",
        "account_deactivated",
        "email_unverified",
        "region_being_deleted",
        "wrong_token",
        "wrong_scheme",
    ],
)
def test_a_token_stops_working_when_its_holder_could_no_longer_act(spoil, malang, member):
    user = member(malang, Role.ADMIN)
    raw = token_of(user, malang)
    headers = {}
    if spoil == "expired":
        ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    elif spoil == "membership_removed":
        Membership.objects.filter(user=user).delete()
        assert ApiToken.objects.count() == 0
    elif spoil == "account_deactivated":
        user.is_active = False
        user.save(update_fields=["is_active"])
    elif spoil == "email_unverified":
        user.emailaddress_set.update(verified=False)
    elif spoil == "region_being_deleted":
        malang.status = "pending_deletion"
        malang.save(update_fields=["status"])
    elif spoil == "wrong_token":
        raw = raw[:-2] + ("AA" if not raw.endswith("AA") else "BB")
    elif spoil == "wrong_scheme":
        headers = {"HTTP_AUTHORIZATION": f"Token {raw}"}
    client = api(token=None if spoil == "wrong_scheme" else raw)
    response = client.get("/api/v1/partners/", **headers)
    expected = "not_authenticated" if spoil == "wrong_scheme" else "authentication_failed"
    error = assert_error(response, 401, expected)
    assert error["fields"] == {}
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_token_records_its_last_use_without_a_write_per_call(malang, member):
    raw = token_of(member(malang, Role.VIEWER), malang)
    client = api(token=raw)
    client.get("/api/v1/partners/")
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    client.get("/api/v1/partners/")
    assert ApiToken.objects.get().last_used_at == first


def test_a_session_does_not_authenticate_the_api(client_for, malang, member):
    """Only a token does: a browser's session cookie never authorises an API call."""
    client = client_for(None, member(malang, Role.ADMIN))
    assert_error(client.get("/api/v1/partners/"), 401, "not_authenticated")


def test_the_token_page_is_valid_html(client_for, malang, member, tmp_path):
    from tests.test_html_validity import validate

    client = client_for(malang, member(malang, Role.ADMIN))
    listed = client.get(PAGE).content.decode()
    created = client.post(PAGE, {"name": "Sinkron SIPD", "days": "90"}).content.decode()
    refused = client.post(PAGE, {"name": "", "days": "1"}).content.decode()
    pages = {"tokens": listed, "token-created": created, "token-refused": refused}
    assert validate(pages, tmp_path) == {}
