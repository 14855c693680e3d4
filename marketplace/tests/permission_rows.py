"""The marketplace's rows of the permission matrix: listings, their photos, inquiries and saved
searches, on the platform and on a region's subdomain.

Collected into the permission matrix by tests/permission_matrix.py (all_rows): each app's
`tests/permission_rows.py` exposes ROWS. Fixtures the paths name in braces are built in
tests/test_permission_matrix.py (world)."""

from __future__ import annotations

from tests.permission_matrix import (
    ACTORS,
    ALL_WORKSPACE_ROLES,
    LOGIN,
    MANAGERS,
    OK,
    Row,
    everyone,
    password_only,
    signed_in,
    workspace,
)

# The marketplace (marketplace/policy.py): the office, OPD staff, camat and lurah publish (camat and
# lurah within their area); the office moderates; every member reads the region's listings.
LISTING_PUBLISHERS = ("admin", "opd", "camat", "lurah")
# Inquiries about the region's listings (marketplace/policy.py): the office, the TKKSD and the
# publishers read them (camat and lurah: about their area's listings; the sample's is the lurah's
# kelurahan); the office and the publishers answer; the office makes an offer of one its members
# sent.
INQUIRY_READERS = ("admin", "tkksd", "opd", "camat", "lurah")
INQUIRY_ANSWERERS = LISTING_PUBLISHERS


def inquirer_only() -> dict:
    """A page of one inquirer's thread (the third party's): anyone else gets 404."""
    return password_only({**{a: 404 for a in ACTORS}, "anonymous": LOGIN, "third_party": OK})


# fmt: off
ROWS: list[Row] = [
    # --- The shared marketplace (marketplace/): {listing} is Kota Malang's published listing for
    # Kelurahan Purwantoro (35.73.01.1007), {listing_photo} its photo ---------------------------
    Row("pasar/", "platform", "/pasar/?q=tempe&kind=product", everyone(),
        note="search across every region's public listings"),
    Row("pasar/unduh/<slug:fmt>/", "platform", "/pasar/unduh/csv/?province=35&kind=product",
        everyone(), note="every listing the search shows, as CSV or JSON"),
    Row("pasar/<int:pk>/", "platform", "/pasar/{listing}/", everyone()),
    Row("pasar/<int:pk>/foto/<int:photo_pk>/", "platform", "/pasar/{listing}/foto/{listing_photo}/",
        everyone()),
    Row("pasar/", "region", "/pasar/", workspace(*ALL_WORKSPACE_ROLES)),
    Row("pasar/baru/", "region", "/pasar/baru/", workspace(*LISTING_PUBLISHERS)),
    Row("pasar/moderasi/", "region", "/pasar/moderasi/", workspace(*MANAGERS)),
    Row("pasar/mitra/", "region", "/pasar/mitra/", workspace(*ALL_WORKSPACE_ROLES),
        note="the partner finder: agreements' titles only for those who read the register"),
    Row("pasar/rekan/", "region", "/pasar/rekan/?area_kind=kelurahan&kind=product",
        workspace(*ALL_WORKSPACE_ROLES),
        note="the camat and lurah network: camat and lurah of other regions"),
    Row("pasar/<int:pk>/", "region", "/pasar/{listing}/", workspace(*ALL_WORKSPACE_ROLES)),
    Row("pasar/<int:pk>/ubah/", "region", "/pasar/{listing}/ubah/",
        workspace(*LISTING_PUBLISHERS), note="the camat's kecamatan and the lurah's kelurahan"),
    Row("pasar/<int:pk>/ajukan/", "region", "/pasar/{listing}/ajukan/",
        workspace(*LISTING_PUBLISHERS), method="POST", note="409: it is published already"),
    Row("pasar/<int:pk>/terbitkan/", "region", "/pasar/{listing}/terbitkan/",
        workspace(*MANAGERS), method="POST", note="409: it is published already"),
    Row("pasar/<int:pk>/kembalikan/", "region", "/pasar/{listing}/kembalikan/",
        workspace(*MANAGERS), method="POST", note="an empty reason: told what is missing"),
    Row("pasar/<int:pk>/arsipkan/", "region", "/pasar/{listing}/arsipkan/",
        workspace(*LISTING_PUBLISHERS), method="POST"),
    Row("pasar/<int:pk>/foto/", "region", "/pasar/{listing}/foto/",
        workspace(*LISTING_PUBLISHERS), method="POST", note="an empty upload"),
    Row("pasar/<int:pk>/foto/<int:photo_pk>/", "region", "/pasar/{listing}/foto/{listing_photo}/",
        workspace(*ALL_WORKSPACE_ROLES)),
    Row("pasar/<int:pk>/foto/<int:photo_pk>/hapus/", "region",
        "/pasar/{listing}/foto/{listing_photo}/hapus/", workspace(*LISTING_PUBLISHERS),
        method="POST"),
    # Inquiries (marketplace/inquiry_views.py): {inquiry} is the third party's inquiry about
    # {listing}; {inquiry_out} one Kota Malang's lurah sent for Kota Malang about Kota Batu's
    # listing (agreements/proposals/inquiry_views.py turns it into an offer).
    Row("pasar/<int:pk>/minat/", "platform", "/pasar/{listing}/minat/", signed_in(),
        note="anyone with an account inquires"),
    Row("pasar/<int:pk>/minat/", "platform", "/pasar/{listing}/minat/", signed_in(),
        method="POST", note="an empty form: told what is missing"),
    Row("pasar/minat/", "platform", "/pasar/minat/", signed_in(),
        note="the inquirer's own inquiries"),
    Row("pasar/minat/<int:pk>/", "platform", "/pasar/minat/{inquiry}/", inquirer_only()),
    Row("pasar/minat/<int:pk>/usulan/", "platform", "/pasar/minat/{inquiry}/usulan/",
        inquirer_only()),
    # Saved searches (marketplace/saved_searches.py): every signed-in person keeps their own;
    # {saved_search} is the third party's.
    Row("pasar/tersimpan/", "platform", "/pasar/tersimpan/", signed_in()),
    Row("pasar/tersimpan/baru/", "platform", "/pasar/tersimpan/baru/?q=tempe&kind=product",
        signed_in(), note="the form, with the search it names"),
    Row("pasar/tersimpan/<int:pk>/hapus/", "platform", "/pasar/tersimpan/{saved_search}/hapus/",
        inquirer_only(), method="POST", note="someone else's saved search is not found"),
    Row("pasar/minat/", "region", "/pasar/minat/", workspace(*INQUIRY_READERS)),
    Row("pasar/minat/<int:pk>/", "region", "/pasar/minat/{inquiry}/",
        workspace(*INQUIRY_READERS)),
    Row("pasar/minat/<int:pk>/balas/", "region", "/pasar/minat/{inquiry}/balas/",
        workspace(*INQUIRY_ANSWERERS), method="POST", note="an empty answer: told what is missing"),
]
# fmt: on
