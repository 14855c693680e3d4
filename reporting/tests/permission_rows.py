"""Reporting's rows of the permission matrix (region side and province side).

Collected by tests/permission_matrix.py (all_rows). {report_submission} is Kota Malang's
submitted semester report (built by `samples`, called from the matrix's world). Kota Malang is
a kota, not a province: the province's pages on its subdomain are refused to every member (its
office finds them missing, 404; other roles are refused by role, 403); the province's own case,
another province, a region of the same province, the wrong role and a session without the second
factor are tested on a province's subdomain in reporting/tests/test_views.py.
"""

from __future__ import annotations

import datetime
import hashlib

from tests.permission_matrix import MANAGERS, Row, workspace

READERS = ("admin", "tkksd")


def samples(actors) -> dict:
    """Kota Malang's report of January-June 2026 as submitted, with its PDF."""
    from django.utils import timezone

    from reporting.figures import empty
    from reporting.models import FileKind, Level, Submission, SubmissionFile
    from tenants.models import Tenant

    malang = Tenant.objects.get(region_id="35.73")
    submission = Submission.objects.create(
        region_id="35.73",
        province_id="35",
        tenant=malang,
        level=Level.REGION,
        year=2026,
        half=1,
        number="050/1/35.73.112/2026",
        letter_place="Malang",
        letter_date=datetime.date(2026, 7, 8),
        signatory_name="Sekretaris Daerah",
        signatory_position="Sekretaris Daerah",
        submitted_by=actors["admin"],
        submitted_at=timezone.now(),
        deadline=datetime.date(2026, 7, 15),
        figures=empty(),
    )
    content = b"%PDF-1.4 matrix sample"
    SubmissionFile.objects.create(
        submission=submission,
        kind=FileKind.PDF,
        name="laporan.pdf",
        content_type="application/pdf",
        content=content,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    return {"report_submission": submission.pk}


def not_a_province(*holders: str) -> dict:
    """A province's page on Kota Malang's subdomain: the roles that hold its permission find
    nothing there (404), other roles are refused by role (403)."""
    expect = workspace(*holders)
    expect.update({role: 404 for role in holders})
    return expect


# fmt: off
ROWS: list[Row] = [
    # --- The region's own reports (reporting/urls.py, on Kota Malang's subdomain) ----------
    Row("laporan/", "region", "/laporan/", workspace(*READERS)),
    Row("laporan/<int:pk>/", "region", "/laporan/{report_submission}/", workspace(*READERS)),
    Row("laporan/<int:pk>/unduh/<slug:kind>/", "region",
        "/laporan/{report_submission}/unduh/pdf/", workspace(*READERS)),
    Row("laporan/kirim/<int:year>/<int:half>/", "region", "/laporan/kirim/2026/1/",
        workspace(*MANAGERS), method="POST", note="an empty letter: told what is missing"),
    Row("laporan/<int:pk>/koreksi/", "region", "/laporan/{report_submission}/koreksi/",
        workspace(*MANAGERS), method="POST", note="no reason: told what is missing"),
    # --- A province's review (on a province's subdomain only) ---------------------------------
    Row("laporan/provinsi/", "region", "/laporan/provinsi/", not_a_province(*READERS)),
    Row("laporan/provinsi/<int:pk>/", "region", "/laporan/provinsi/{report_submission}/",
        not_a_province(*READERS)),
    Row("laporan/provinsi/<int:pk>/unduh/<slug:kind>/", "region",
        "/laporan/provinsi/{report_submission}/unduh/pdf/", not_a_province(*READERS)),
    Row("laporan/provinsi/<int:pk>/terima/", "region",
        "/laporan/provinsi/{report_submission}/terima/", not_a_province(*MANAGERS), method="POST"),
    Row("laporan/provinsi/<int:pk>/kembalikan/", "region",
        "/laporan/provinsi/{report_submission}/kembalikan/", not_a_province(*MANAGERS),
        method="POST"),
    Row("laporan/provinsi/kertas/<str:code>/<int:year>/<int:half>/", "region",
        "/laporan/provinsi/kertas/35.15/2026/1/", not_a_province(*MANAGERS)),
    Row("laporan/provinsi/kertas/<str:code>/<int:year>/<int:half>/", "region",
        "/laporan/provinsi/kertas/35.15/2026/1/", not_a_province(*MANAGERS), method="POST"),
    Row("laporan/provinsi/rekap/<int:year>/<int:half>/", "region",
        "/laporan/provinsi/rekap/2026/1/", not_a_province(*MANAGERS), method="POST"),
]
# fmt: on

# The national side's rows (the Ministry's view, its staff page, the semester-report API):
# kept in their own module, collected with these.
from .permission_rows_national import ROWS as NATIONAL_ROWS  # noqa: E402

ROWS += NATIONAL_ROWS
