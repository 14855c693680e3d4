"""Search's rows of the permission matrix: the synonyms pages.

Collected into the permission matrix by tests/permission_matrix.py (all_rows): each app's
`tests/permission_rows.py` exposes ROWS. Fixtures the paths name in braces are built in
tests/test_permission_matrix.py (world)."""

from __future__ import annotations

from tests.permission_matrix import MANAGERS, Row, staff_only, workspace

# fmt: off
ROWS: list[Row] = [
    # Search's synonyms (search/views.py): the office adds, and removes its region's groups;
    # {synonym} is one Kota Malang's office added.
    Row("pasar/sinonim/", "region", "/pasar/sinonim/", workspace(*MANAGERS)),
    Row("pasar/sinonim/<int:pk>/hapus/", "region", "/pasar/sinonim/{synonym}/hapus/",
        workspace(*MANAGERS), method="POST"),
    Row("pasar/sinonim/", "platform", "/pasar/sinonim/", staff_only()),
    Row("pasar/sinonim/<int:pk>/hapus/", "platform", "/pasar/sinonim/{synonym}/hapus/",
        staff_only(), method="POST"),
]
# fmt: on
