"""Trade missions' rows of the permission matrix.

Collected into the permission matrix by tests/permission_matrix.py (all_rows): each app's
`tests/permission_rows.py` exposes ROWS. Fixtures the paths name in braces are built in
tests/test_permission_matrix.py (world)."""

from __future__ import annotations

from marketplace.tests.permission_rows import LISTING_PUBLISHERS
from tests.permission_matrix import (
    ACTORS,
    LOGIN,
    OK,
    ROLES,
    Row,
    everyone,
    password_only,
    signed_in,
)

# Trade missions (missions/, on the platform): {mission} is Provinsi Jawa Timur's, with Kota
# Malang's {listing} enrolled; no actor is a province's office, so none organises. The publishers
# of a region of the province enrol (Kota Batu is one too); {meeting} is the third party's request
# to meet Kota Malang about {listing}: the requester and the region's readers of meetings see it
# (camat and lurah: it is about their area), the region's office and publishers answer it.
MEETING_READERS = ("admin", "tkksd", "opd", "camat", "lurah")
MEETING_ANSWERERS = LISTING_PUBLISHERS


def not_for_anyone_here() -> dict:
    """Signed in, and refused: for a province's office only (no actor is one)."""
    return password_only({**{a: 403 for a in ACTORS}, "anonymous": LOGIN})


def mission_enrollers() -> dict:
    expect = {a: 403 for a in ACTORS}
    expect.update({role: OK for role in LISTING_PUBLISHERS})
    expect.update({"anonymous": LOGIN, "other_region": OK})
    return password_only(expect)


def meeting_page(allowed: tuple[str, ...], requester=OK) -> dict:
    expect = {a: 404 for a in ACTORS}
    expect.update({role: OK if role in allowed else 403 for role in MEETING_READERS})
    expect.update({"anonymous": LOGIN, "third_party": requester})
    return password_only(expect)


def region_agenda() -> dict:
    expect = {a: 404 for a in ACTORS}
    expect.update({role: OK if role in MEETING_READERS else 403 for role in ROLES})
    expect["anonymous"] = LOGIN
    return password_only(expect)


# fmt: off
ROWS: list[Row] = [
    # --- Trade missions (missions/) ---------------------------------------------------------
    Row("misi-dagang/", "platform", "/misi-dagang/", everyone()),
    Row("misi-dagang/baru/", "platform", "/misi-dagang/baru/", not_for_anyone_here(),
        note="a province's office only"),
    Row("misi-dagang/<int:pk>/", "platform", "/misi-dagang/{mission}/", everyone(),
        note="the public catalogue"),
    Row("misi-dagang/<int:pk>/slot/", "platform", "/misi-dagang/{mission}/slot/",
        not_for_anyone_here(), method="POST", note="the organising province's office only"),
    Row("misi-dagang/<int:pk>/ubah/", "platform", "/misi-dagang/{mission}/ubah/",
        not_for_anyone_here(), note="the organising province's office only"),
    Row("misi-dagang/<int:pk>/ubah/", "platform", "/misi-dagang/{mission}/ubah/",
        not_for_anyone_here(), method="POST", note="the organising province's office only"),
    Row("misi-dagang/<int:pk>/slot/<int:slot>/hapus/", "platform",
        "/misi-dagang/{mission}/slot/{slot}/hapus/", not_for_anyone_here(),
        note="the organising province's office only"),
    Row("misi-dagang/<int:pk>/slot/<int:slot>/hapus/", "platform",
        "/misi-dagang/{mission}/slot/{slot}/hapus/", not_for_anyone_here(), method="POST",
        note="the organising province's office only"),
    Row("misi-dagang/<int:pk>/daftarkan/", "platform", "/misi-dagang/{mission}/daftarkan/",
        mission_enrollers(), note="publishers of the province's regions"),
    Row("misi-dagang/<int:pk>/minta-pertemuan/", "platform",
        "/misi-dagang/{mission}/minta-pertemuan/", signed_in()),
    Row("misi-dagang/<int:pk>/minta-pertemuan/", "platform",
        "/misi-dagang/{mission}/minta-pertemuan/", signed_in(), method="POST",
        note="an empty form: told what is missing"),
    Row("misi-dagang/<int:pk>/agenda/<slug:region>.ics", "platform",
        "/misi-dagang/{mission}/agenda/kota-malang.ics", region_agenda(),
        note="Kota Malang's agenda: the readers of its meetings"),
    Row("misi-dagang/pertemuan/", "platform", "/misi-dagang/pertemuan/", signed_in(),
        note="the requester's own meetings"),
    Row("misi-dagang/pertemuan/<int:pk>/", "platform", "/misi-dagang/pertemuan/{meeting}/",
        meeting_page(MEETING_READERS)),
    Row("misi-dagang/pertemuan/<int:pk>/terima/", "platform",
        "/misi-dagang/pertemuan/{meeting}/terima/", meeting_page(MEETING_ANSWERERS, 403),
        method="POST"),
    Row("misi-dagang/pertemuan/<int:pk>/tolak/", "platform",
        "/misi-dagang/pertemuan/{meeting}/tolak/", meeting_page(MEETING_ANSWERERS, 403),
        method="POST"),
    Row("misi-dagang/pertemuan/<int:pk>/jadwal-ulang/", "platform",
        "/misi-dagang/pertemuan/{meeting}/jadwal-ulang/", meeting_page(MEETING_ANSWERERS, 403),
        method="POST", note="no slot chosen: told what is missing"),
    Row("misi-dagang/pertemuan/<int:pk>/batalkan/", "platform",
        "/misi-dagang/pertemuan/{meeting}/batalkan/", meeting_page((), OK), method="POST",
        note="the requester cancels; the region's readers get 403 (they decline instead)"),
]
# fmt: on
