"""The workspace's rows of the permission matrix: the dashboard, the documents, the activity
history and the letterhead.

Collected into the permission matrix by tests/permission_matrix.py (all_rows): each app's
`tests/permission_rows.py` exposes ROWS. Fixtures the paths name in braces are built in
tests/test_permission_matrix.py (world)."""

from __future__ import annotations

from tests.permission_matrix import ALL_WORKSPACE_ROLES, MANAGERS, Row, workspace

# fmt: off
ROWS: list[Row] = [
    Row("", "region", "/", workspace(*ALL_WORKSPACE_ROLES)),
    Row("dokumen/", "region", "/dokumen/", workspace(*ALL_WORKSPACE_ROLES)),
    Row("dokumen/<int:pk>/unduh/", "region", "/dokumen/{document}/unduh/",
        workspace("admin", "tkksd", "opd", "camat", "lurah", "viewer"),
        note="a region-wide, unrestricted document"),
    Row("riwayat/", "region", "/riwayat/", workspace(*MANAGERS)),
    Row("pengaturan/kop-surat/", "region", "/pengaturan/kop-surat/", workspace(*MANAGERS),
        note="the letterhead's emblem"),
    Row("pengaturan/kop-surat/", "region", "/pengaturan/kop-surat/", workspace(*MANAGERS),
        method="POST", note="an empty upload: told what is missing"),
]
# fmt: on
