"""The suspended-region middleware answers a write on its own. Every action also refuses writes
to a suspended region (tenants.members.ensure_writable), so here the actions' and the policy's
own checks are switched off: what refuses the write, with the middleware's page, is the
middleware alone (tenants.models.accepts_writes, the one writability rule)."""

from __future__ import annotations

import pytest
from django_tenants.utils import tenant_context

from tenants import members, policy, region_lifecycle
from tenants.models import Invitation, Role, Tenant, accepts_writes
from workspace.models import Document

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_check_but_the_middlewares(monkeypatch):
    """The actions' and the permissions' own writability checks say yes."""
    monkeypatch.setattr(policy, "refuses_writes", lambda tenant: False)
    monkeypatch.setattr(members, "refuses_writes", lambda tenant: False)


def template_names(response) -> list[str]:
    return [t.name for t in response.templates]


def test_the_middleware_alone_refuses_a_write_on_a_suspended_region(
    client_for, member, malang, staff_user, pdf_file, no_check_but_the_middlewares
):
    admin = member(malang, Role.ADMIN)
    workspace = client_for(malang, admin)
    # With the actions' checks off, an active region's write goes through ...
    assert workspace.post("/dokumen/", {"title": "a", "file": pdf_file()}).status_code == 302
    region_lifecycle.suspend_tenant(tenant=malang, acting_user=staff_user, reason="Audit BPK")
    malang = Tenant.objects.get(pk=malang.pk)
    assert not accepts_writes(malang) and not malang.accepts_writes
    # ... and a suspended region's is answered by the middleware's page, before any view.
    blocked = workspace.post("/dokumen/", {"title": "b", "file": pdf_file()})
    assert blocked.status_code == 403
    assert template_names(blocked)[0] == "tenants/suspended.html"
    assert "Audit BPK" in blocked.content.decode()
    invite = workspace.post("/anggota/", {"email": "a@b.test", "role": "viewer"})
    assert invite.status_code == 403 and template_names(invite)[0] == "tenants/suspended.html"
    assert not Invitation.objects.exists()
    with tenant_context(malang):
        assert list(Document.objects.values_list("title", flat=True)) == ["a"]
    # Reading is still allowed.
    assert workspace.get("/dokumen/").status_code == 200


def test_the_platform_and_an_active_region_accept_writes(malang, batu, staff_user):
    assert accepts_writes(None)
    assert accepts_writes(Tenant.objects.get(region__isnull=True, schema_name="public"))
    assert accepts_writes(malang) and malang.accepts_writes
    region_lifecycle.schedule_deletion(
        tenant=batu, acting_user=staff_user, confirmation=batu.schema_name
    )
    batu = Tenant.objects.get(pk=batu.pk)
    assert not accepts_writes(batu) and policy.refuses_writes(batu)
    with pytest.raises(Exception) as refused:
        members.ensure_writable(batu)
    assert refused.value.code == "tenant_pending_deletion"
