"""Bulk import of old agreements: all or nothing, a report per row with stable codes, the file's
type by its content, the size limit, the template, and who may import."""

from __future__ import annotations

import csv
import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tenants.utils import tenant_context
from openpyxl import load_workbook

from agreements.import_export import importing
from agreements.models import Agreement
from conftest import make_pdf
from cooperation.models import Cooperation, Party, Stage
from core.errors import Forbidden
from tenants.models import AuditEvent, Role
from tenants.region_lifecycle import suspend_tenant

from .factories import membership_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for(client_for):
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


def row(**changes) -> dict:
    values = {
        "kind": "ksdd_sukarela",
        "title": "KSB Malang Raya 2021",
        "urusan": "1.03; 2.15",
        "object": "Penanganan kemacetan",
        "term_start": "2021-01-01",
        "term_end": "31/12/2025",
        "own_document_number": "180/01/35.73.112/2021",
        "partner_kind": "region",
        "partner_region_code": "35.07",
        "partner_name": "",
        "partner_document_number": "119/02/35.07.013/2021",
        "responsible_opd": "Dinas Perhubungan",
        "burdens_public": "tidak",
        "funded_in_current_budget": "ya",
    }
    values.update(changes)
    return values


def csv_bytes(rows: list[dict], delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def upload(client, content: bytes, name: str = "arsip.csv", **extra):
    return client.post(url("import"), {"file": SimpleUploadedFile(name, content), **extra})


def report(response) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.code) for e in response.context["result"].errors]


def register_is_empty(tenant) -> bool:
    with tenant_context(tenant):
        return not Agreement.objects.exists()


def test_a_good_file_imports_every_row_through_the_register_action(client_for, malang, admin):
    rows = [
        row(),
        row(
            kind="ksdpk",
            title="PKS Universitas Brawijaya",
            urusan="1.01",
            own_document_number="180/02/35.73.112/2022",
            partner_kind="organisation",
            partner_region_code="",
            partner_name="Universitas Brawijaya",
            burdens_public="yes",
        ),
    ]
    client = client_for(malang, admin)
    response = upload(client, csv_bytes(rows, delimiter=";"), name="arsip.txt")
    assert response.status_code == 302
    assert response["Location"] == url("list")
    with tenant_context(malang):
        imported = list(Agreement.objects.select_related("cooperation").order_by("pk"))
    assert [
        (a.cooperation.title, a.cooperation.kind, a.cooperation.stage, a.cooperation.urusan)
        for a in imported
    ] == [
        ("KSB Malang Raya 2021", "ksdd_sukarela", Stage.PREPARATION, ["1.03", "2.15"]),
        ("PKS Universitas Brawijaya", "ksdpk", Stage.PREPARATION, ["1.01"]),
    ]
    first, second = imported
    assert str(first.cooperation.term_end) == "2025-12-31"
    assert (first.responsible_opd, first.burdens_public, second.burdens_public) == (
        "Dinas Perhubungan",
        False,
        True,
    )
    assert [
        (p.name, p.document_number) for p in first.cooperation.parties.order_by("position")
    ] == [("Kota Malang", "180/01/35.73.112/2021"), ("Kabupaten Malang", "119/02/35.07.013/2021")]
    # Each agreement's own history says it was added; the file is one event of its own.
    assert AuditEvent.objects.filter(action="agreement.created", tenant=malang).count() == 2
    event = AuditEvent.objects.get(action="agreement.imported")
    assert (event.actor, event.data["file"], event.data["rows"]) == (admin, "arsip.txt", 2)


def test_one_bad_row_and_nothing_is_imported_with_every_problem_reported(client_for, malang, admin):
    rows = [
        row(),
        row(
            kind="ksdx",
            title="",
            term_start="1 Januari 2021",
            own_document_number="B-2",
            partner_region_code="35.73.01",
            burdens_public="mungkin",
        ),
        row(own_document_number="180/01/35.73.112/2021", title="Dobel"),
        row(own_document_number="B-4", partner_kind="ministry", partner_region_code=""),
    ]
    client = client_for(malang, admin)
    response = upload(client, csv_bytes(rows))
    assert response.status_code == 400
    assert report(response) == [
        (3, "title", "import_required"),
        (3, "kind", "import_invalid_choice"),
        (3, "term_start", "import_invalid_date"),
        (3, "burdens_public", "import_invalid_boolean"),
        (3, "partner_region_code", "import_unknown_region"),
        (4, "own_document_number", "import_duplicate_in_file"),
        (5, "partner_name", "import_required"),
    ]
    content = response.content.decode()
    assert "Nothing was imported: the file has 7 problems." in content
    assert "“1 Januari 2021” is not a date; write YYYY-MM-DD or DD/MM/YYYY." in content
    assert register_is_empty(malang)
    assert not Cooperation.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="agreement.").exists()


