"""The national side's rows of the permission matrix (reporting/urls_national.py and the
semester-report API), added to reporting/tests/permission_rows.py's ROWS.

No actor of the matrix is a Ministry official, a province's office or a region of the same
province: reporting/tests/test_national_permissions.py requests every national route as those
(the official with and without the second factor, East Java's office, Kalimantan Barat's office,
Kota Malang's office) besides these rows."""

from __future__ import annotations

from tests.permission_matrix import (
    ACTORS,
    LOGIN,
    Row,
    everyone,
    password_only,
    staff_only,
)


def ministry_only() -> dict:
    """The Ministry's officials only: anyone else signed in gets 403 (staff included: they
    manage the role and do not read the reports)."""
    return password_only({**{a: 403 for a in ACTORS}, "anonymous": LOGIN})


# fmt: off
ROWS: list[Row] = [
    # --- The Ministry's national view (a literal pk: the role is decided before any lookup).
    Row("nasional/laporan/", "platform", "/nasional/laporan/", ministry_only()),
    Row("nasional/laporan/<int:year>/<int:half>/unduh/<slug:fmt>/", "platform",
        "/nasional/laporan/2025/2/unduh/xlsx/", ministry_only()),
    Row("nasional/laporan/kiriman/<int:pk>/", "platform", "/nasional/laporan/kiriman/1/",
        ministry_only()),
    Row("nasional/laporan/kiriman/<int:pk>/berkas/<slug:kind>/", "platform",
        "/nasional/laporan/kiriman/1/berkas/pdf/", ministry_only()),
    # --- Platform staff give and take the Ministry's role.
    Row("platform/kemendagri/", "platform", "/platform/kemendagri/", staff_only()),
    Row("platform/kemendagri/", "platform", "/platform/kemendagri/", staff_only(),
        method="POST", note="an empty form: told what is missing"),
    Row("platform/kemendagri/<int:pk>/cabut/", "platform", "/platform/kemendagri/1/cabut/",
        staff_only(), method="POST", note="no such official: told so on the list"),
    # --- The public portal's open data (figures only).
    Row("laporan-kerja-sama/", "platform", "/laporan-kerja-sama/", everyone()),
    Row("laporan-kerja-sama/<int:year>/<int:half>/", "platform", "/laporan-kerja-sama/2025/2/",
        everyone()),
    Row("laporan-kerja-sama/<int:year>/<int:half>/unduh/<slug:fmt>/", "platform",
        "/laporan-kerja-sama/2025/2/unduh/json/", everyone()),
    # --- The API on a region's subdomain: tokens only (every session actor is anonymous to
    # it); the roles, other regions and provinces are tested with real tokens in
    # reporting/tests/test_api_reports.py.
    Row("api/v1/semester-reports/", "region", "/api/v1/semester-reports/", everyone(401),
        method="POST"),
    Row("api/v1/semester-reports/", "region", "/api/v1/semester-reports/", everyone(401)),
]
# fmt: on
