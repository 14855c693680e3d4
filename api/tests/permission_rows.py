"""The open API's rows of the permission matrix, and a member's API tokens pages.

Collected into the permission matrix by tests/permission_matrix.py (all_rows): each app's
`tests/permission_rows.py` exposes ROWS. Fixtures the paths name in braces are built in
tests/test_permission_matrix.py (world)."""

from __future__ import annotations

from tests.permission_matrix import ALL_WORKSPACE_ROLES, ROLES, Row, everyone, workspace

# fmt: off
ROWS: list[Row] = [
    # --- The open API (api/): tokens only, so every session actor is anonymous to it; a read
    # answers everyone, a call that needs a token answers 401. The roles and other regions are
    # tested with real tokens in api/tests/ (every endpoint, other-tenant and wrong-role).
    Row("api/v1/regions/", "platform", "/api/v1/regions/", everyone()),
    Row("api/v1/regions/<str:code>/", "platform", "/api/v1/regions/35.73/", everyone()),
    Row("api/v1/listings/", "platform", "/api/v1/listings/?q=tempe&kind=product", everyone()),
    Row("api/v1/listings/", "platform", "/api/v1/listings/", everyone(401), method="POST"),
    Row("api/v1/listings/<int:pk>/", "platform", "/api/v1/listings/{listing}/", everyone()),
    Row("api/v1/listings/own/", "platform", "/api/v1/listings/own/", everyone(401)),
    Row("api/v1/listings/<int:pk>/submit/", "platform", "/api/v1/listings/{listing}/submit/",
        everyone(401), method="POST"),
    Row("api/v1/partners/", "platform", "/api/v1/partners/", everyone(401)),
    Row("api/v1/proposals/", "platform", "/api/v1/proposals/", everyone(401), method="POST"),
    Row("api/v1/agreements/", "platform", "/api/v1/agreements/?status=in_force", everyone()),
    Row("api/v1/agreements/<int:pk>/", "platform", "/api/v1/agreements/{published}/", everyone()),
    Row("api/v1/agreements/<int:pk>/versions/<int:number>/", "platform",
        "/api/v1/agreements/{published}/versions/1/", everyone()),
    Row("api/v1/schema/", "platform", "/api/v1/schema/", everyone()),
    Row("api/v1/docs/", "platform", "/api/v1/docs/", everyone()),
    Row("api/v1/agreements/<int:pk>/monitoring-reports/", "region",
        "/api/v1/agreements/{agreement}/monitoring-reports/", everyone(401), method="POST"),
    Row("api/v1/agreements/<int:pk>/monitoring-reports/", "region",
        "/api/v1/agreements/{agreement}/monitoring-reports/", everyone(401)),
    Row("api/v1/schema/", "region", "/api/v1/schema/", everyone()),
    Row("api/v1/docs/", "region", "/api/v1/docs/", everyone()),
    # A member's API tokens: every member manages their own; {api_token} is the viewer's.
    Row("akses-api/", "region", "/akses-api/", workspace(*ALL_WORKSPACE_ROLES)),
    Row("akses-api/<int:pk>/cabut/", "region", "/akses-api/{api_token}/cabut/", {
        **workspace(*ALL_WORKSPACE_ROLES), **{role: 404 for role in ROLES if role != "viewer"},
    }, method="POST", note="another member's token does not exist for them"),
]
# fmt: on
