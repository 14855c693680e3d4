# ruff: noqa: F811 (the fixtures imported from test_partners are arguments here)
"""Each signed document of an agreement says which instrument it is and whose copy (issue 18:
two copies of one KSB, signed the same day, both read "KSB, 18 Sep 2026")."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation
from django_tenants.utils import tenant_context

from agreements.partners import actions as partners
from agreements.register.documents import label_signed_documents
from cooperation.models import Cooperation, SignedDocument
from tenants.models import Role

from .factories import signed_pdf, signing, step
from .test_joint import malang_raya  # noqa: F401
from .test_partners import accept, kab_malang, offices, sidoarjo, url  # noqa: F401

pytestmark = pytest.mark.django_db


def test_two_signed_copies_of_one_ksb_say_whose_they_are(client_for, malang_raya, member, sidoarjo):
    world = malang_raya
    malang_office, kab_office, batu_office = world["offices"]
    malang, kab, batu = malang_office.tenant, kab_office.tenant, batu_office.tenant
    with tenant_context(malang):
        step(malang_office, world["malang"], "start_ksb_drafting")
    # Kabupaten Malang uploads its signed copy; Kota Batu confirms it carries its signature.
    with tenant_context(kab):
        partners.sign_as_party(
            membership=kab_office,
            agreement=world["kab"],
            version=Cooperation.objects.get(pk=world["kab"].cooperation_id).version,
            signed_on=datetime.date(2026, 2, 10),
            document=signed_pdf("ksb-kab.pdf"),
        )
    copy = SignedDocument.objects.get(cooperation_id=world["kab"].cooperation_id)
    with tenant_context(batu):
        partners.sign_as_party(
            membership=batu_office,
            agreement=world["batu"],
            version=copy.cooperation.version,
            signed_on=datetime.date(2026, 2, 10),
            document=None,
            confirms=copy.pk,
        )
    # Kota Malang records the signing with its own copy, the same day.
    with tenant_context(malang):
        step(malang_office, world["malang"], "sign_ksb", data=signing(), document=signed_pdf())
    assert SignedDocument.objects.filter(cooperation_id=copy.cooperation_id).count() == 2

    shared = f"KSB — signed copy of {kab.name} and {batu.name}, 10 Feb 2026"
    own = f"KSB — signed copy of {malang.name}, 10 Feb 2026"
    # Every party reads the same two labels, each once; the TKKSD too.
    for tenant, agreement, user in (
        (malang, world["malang"], member(malang, Role.TKKSD)),
        (kab, world["kab"], kab_office.user),
        (batu, world["batu"], batu_office.user),
    ):
        page = client_for(tenant, user).get(url("detail", agreement.pk))
        assert page.status_code == 200
        assert page.text.count(shared) == 1 and page.text.count(own) == 1
        assert "KSB (Kesepakatan Bersama), 10 Feb 2026" not in page.text
    # Sidoarjo, not a party, reaches neither the page nor a document.
    outsider = client_for(sidoarjo, member(sidoarjo, Role.ADMIN))
    assert outsider.get(url("detail", world["malang"].pk)).status_code == 404
    assert outsider.get(url("signed_document", world["malang"].pk, copy.pk)).status_code == 404
    # In Indonesian, as the interface speaks it first.
    with translation.override("id"):
        labels = [
            d.label
            for d in label_signed_documents(
                SignedDocument.objects.filter(cooperation_id=copy.cooperation_id)
            )
        ]
    assert labels == [
        f"KSB — salinan bertanda tangan {kab.name} dan {batu.name}, 10 Feb 2026",
        f"KSB — salinan bertanda tangan {malang.name}, 10 Feb 2026",
    ]
