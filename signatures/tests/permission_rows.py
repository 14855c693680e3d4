"""The signatures' rows of the permission matrix: the office's acceptance of a flagged signed
document, on the agreement's page of the region's subdomain (agreements/urls.py).

Collected by tests/permission_matrix.py (all_rows); {agreement} and {signed_document} are built
in tests/test_permission_matrix.py (world)."""

from __future__ import annotations

from tests.permission_matrix import MANAGERS, Row, workspace

# fmt: off
ROWS: list[Row] = [
    Row("kerja-sama/<int:pk>/tertandatangan/<int:document_pk>/tanda-tangan/terima/", "region",
        "/kerja-sama/{agreement}/tertandatangan/{signed_document}/tanda-tangan/terima/",
        workspace(*MANAGERS), method="POST",
        note="the office decides about a flagged signature (refused with a message here: the "
        "sample document's signature is still being checked)"),
]
# fmt: on
