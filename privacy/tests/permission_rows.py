"""Personal data's rows of the permission matrix (collected by tests/permission_matrix.py).

{privacy_request} is the third party's open correction request, {privacy_copy} the third
party's ready copy of their data (built by `samples`, called from the matrix's world fixture).
A person's own pages are for any signed-in person; another person's request or copy is 404, as
one that does not exist. The staff pages are platform staff's."""

from __future__ import annotations

from tests.permission_matrix import ACTORS, LOGIN, OK, Row, password_only, signed_in, staff_only


def owner_only() -> dict:
    expect = {actor: 404 for actor in ACTORS}
    expect.update({"anonymous": LOGIN, "third_party": OK})
    return password_only(expect)


def signed_in_post_only() -> dict:
    """A POST-only page asked with GET: 405 for the signed-in, sign-in first for the rest."""
    expect = {actor: 405 for actor in ACTORS}
    expect["anonymous"] = LOGIN
    return password_only(expect)


def samples(actors) -> dict:
    from datetime import timedelta

    from django.utils import timezone

    from privacy import exports
    from privacy.models import DataRequest, ExportState, PersonalExport, RequestKind

    person = actors["third_party"]
    request = DataRequest.objects.create(
        user=person, kind=RequestKind.CORRECTION, details="Nama saya salah eja."
    )
    access = DataRequest.objects.create(user=person, kind=RequestKind.ACCESS, state="done")
    root = exports.export_root()
    root.mkdir(parents=True, exist_ok=True)
    (root / "matriks.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    copy = PersonalExport.objects.create(
        request=access,
        user=person,
        state=ExportState.READY,
        file_name="matriks.zip",
        finished_at=timezone.now(),
        expires_at=timezone.now() + timedelta(days=1),
    )
    return {"privacy_request": request.pk, "privacy_copy": copy.pk}


# fmt: off
ROWS: list[Row] = [
    Row("data-saya/", "platform", "/data-saya/", signed_in()),
    Row("data-saya/salinan/", "platform", "/data-saya/salinan/", signed_in(), method="POST",
        note="asks for a copy of one's own data"),
    Row("data-saya/salinan/", "platform", "/data-saya/salinan/", signed_in_post_only()),
    Row("data-saya/salinan/<int:pk>/unduh/", "platform", "/data-saya/salinan/{privacy_copy}/unduh/",
        owner_only(), note="only the person whose copy it is"),
    Row("data-saya/hapus/", "platform", "/data-saya/hapus/", signed_in(),
        note="what erasure would do, and the request"),
    Row("data-saya/hapus/", "platform", "/data-saya/hapus/", signed_in(), method="POST",
        note="an empty form: 400, nothing asked"),
    Row("data-saya/nama/", "platform", "/data-saya/nama/", signed_in(), method="POST",
        note="an empty form: 400"),
    Row("data-saya/permintaan/", "platform", "/data-saya/permintaan/", signed_in(), method="POST",
        note="an empty form: 400"),
    Row("data-saya/permintaan/<int:pk>/tarik/", "platform",
        "/data-saya/permintaan/{privacy_request}/tarik/", owner_only(), method="POST"),
    Row("platform/data-pribadi/", "platform", "/platform/data-pribadi/", staff_only()),
    Row("platform/data-pribadi/catatan/", "platform", "/platform/data-pribadi/catatan/",
        staff_only(), note="the record of processing"),
    Row("platform/data-pribadi/<int:pk>/", "platform", "/platform/data-pribadi/{privacy_request}/",
        staff_only()),
    Row("platform/data-pribadi/<int:pk>/selesaikan/", "platform",
        "/platform/data-pribadi/{privacy_request}/selesaikan/", staff_only(), method="POST",
        note="empty outcome for a correction: 400"),
    Row("platform/data-pribadi/<int:pk>/tolak/", "platform",
        "/platform/data-pribadi/{privacy_request}/tolak/", staff_only(), method="POST",
        note="empty reason: 400"),
]
# fmt: on
