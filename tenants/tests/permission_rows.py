"""The tenants' rows of the permission matrix: the platform (applications, regions, the region
codes), a region's members and invitations.

Collected into the permission matrix by tests/permission_matrix.py (all_rows): each app's
`tests/permission_rows.py` exposes ROWS. Fixtures the paths name in braces are built in
tests/test_permission_matrix.py (world)."""

from __future__ import annotations

from tests.permission_matrix import (
    ACTORS,
    LOGIN,
    MANAGERS,
    MFA,
    OK,
    Row,
    everyone,
    password_only,
    signed_in,
    staff_only,
    workspace,
)

# fmt: off
ROWS: list[Row] = [
    # --- The platform -------------------------------------------------------------------------
    Row("ruang-kerja/", "platform", "/ruang-kerja/", signed_in()),
    Row("daftar-daerah/", "platform", "/daftar-daerah/", {**signed_in(), "anonymous": OK},
        note="anonymous visitors are told an account is needed"),
    Row("daftar-daerah/status/", "platform", "/daftar-daerah/status/", signed_in()),
    Row("daftar-daerah/konfirmasi/<str:token>/", "platform",
        "/daftar-daerah/konfirmasi/{confirmation_token}/", everyone(),
        note="the link e-mailed to the official address"),
    Row("daftar-daerah/<int:pk>/kirim-ulang-konfirmasi/", "platform",
        "/daftar-daerah/{application}/kirim-ulang-konfirmasi/",
        password_only({**{a: 404 for a in ACTORS}, "anonymous": LOGIN}), method="POST",
        note="only the applicant (not among the actors) may resend"),
    Row("platform/permohonan/", "platform", "/platform/permohonan/", staff_only()),
    Row("platform/permohonan/<int:pk>/", "platform", "/platform/permohonan/{application}/",
        staff_only()),
    Row("platform/permohonan/<int:pk>/setujui/", "platform",
        "/platform/permohonan/{application}/setujui/", staff_only(), method="POST",
        note="refused with 409 while the official address is unconfirmed"),
    Row("platform/permohonan/<int:pk>/tolak/", "platform",
        "/platform/permohonan/{application}/tolak/", staff_only(), method="POST"),
    Row("platform/permohonan/<int:pk>/surat/", "platform",
        "/platform/permohonan/{application}/surat/", staff_only()),
    Row("platform/daerah/", "platform", "/platform/daerah/", staff_only()),
    Row("platform/daerah/<int:pk>/", "platform", "/platform/daerah/{tenant}/", staff_only()),
    Row("platform/daerah/<int:pk>/tangguhkan/", "platform",
        "/platform/daerah/{tenant}/tangguhkan/", staff_only(), method="POST"),
    Row("platform/daerah/<int:pk>/aktifkan/", "platform",
        "/platform/daerah/{tenant}/aktifkan/", staff_only(), method="POST"),
    Row("platform/daerah/<int:pk>/ekspor/", "platform", "/platform/daerah/{tenant}/ekspor/",
        staff_only(), method="POST"),
    Row("platform/daerah/<int:pk>/hapus/", "platform", "/platform/daerah/{tenant}/hapus/",
        staff_only(), method="POST"),
    Row("platform/daerah/<int:pk>/pulihkan/", "platform",
        "/platform/daerah/{tenant}/pulihkan/", staff_only(), method="POST"),
    Row("platform/ekspor/<int:pk>/unduh/", "platform", "/platform/ekspor/{export}/unduh/",
        staff_only()),
    Row("api/wilayah/", "platform", "/api/wilayah/", everyone()),
    Row("api/wilayah/<str:code>/", "platform", "/api/wilayah/35.73/", everyone()),
    # --- A region's members and invitations (Kota Malang's subdomain) ----------------------
    Row("anggota/", "region", "/anggota/", workspace(*MANAGERS)),
    Row("anggota/<int:pk>/ubah/", "region", "/anggota/{member}/ubah/", workspace(*MANAGERS)),
    Row("anggota/<int:pk>/hapus/konfirmasi/", "region", "/anggota/{member}/hapus/konfirmasi/",
        workspace(*MANAGERS)),
    Row("anggota/<int:pk>/hapus/", "region", "/anggota/{member}/hapus/", workspace(*MANAGERS),
        method="POST"),
    Row("undangan/<int:pk>/cabut/konfirmasi/", "region",
        "/undangan/{invitation}/cabut/konfirmasi/", workspace(*MANAGERS)),
    Row("undangan/<int:pk>/cabut/", "region", "/undangan/{invitation}/cabut/",
        workspace(*MANAGERS), method="POST"),
    Row("undangan/<str:token>/", "region", "/undangan/{invitation_token}/", {
        **signed_in(), "anonymous": OK, "admin_password_only": MFA,
    }, note="anyone holding the link sees who invited them to what (signed out: with the ways "
            "to sign in or up); accepting needs the invited address"),
]
# fmt: on
