"""The register's export: exactly what the list shows, as CSV and XLSX, in a constant number of
queries; no formula survives; who may download it; the download is in the history."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tenants.utils import tenant_context
from openpyxl import load_workbook

from agreements.models import Agreement
from cooperation.models import Kind
from cooperation.policy import AgreementPerm
from tenants.models import AuditEvent, Role
from tenants.policy import has_perm
from tenants.region_lifecycle import suspend_tenant

from .factories import membership_of, new_agreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for(client_for):
    """The test clients read the pages in English (the platform's default is Indonesian)."""

    def make(tenant, user=None):
        client = client_for(tenant, user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make


@pytest.fixture
def admin(malang, member):
    return member(malang, Role.ADMIN)


@pytest.fixture
def office(malang, admin):
    return membership_of(admin, malang)


def url(name, *args):
    return reverse(f"agreements:{name}", args=args, urlconf="portal.urls_tenant")


def csv_rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def xlsx_rows(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def list_titles(client, query) -> list[str]:
    return [a.cooperation.title for a in client.get(url("list"), query).context["page"]]


@pytest.fixture
def register(malang, office):
    with tenant_context(malang):
        new_agreement(
            office,
            title="KSB Malang Raya",
            urusan=["1.03"],
            term_end=datetime.date(2030, 12, 31),
            private={"internal_notes": "RAHASIA-CATATAN-INTERNAL"},
        )
        new_agreement(
            office,
            title="PKS Pariwisata Batu",
            urusan=["3.26"],
            term_end=datetime.date(2027, 6, 30),
        )
        new_agreement(
            office, title="Kerja sama lama", urusan=["2.15"], term_start=None, term_end=None
        )


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"urusan": "3.26"},
        {"q": "malang raya"},
        {"sort": "term_end"},
        {"sort": "title", "partner": "Kabupaten Malang"},
        {"year": "2029"},
        {"kind": Kind.KSDPK},
        {"year": "not a year"},  # refused by the list's form: ignored, as the list ignores it
    ],
)
def test_the_export_holds_exactly_the_rows_the_list_shows(
    client_for, malang, admin, register, query
):
    client = client_for(malang, admin)
    shown = list_titles(client, query)
    as_csv = client.get(url("export", "csv"), query)
    as_xlsx = client.get(url("export", "xlsx"), query)
    assert as_csv.status_code == as_xlsx.status_code == 200
    assert as_csv["Content-Type"] == "text/csv; charset=utf-8"
    assert as_xlsx["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert as_csv["Content-Disposition"].startswith('attachment; filename="kerja-sama-kota-malang-')
    for rows in (csv_rows(as_csv), xlsx_rows(as_xlsx)):
        assert rows[0][:4] == ["No.", "Title", "Kind", "Parties"]
        assert [r[1] for r in rows[1:]] == shown
        assert [r[0] for r in rows[1:]] in (
            list(range(1, len(shown) + 1)),
            [str(n) for n in range(1, len(shown) + 1)],
        )


def test_an_exported_row_carries_the_shared_columns_and_nothing_internal(
    client_for, malang, admin, register
):
    client = client_for(malang, admin)
    rows = csv_rows(client.get(url("export", "csv"), {"q": "malang raya"}))
    assert rows[1] == [
        "1",
        "KSB Malang Raya",
        "KSDD, voluntary (with another region)",
        "Kota Malang; Kabupaten Malang",
        "Kota Malang: 180/01/35.73.112/2026; Kabupaten Malang: 119/02/35.07.013/2026",
        "1.03 Pekerjaan Umum dan Penataan Ruang",
        "Penanganan kemacetan lalu lintas",
        "Preparation",
        "2026-01-01",
        "2030-12-31",
        "",
        "",
    ]
    sheet = xlsx_rows(client.get(url("export", "xlsx"), {"q": "malang raya"}))
    assert sheet[1][8] == datetime.datetime(2026, 1, 1)  # a real date cell
    everything = client.get(url("export", "csv")).content.decode("utf-8-sig")
    assert "RAHASIA-CATATAN-INTERNAL" not in everything


def test_the_export_keeps_its_query_count_as_the_register_grows(
    client_for, malang, admin, office, register
):
    client = client_for(malang, admin)

    def count(fmt) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("export", fmt)).status_code == 200
        return len(queries)

    few = {fmt: count(fmt) for fmt in ("csv", "xlsx")}
    with tenant_context(malang):
        for n in range(8):
            new_agreement(office, title=f"PKS {n}")
    assert {fmt: count(fmt) for fmt in ("csv", "xlsx")} == few


