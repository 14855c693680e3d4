"""The registry's pages are valid HTML (the Nu Html Checker, as tests/test_html_validity.py)."""

from __future__ import annotations

import pytest

from public_registry import publishing
from public_registry.tests.test_views import record, signed
from tenants.models import Role
from tests.test_html_validity import validate

pytestmark = pytest.mark.django_db


def test_the_registry_pages_are_valid_html(client_for, malang, member, tmp_path):
    coop = signed(malang, "KSB Pengelolaan Sampah Malang Raya", document=True)
    pks = signed(malang, "PKS Bank Sampah", organisation="Bank Jatim", parent=coop)
    office_member = member(malang, Role.ADMIN)
    public = client_for(None)
    pages = {
        "list": public.get("/kerja-sama/?q=sampah&status=in_force"),
        "list_empty": public.get("/kerja-sama/?province=61"),
        "detail": public.get(f"/kerja-sama/{record(coop).pk}/"),
        "withholding": client_for(malang, office_member).get(f"/kerja-sama/publik/{pks.pk}/"),
    }
    from agreements.tests.factories import membership_of

    publishing.set_withholding(
        membership=membership_of(office_member, malang),
        cooperation=pks,
        fields=["signatories", "object"],
        documents=True,
        reason="UU 14/2008 Pasal 17 huruf b",
    )
    pages["detail_withheld"] = public.get(f"/kerja-sama/{record(pks).pk}/")
    for name, response in pages.items():
        assert response.status_code == 200, name
    errors = validate({k: r.content.decode() for k, r in pages.items()}, tmp_path)
    assert errors == {}
