"""Open data's rows of the permission matrix (tests/permission_matrix.py all_rows).

Everything is public and read-only on the platform: anyone gets it (a session that must pass
the second factor passes it first, as on every public page). The routes exist on the platform
only; a region's subdomain answers 404 for them (test_routes.py)."""

from __future__ import annotations

from tests.permission_matrix import Row, everyone

# fmt: off
ROWS: list[Row] = [
    Row("data/", "platform", "/data/", everyone()),
    Row("data/catalog.<slug:fmt>", "platform", "/data/catalog.jsonld", everyone()),
    Row("data/dataset/<slug:name>/", "platform", "/data/dataset/wilayah/", everyone(),
        note="a national dataset is described before its first build"),
    Row("data/kamus/<slug:name>/", "platform", "/data/kamus/kerja-sama/", everyone()),
    Row("data/kamus/<slug:name>.json", "platform", "/data/kamus/pasar-kerja-sama.json",
        everyone()),
    Row("data/kerja-sama/tahunan.json", "platform", "/data/kerja-sama/tahunan.json", everyone()),
    Row("data/unduh/<str:name>", "platform", "/data/unduh/SHA256SUMS", everyone()),
    Row("api/3/action/<slug:action>", "platform", "/api/3/action/package_list", everyone()),
    Row("api/3/action/<slug:action>", "platform", "/api/3/action/package_search", everyone(),
        method="POST", data={"rows": "5"}, note="CKAN clients POST their read actions"),
    Row("api/action/<slug:action>", "platform", "/api/action/status_show", everyone()),
]
# fmt: on
