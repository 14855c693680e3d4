"""The public portal's rows of the permission matrix: Wagtail's pages, admin and documents, and
who edits a region's section.

Collected into the permission matrix by tests/permission_matrix.py (all_rows): each app's
`tests/permission_rows.py` exposes ROWS. Fixtures the paths name in braces are built in
tests/test_permission_matrix.py (world)."""

from __future__ import annotations

from tests.permission_matrix import ACTORS, LOGIN, MANAGERS, MFA, Row, everyone, workspace

# fmt: off
ROWS: list[Row] = [
    # --- Wagtail: the portal's pages, its admin and its documents -----------------------------
    Row("cms/login/", "platform", "/cms/login/", everyone(LOGIN), note="to allauth's login"),
    Row("^cms/password_reset/", "platform", "/cms/password_reset/", everyone(),
        note="to allauth's password reset"),
    Row("_util/login/", "platform", "/_util/login/", everyone(LOGIN), note="to allauth's login"),
    Row("cms/*", "platform", "/cms/", {
        **{a: 403 for a in ACTORS}, "anonymous": LOGIN,
        "admin_password_only": MFA, "staff_password_only": MFA,
    }, note="editors only; staff are not editors unless given the permission"),
    Row("_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        "platform", "/_util/authenticate_with_password/999/999/", everyone(404)),
    Row("dokumen-publik/*", "platform", "/dokumen-publik/999/x.pdf", everyone(404)),
    Row("^((?:[\\w\\-]+/)*)$", "platform", "/", everyone(), note="the public portal's pages"),
    Row("cari/", "platform", "/cari/?q=kerja+sama", everyone(), note="Wagtail's page search"),
    # Who edits the region's section of the public portal (cms/urls_region.py).
    Row("portal/penyunting/", "region", "/portal/penyunting/", workspace(*MANAGERS)),
    Row("portal/penyunting/<int:pk>/", "region", "/portal/penyunting/{member}/",
        workspace(*MANAGERS), method="POST", data={"action": "grant"},
        note="a viewer may not be an editor: told so, back to the list"),
]
# fmt: on