def test_a_row_the_register_refuses_rolls_back_the_rows_before_it(client_for, malang, admin):
    """Rows 2 and 3 pass the action; row 4 is refused by the register's own rules (the term
    ends before it starts, a KSDPK with no third party): the rows already written are undone."""
    rows = [
        row(),
        row(own_document_number="B-3", title="KSB kedua"),
        row(own_document_number="B-4", term_start="2026-01-01", term_end="2025-01-01"),
        row(own_document_number="B-5", kind="ksdpk", urusan="9.99"),
    ]
    client = client_for(malang, admin)
    response = upload(client, csv_bytes(rows))
    assert response.status_code == 400
    assert report(response) == [
        (4, "term_end", "term_end_before_start"),
        (5, "urusan", "unknown_urusan"),
    ]
    assert register_is_empty(malang)
    assert not Cooperation.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="agreement.").exists()


def test_check_only_runs_every_check_and_keeps_nothing(client_for, malang, admin):
    client = client_for(malang, admin)
    response = upload(client, csv_bytes([row(), row(own_document_number="B-3")]), check_only="on")
    assert response.status_code == 200
    assert response.context["result"].ok
    assert (
        "its 2 agreements can be imported. Nothing was imported yet." in response.content.decode()
    )
    assert register_is_empty(malang)
    assert not AuditEvent.objects.filter(action__startswith="agreement.").exists()


def test_an_agreement_already_in_the_register_is_not_imported_twice(client_for, malang, admin):
    client = client_for(malang, admin)
    assert upload(client, csv_bytes([row()])).status_code == 302
    again = upload(client, csv_bytes([row(title="Lagi")]))
    assert report(again) == [(2, "own_document_number", "import_already_in_register")]
    with tenant_context(malang):
        assert Agreement.objects.count() == 1


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (make_pdf(), "arsip.csv", "import_file_type"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "arsip.xlsx", "import_old_excel"),
        (b"PK\x03\x04 not really a zip", "arsip.xlsx", "import_file_type"),
        (b"\xef\xbb\xbf\r\n;;\r\n", "arsip.csv", "import_empty"),
        (b"kind,title\x01\n", "arsip.csv", "import_file_type"),
        (b"title,kind\nKSB,ksdpk\n", "arsip.csv", "import_missing_columns"),
        (csv_bytes([{**row(), "judul": "x"}]), "arsip.csv", "import_unknown_columns"),
        (csv_bytes([row()])[: csv_bytes([row()]).index(b"\n") + 1], "a.csv", "import_empty"),
    ],
)
def test_a_file_that_is_not_an_agreements_table_is_refused_whole(
    client_for, malang, admin, content, name, code
):
    response = upload(client_for(malang, admin), content, name=name)
    assert response.status_code == 400
    assert report(response) == [(0, "", code)]
    assert register_is_empty(malang)


def test_too_many_rows_are_refused(client_for, malang, admin, monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 2)
    rows = [row(own_document_number=f"B-{n}") for n in range(3)]
    response = upload(client_for(malang, admin), csv_bytes(rows))
    assert report(response) == [(0, "", "import_too_many_rows")]
    assert register_is_empty(malang)


def test_windows_excel_csv_and_a_csv_named_xlsx_are_read_by_their_content(
    client_for, malang, admin
):
    rows = [
        row(
            partner_kind="organisation",
            kind="ksdpk",
            partner_region_code="",
            partner_name="Koperasi Tempe Sanan Makmur Jaya",
        )
    ]
    content = csv_bytes(rows, delimiter=";", encoding="cp1252").replace(b"Jaya", b"Jaya \xe9")
    assert upload(client_for(malang, admin), content, name="arsip.xlsx").status_code == 302
    with tenant_context(malang):
        coop = Agreement.objects.get().cooperation
    assert coop.parties.order_by("position").last().name == "Koperasi Tempe Sanan Makmur Jaya é"


