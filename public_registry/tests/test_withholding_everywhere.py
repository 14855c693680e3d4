"""What the office withholds leaves every public channel, for every version.

Each withholdable field (publishing.WithheldField) and the signed documents are withheld after
several versions exist; then every version is read through every channel the public has: the
stored snapshot of the new version, the detail page, each version's page, the API (the record
and each version), the change feed, the CSV and JSON downloads, the Atom feeds and the search.
Versions stay as they were recorded; what they serve is what the office lets the public see now,
with the note of what is withheld, since when and on what legal ground."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import connection
from django_tenants.utils import schema_context, tenant_context

from agreements.register.parties import PartyData
from agreements.tests.factories import (
    membership_of,
    new_agreement,
    signed_pdf,
    signing,
    step,
    to_ksb_signed,
)
from cooperation.models import PartyKind
from public_registry import publishing, withheld
from public_registry.models import PublishedAgreement, WithheldField
from tenants.models import Region, Role

pytestmark = pytest.mark.django_db

REASON = "UU 14/2008 Pasal 17 huruf b: rahasia negosiasi"

# Distinct values, each found nowhere else on any page, so their absence means something.
TERMS = {
    "title": "KSB Kelor Malang Raya",
    "object": "Zqobjek pengelolaan kelor",
    "scope": "Zqlingkup pemasaran bersama",
    "purpose": "Zqtujuan peningkatan ekspor",
    "legal_basis": "Zqdasar Perda tujuh",
    "funding_source": "Zqdana hibah provinsi",
}
PARTIES = [
    {
        "details": "Zqalamat Jalan Tugu satu",
        "document_number": "Zqnomor seratus delapan puluh",
        "signatory_name": "Zqnama Wahyu",
        "signatory_position": "Zqjabatan Wali Kota",
        "signatory_authority": "Zqwenang Pasal enam puluh lima",
    },
    {
        "details": "Zqalamat Kepanjen",
        "document_number": "Zqnomor seratus sembilan belas",
        "signatory_name": "Zqnama Sanusi",
        "signatory_position": "Zqjabatan Bupati",
        "signatory_authority": "Zqwenang Pasal enam puluh",
    },
]


def secrets_of(name: str) -> list[str]:
    """The values the field `name` withholds, on the record and on each party."""
    values = [TERMS[key] for key in withheld.FIELD_KEYS.get(name, ())]
    values += [party[key] for party in PARTIES for key in withheld.PARTY_KEYS.get(name, ())]
    return values


@pytest.fixture
def office(malang, member):
    return membership_of(member(malang, Role.ADMIN), malang)


def agreement_of(office, malang):
    parties = [
        PartyData(kind=PartyKind.REGION, region=malang.region, **PARTIES[0]),
        PartyData(kind=PartyKind.REGION, region=Region.objects.get(code="35.07"), **PARTIES[1]),
    ]
    return new_agreement(office, parties=parties, **TERMS)


def withhold(office, agreement, *, fields=(), documents=False):
    publishing.set_withholding(
        membership=office,
        cooperation=agreement.cooperation,
        fields=list(fields),
        documents=documents,
        reason=REASON,
    )


def sign_pks(office, agreement):
    step(office, agreement, "start_pks_drafting")
    step(
        office,
        agreement,
        "sign_pks",
        data=signing(signed_on=datetime.date(2026, 2, 20)),
        document=signed_pdf("pks.pdf"),
    )


def body(response) -> str:
    assert response.status_code == 200, response
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


def versions_served(client, record) -> dict[str, dict]:
    """Every version of `record` as each channel serves it (the served snapshots)."""
    served = {}
    for number in range(1, record.version + 1):
        page = json.loads(body(client.get(f"/kerja-sama/{record.pk}/versi/{number}/")))
        served[f"page v{number}"] = page["record"]
        api = json.loads(body(client.get(f"/api/v1/agreements/{record.pk}/versions/{number}/")))
        served[f"api v{number}"] = api["record"]
    served["api record"] = json.loads(body(client.get(f"/api/v1/agreements/{record.pk}/")))[
        "record"
    ]
    changes = json.loads(body(client.get("/kerja-sama/perubahan/?limit=1000")))
    served["change feed"] = next(i["record"] for i in changes["items"] if i["id"] == record.pk)
    return served


def every_channel(client, record) -> dict[str, str]:
    """The text of every public answer that mentions `record`."""
    texts = {
        name: json.dumps(snapshot, ensure_ascii=False)
        for name, snapshot in versions_served(client, record).items()
    }
    texts["detail page"] = body(client.get(f"/kerja-sama/{record.pk}/"))
    texts["csv"] = body(client.get("/kerja-sama/unduh/csv/"))
    texts["json"] = body(client.get("/kerja-sama/unduh/json/"))
    texts["atom"] = body(client.get("/kerja-sama/umpan/"))
    texts["atom region"] = body(client.get("/kerja-sama/umpan/daerah/35.73/"))
    texts["atom urusan"] = body(client.get("/kerja-sama/umpan/urusan/1.03/"))
    texts["list"] = body(client.get("/kerja-sama/"))
    texts["api list"] = body(client.get("/api/v1/agreements/"))
    return texts


def found_by_search(client, word: str) -> bool:
    page = client.get("/kerja-sama/", {"q": word})
    api = json.loads(body(client.get("/api/v1/agreements/", {"q": word})))
    assert bool(page.context["rows"]) == bool(api["results"])
    return bool(api["results"])


def test_the_table_places_every_withholdable_field():
    assert set(withheld.FIELD_KEYS) | set(withheld.PARTY_KEYS) == set(WithheldField.values)
    assert not set(withheld.FIELD_KEYS) & set(withheld.PARTY_KEYS)


@pytest.mark.parametrize("kind", [*WithheldField.values, "documents"])
def test_withholding_after_several_versions_reaches_every_version_on_every_channel(
    kind, malang, office, client_for, django_capture_on_commit_callbacks
):
    with tenant_context(malang), django_capture_on_commit_callbacks(execute=True):
        agreement = to_ksb_signed(office, agreement_of(office, malang))
        sign_pks(office, agreement)
        step(office, agreement, "start_implementation")
    connection.set_schema_to_public()
    record = PublishedAgreement.objects.get(cooperation_id=agreement.cooperation_id)
    assert record.version == 4  # KSB signed, PKS drafting, PKS signed, implementation
    documents = list(record.documents.order_by("pk"))
    assert [d.instrument for d in documents] == ["ksb", "pks"]
    client = client_for(None)
    # Before: everything is public (so the absence below is the withholding's doing).
    before = every_channel(client, record)
    for value in secrets_of(kind):
        assert value in before["detail page"] and value in before["page v1"], value
    for document in documents:
        assert client.get(f"/kerja-sama/{record.pk}/dokumen/{document.pk}/").status_code == 200
    if kind in ("object", "scope", "purpose"):
        assert found_by_search(client, secrets_of(kind)[0].split()[0])

    with tenant_context(malang), django_capture_on_commit_callbacks(execute=True):
        if kind == "documents":
            withhold(office, agreement, documents=True)
        else:
            withhold(office, agreement, fields=[kind])
    connection.set_schema_to_public()
    record.refresh_from_db()
    assert record.version == 5
    assert set(record.withheld_since) == {kind}

    # The snapshot published now withholds it; the earlier ones keep what they recorded.
    stored = {v.number: v.snapshot for v in record.versions.all()}
    assert set(stored) == {1, 2, 3, 4, 5}
    stored_text = json.dumps(stored[5], ensure_ascii=False)
    for value in secrets_of(kind):
        assert value not in stored_text, value
        assert value in json.dumps(stored[1], ensure_ascii=False), value
    if kind == "documents":
        assert stored[5]["withheld"]["documents"] is True
        assert [d["withheld"] for d in stored[5]["documents"]] == [True, True]
        assert not stored[1]["documents"][0]["withheld"]
    else:
        assert stored[5]["withheld"]["fields"] == [kind]

    # Every version, through every channel: withheld, with the note of what, since when, why.
    after = every_channel(client, record)
    for channel, text in after.items():
        for value in secrets_of(kind):
            assert value not in text, (channel, value)
    since = record.withheld_since[kind]
    for channel, snapshot in versions_served(client, record).items():
        note = snapshot["withheld"]
        assert note["reason"] == REASON, channel
        assert note["since"] == {kind: since}, channel
        if kind == "documents":
            assert note["documents"] is True, channel
            assert snapshot["documents"], channel
            assert all(d["withheld"] for d in snapshot["documents"]), channel
        else:
            assert kind in note["fields"], channel
            for key in withheld.FIELD_KEYS.get(kind, ()):
                assert snapshot[key] is None, (channel, key)
            for party in snapshot["parties"]:
                for key in withheld.PARTY_KEYS.get(kind, ()):
                    assert party[key] is None, (channel, key)
    page = after["detail page"]
    assert REASON in page and "since" in page
    assert "every published version" in page
    if kind in ("object", "scope", "purpose"):
        assert not found_by_search(client, secrets_of(kind)[0].split()[0])
    if kind == "documents":
        for document in documents:
            assert client.get(f"/kerja-sama/{record.pk}/dokumen/{document.pk}/").status_code == 404
        assert f"/kerja-sama/{record.pk}/dokumen/" not in page
        api = json.loads(body(client.get(f"/api/v1/agreements/{record.pk}/")))
        assert [d["url"] for d in api["documents"]] == [None, None]
        with schema_context("public"):
            assert not any(d.file for d in record.documents.all())


def test_documents_withheld_before_a_later_signing_stay_withheld(
    malang, office, client_for, django_capture_on_commit_callbacks
):
    """The KSB's documents are withheld, then the PKS is signed: its document is never
    published, and neither is the KSB's, in any version."""
    with tenant_context(malang), django_capture_on_commit_callbacks(execute=True):
        agreement = to_ksb_signed(office, agreement_of(office, malang))
        withhold(office, agreement, documents=True, fields=["funding_source"])
        sign_pks(office, agreement)
    connection.set_schema_to_public()
    record = PublishedAgreement.objects.get(cooperation_id=agreement.cooperation_id)
    assert record.version == 4  # KSB signed, withholding, PKS drafting, PKS signed
    documents = list(record.documents.order_by("pk"))
    assert [d.instrument for d in documents] == ["ksb", "pks"]
    assert not any(d.file for d in documents)
    latest = record.versions.get(number=4).snapshot
    assert [d["withheld"] for d in latest["documents"]] == [True, True]
    assert latest["funding_source"] is None and latest["withheld"]["documents"] is True
    client = client_for(None)
    for document in documents:
        assert client.get(f"/kerja-sama/{record.pk}/dokumen/{document.pk}/").status_code == 404
    for channel, snapshot in versions_served(client, record).items():
        assert [d["withheld"] for d in snapshot["documents"]] == [True] * len(
            snapshot["documents"]
        ), channel
        assert snapshot["funding_source"] is None, channel
        assert snapshot["withheld"]["documents"] is True, channel
    for channel, text in every_channel(client, record).items():
        assert TERMS["funding_source"] not in text, channel
    assert f"/kerja-sama/{record.pk}/dokumen/" not in body(client.get(f"/kerja-sama/{record.pk}/"))


def test_a_withholding_decided_before_the_signing_is_in_the_first_version(
    malang, office, client_for
):
    with tenant_context(malang):
        agreement = agreement_of(office, malang)
        withhold(office, agreement, fields=["signatories"])
        to_ksb_signed(office, agreement)
    connection.set_schema_to_public()
    record = PublishedAgreement.objects.get(cooperation_id=agreement.cooperation_id)
    assert record.version == 1
    assert record.withheld_since == {"signatories": record.published_at.isoformat()}
    for channel, text in every_channel(client_for(None), record).items():
        for value in secrets_of("signatories"):
            assert value not in text, (channel, value)
