"""Cooperation's rows of the permission matrix: the proposer's pages on the platform
(cooperation/urls.py, under /usulan-kerja-sama/).

Collected into the permission matrix by tests/permission_matrix.py (all_rows). Fixtures the
paths name in braces are built in tests/test_permission_matrix.py (world)."""

from __future__ import annotations

from tests.permission_matrix import ACTORS, LOGIN, OK, Row, _password_only, signed_in

# fmt: off
ROWS: list[Row] = [
    Row("usulan-kerja-sama/", "platform", "/usulan-kerja-sama/", signed_in(),
        note="the proposer's own proposals"),
    Row("usulan-kerja-sama/ke/<slug:region>/", "platform", "/usulan-kerja-sama/ke/kota-malang/",
        signed_in(), note="anyone with an account proposes"),
    Row("usulan-kerja-sama/<int:pk>/", "platform", "/usulan-kerja-sama/{proposal}/",
        _password_only({**{a: 404 for a in ACTORS}, "anonymous": LOGIN, "third_party": OK}),
        note="only the proposer (the third party)"),
    Row("usulan-kerja-sama/<int:pk>/lampiran/<int:attachment_pk>/", "platform",
        "/usulan-kerja-sama/{proposal}/lampiran/{proposal_attachment}/",
        _password_only({**{a: 404 for a in ACTORS}, "anonymous": LOGIN, "third_party": OK})),
]
# fmt: on