def test_the_xlsx_template_filled_in_imports(client_for, malang, admin):
    client = client_for(malang, admin)
    response = client.get(url("import_template", "xlsx"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="templat-impor-kerja-sama.xlsx"'
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["agreements", "columns", "codes"]
    sheet = workbook["agreements"]
    assert [c.value for c in sheet[1]] == list(importing.KEYS)
    sheet.append(
        [
            {
                "title": "PKS Pariwisata Batu",
                "urusan": "3.26",
                "partner_region_code": "35.79",
                "own_document_number": "B-3",
                "term_start": "2022-03-01",
                "term_end": "2024-02-29",
                "kind": "ksdd_wajib",
                "partner_kind": "region",
                "object": "Wisata",
            }.get(k, "")
            for k in importing.KEYS
        ]
    )
    filled = io.BytesIO()
    workbook.save(filled)
    imported = upload(client, filled.getvalue(), name="isian.bin")
    assert imported.status_code == 302
    with tenant_context(malang):
        titles = sorted(Agreement.objects.values_list("cooperation__title", flat=True))
    assert titles == ["KSB Malang Raya", "PKS Pariwisata Batu"]


def test_the_csv_template_is_the_columns_and_an_example_that_imports(client_for, malang, admin):
    client = client_for(malang, admin)
    response = client.get(url("import_template", "csv"))
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == ",".join(importing.KEYS)
    assert upload(client, response.content).status_code == 302
    assert client.get(url("import_template", "zip")).status_code == 404


def test_an_oversized_upload_is_refused_before_it_is_read(client_for, malang, admin, settings):
    settings.JEJARING_DOCUMENT_MAX_BYTES = 1000
    big = csv_bytes([row(object="x" * 70_000)])
    response = upload(client_for(malang, admin), big)
    assert response.status_code == 413
    assert register_is_empty(malang)
    # Within the request's allowance but over the file's own limit: the form says so.
    response = upload(client_for(malang, admin), csv_bytes([row(object="x" * 2000)]))
    assert response.status_code == 400
    assert [e.code for e in response.context["form"].errors.as_data()["file"]] == [
        "import_file_too_large"
    ]
    assert register_is_empty(malang)


def test_only_the_office_imports(client_for, malang, batu, member, staff_user):
    content = csv_bytes([row()])
    for role in (Role.TKKSD, Role.OPD, Role.VIEWER):
        user = member(malang, role, opd="Dinas Perhubungan")
        assert upload(client_for(malang, user), content).status_code == 403
        assert client_for(malang, user).get(url("import_template", "csv")).status_code == 403
    assert upload(client_for(malang, member(batu, Role.ADMIN)), content).status_code == 404
    assert upload(client_for(malang, staff_user), content).status_code == 404
    assert upload(client_for(malang), content).status_code == 302
    assert register_is_empty(malang)
    # The action refuses on its own, whatever calls it.
    opd = membership_of(member(malang, Role.OPD, opd="Bappeda"), malang)
    with tenant_context(malang), pytest.raises(Forbidden):
        importing.import_agreements(membership=opd, content=content, filename="a.csv")
    assert register_is_empty(malang)


def test_a_suspended_region_imports_nothing(client_for, malang, admin, staff_user):
    suspend_tenant(tenant=malang, acting_user=staff_user, reason="Pemeriksaan")
    response = upload(client_for(malang, admin), csv_bytes([row()]))
    assert response.status_code == 403
    assert register_is_empty(malang)
    assert not Party.objects.exists()


# --- Relations between rows: a PKS under its KSB, an addendum to, a renewal of -------------------

KSB_2021 = "180/01/35.73.112/2021"


def pks(number: str, **changes) -> dict:
    return row(
        kind="ksdd_sukarela",
        title=f"PKS {number}",
        own_document_number=number,
        **changes,
    )


def linked_csv(rows: list[dict]) -> bytes:
    """The rows with every relation column (blank where a row has none)."""
    blank = dict.fromkeys(
        ("parent_document_number", "amends_document_number", "renews_document_number"), ""
    )
    return csv_bytes([{**r, **{k: r.get(k, v) for k, v in blank.items()}} for r in rows])


def relations_of(tenant) -> dict[str, tuple]:
    with tenant_context(tenant):
        return {
            a.cooperation.title: (
                a.cooperation.parent.title if a.cooperation.parent_id else None,
                a.cooperation.amends.title if a.cooperation.amends_id else None,
                a.cooperation.renews.title if a.cooperation.renews_id else None,
            )
            for a in Agreement.objects.select_related(
                "cooperation__parent", "cooperation__amends", "cooperation__renews"
            )
        }


def test_relations_to_rows_of_the_file_and_to_the_register_are_imported(client_for, malang, admin):
    client = client_for(malang, admin)
    # Already in the register: an older KSB, which one of the rows renews.
    assert upload(client, linked_csv([row(title="KSB 2016", own_document_number="KSB/2016")]))
    rows = [
        # A PKS that comes BEFORE its KSB in the file: written after it.
        pks("PKS/01", parent_document_number=KSB_2021),
        row(renews_document_number="KSB/2016"),
        pks("ADD/01", amends_document_number="PKS/01", parent_document_number=KSB_2021),
        pks("PKS/02", parent_document_number="KSB/2016"),
    ]
    response = upload(client, linked_csv(rows))
    assert response.status_code == 302, report(response)
    assert relations_of(malang) == {
        "KSB 2016": (None, None, None),
        "KSB Malang Raya 2021": (None, None, "KSB 2016"),
        "PKS PKS/01": ("KSB Malang Raya 2021", None, None),
        "PKS ADD/01": ("KSB Malang Raya 2021", "PKS PKS/01", None),
        "PKS PKS/02": ("KSB 2016", None, None),
    }
    assert (
        AuditEvent.objects.filter(action="agreement.imported").latest("id").data["relations"] == 5
    )


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            [row(), pks("PKS/01", parent_document_number="TIDAK/ADA")],
            [(3, "parent_document_number", "import_unknown_reference")],
        ),
        (
            [row(amends_document_number=KSB_2021)],
            [(2, "amends_document_number", "import_self_reference")],
        ),
        (
            [
                row(),
                pks("PKS/01", parent_document_number=KSB_2021),
                pks("PKS/02", parent_document_number="PKS/01"),
            ],
            [(4, "parent_document_number", "import_parent_not_ksb")],
        ),
        (
            [
                pks("A/1", amends_document_number="B/1"),
                pks("B/1", renews_document_number="A/1"),
                pks("C/1", amends_document_number="A/1"),
            ],
            [
                (2, "amends_document_number", "import_reference_cycle"),
                (3, "renews_document_number", "import_reference_cycle"),
            ],
        ),
    ],
    ids=["unknown", "itself", "pks-under-a-pks", "circle"],
)
def test_a_bad_reference_is_reported_on_its_row_and_nothing_is_imported(
    client_for, malang, admin, rows, expected
):
    response = upload(client_for(malang, admin), linked_csv(rows))
    assert response.status_code == 400
    assert report(response) == expected
    assert register_is_empty(malang)