def test_a_text_that_looks_like_a_formula_stays_text(client_for, malang, admin, office):
    formula = '=HYPERLINK("http://jahat.test","klik")'
    with tenant_context(malang):
        new_agreement(office, title=formula, object="+62 341 123")
    client = client_for(malang, admin)
    row = csv_rows(client.get(url("export", "csv")))[1]
    assert row[1] == "'" + formula
    assert row[6] == "'+62 341 123"
    response = client.get(url("export", "xlsx"))
    cell = load_workbook(io.BytesIO(response.content)).worksheets[0]["B2"]
    assert (cell.value, cell.data_type) == (formula, "s")


def test_the_download_is_recorded_in_the_history(client_for, malang, member, register):
    viewer = member(malang, Role.VIEWER)
    with tenant_context(malang):  # a viewer exports the dossiers they were given
        Agreement.objects.update(dossier_members=[membership_of(viewer, malang).pk])
    client = client_for(malang, viewer)
    assert client.get(url("export", "xlsx"), {"urusan": "3.26", "q": ""}).status_code == 200
    event = AuditEvent.objects.get(action="agreement.register_exported")
    assert (event.actor, event.tenant, event.data) == (
        viewer,
        malang,
        {"format": "xlsx", "rows": 1, "filters": {"urusan": "3.26", "sort": "-updated"}},
    )


def test_who_may_download_the_register(client_for, malang, batu, member, staff_user, register):
    path = url("export", "csv")
    for role in (Role.ADMIN, Role.TKKSD, Role.OPD, Role.VIEWER):
        assert client_for(malang, member(malang, role, opd="Bappeda")).get(path).status_code == 200
    # Camat and lurah download the agreements of their area (test_scope.py: which rows).
    for role, area in ((Role.CAMAT, "35.73.01"), (Role.LURAH, "35.73.01.1007")):
        assert client_for(malang, member(malang, role, area=area)).get(path).status_code == 200
    assert client_for(malang, member(batu, Role.ADMIN)).get(path).status_code == 404
    assert client_for(malang, staff_user).get(path).status_code == 404
    assert client_for(malang).get(path).status_code == 302  # to sign in
    admin = member(malang, Role.ADMIN)
    assert client_for(malang, admin).get(url("export", "pdf")).status_code == 404
    assert client_for(malang, admin).post(path).status_code == 405
    assert AuditEvent.objects.filter(action="agreement.register_exported").count() == 6


def test_the_policy_for_the_registers_outputs(malang, member, staff_user):
    expected = {
        Role.ADMIN: {
            AgreementPerm.EXPORT_AGREEMENTS,
            AgreementPerm.IMPORT_AGREEMENTS,
            AgreementPerm.REPORT_AGREEMENTS,
        },
        Role.TKKSD: {AgreementPerm.EXPORT_AGREEMENTS, AgreementPerm.REPORT_AGREEMENTS},
        Role.OPD: {AgreementPerm.EXPORT_AGREEMENTS},
        Role.VIEWER: {AgreementPerm.EXPORT_AGREEMENTS},
        Role.CAMAT: {AgreementPerm.EXPORT_AGREEMENTS},
        Role.LURAH: {AgreementPerm.EXPORT_AGREEMENTS},
    }
    outputs = (
        AgreementPerm.EXPORT_AGREEMENTS,
        AgreementPerm.IMPORT_AGREEMENTS,
        AgreementPerm.REPORT_AGREEMENTS,
    )
    users = {
        role: member(malang, role, area={"camat": "35.73.01", "lurah": "35.73.01.1007"}.get(role))
        for role in expected
    }
    for role, perms in expected.items():
        assert {p for p in outputs if has_perm(users[role], malang, p)} == perms, role
    # A suspended region is read-only: no import, while downloads go on.
    suspend_tenant(tenant=malang, acting_user=staff_user, reason="Pemeriksaan")
    malang.refresh_from_db()
    assert has_perm(users[Role.ADMIN], malang, AgreementPerm.IMPORT_AGREEMENTS) is False
    assert has_perm(users[Role.ADMIN], malang, AgreementPerm.EXPORT_AGREEMENTS) is True
    assert has_perm(users[Role.ADMIN], malang, AgreementPerm.REPORT_AGREEMENTS) is True