def test_references_to_the_register_that_are_a_pks_or_twice_there_are_refused(
    client_for, malang, admin, office
):
    client = client_for(malang, admin)
    assert upload(client, linked_csv([row(), pks("PKS/01", parent_document_number=KSB_2021)]))
    with tenant_context(malang):  # the same number twice (entered by hand, say)
        from .factories import new_agreement, parties_with_signatories

        parties = parties_with_signatories(malang)
        parties[0].document_number = "DUA/KALI"
        new_agreement(office, title="Satu", parties=parties)
        new_agreement(office, title="Dua", parties=parties)
        before = Agreement.objects.count()
    response = upload(
        client,
        linked_csv(
            [
                pks("PKS/02", parent_document_number="PKS/01"),
                pks("PKS/03", amends_document_number="DUA/KALI"),
            ]
        ),
    )
    assert report(response) == [
        (2, "parent_document_number", "import_parent_not_ksb"),
        (3, "amends_document_number", "import_ambiguous_reference"),
    ]
    with tenant_context(malang):
        assert Agreement.objects.count() == before


def test_the_templates_name_the_relation_columns(client_for, malang, admin):
    client = client_for(malang, admin)
    header = client.get(url("import_template", "csv")).content.decode("utf-8-sig").splitlines()[0]
    assert header.endswith("parent_document_number,amends_document_number,renews_document_number")
    page = client.get(url("import"))
    assert "renews_document_number" in page.content.decode()
