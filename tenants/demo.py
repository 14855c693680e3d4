"""Demo data for `make run`: eight regions, one account per role. Idempotent.

DEMO ONLY: every demo account's password and TOTP secret are published in the README. While the
demo accounts exist in a database, every page shows a "Demo" banner (`demo_marker`); `make run
DEMO=0` serves a database the demo loader never touches."""

from __future__ import annotations

import io
import time

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from pypdf import PdfWriter

from accounts.models import User

from .models import Membership, Region, RegionApplication, Role, Tenant
from .onboarding import provision_region, submit_application
from .region_codes import AREA_LEVELS, upsert_level

DEMO_PASSWORD = "jejaring-demo-2026"
# A published demo secret (base32) so demo administrators can sign in with any authenticator
# app or `oathtool --totp -b <secret>`. Demo only: real accounts set up their own.
DEMO_TOTP_SECRET = "JEJARINGDEMOTOTPSECRETKEY2345672"

DEMO_REGIONS = ["35", "35.73", "35.07", "35.79", "35.15", "65.71", "61", "61.72"]

# (email, name, staff, [(region code, role, opd, area code)])
# (e-mail, name, platform staff, [(region code, role, OPD, area code or None)])
DEMO_ACCOUNTS: list[tuple[str, str, bool, list[tuple[str, str, str, str | None]]]] = [
    ("staf@jejaring.test", "Staf Platform", True, []),
    (
        "admin.malang@jejaring.test",
        "Admin Kerja Sama Kota Malang",
        False,
        [("35.73", Role.ADMIN, "", None)],
    ),
    (
        "tkksd.malang@jejaring.test",
        "Anggota TKKSD Kota Malang",
        False,
        [("35.73", Role.TKKSD, "", None)],
    ),
    (
        "opd.malang@jejaring.test",
        "Staf Dinas Koperasi Kota Malang",
        False,
        [("35.73", Role.OPD, "Dinas Koperasi, Perindustrian dan Perdagangan", None)],
    ),
    (
        "camat.blimbing@jejaring.test",
        "Camat Blimbing",
        False,
        [("35.73", Role.CAMAT, "", "35.73.01")],
    ),
    (
        "lurah.purwantoro@jejaring.test",
        "Lurah Purwantoro",
        False,
        [("35.73", Role.LURAH, "", "35.73.01.1007")],
    ),
    (
        "dprd.malang@jejaring.test",
        "Anggota DPRD Kota Malang",
        False,
        [("35.73", Role.VIEWER, "", None)],
    ),
    (
        "admin.jatim@jejaring.test",
        "Biro Pemerintahan Jawa Timur",
        False,
        [("35", Role.ADMIN, "", None), ("35.73", Role.VIEWER, "", None)],
    ),
    (
        "admin.kabmalang@jejaring.test",
        "Admin Kerja Sama Kabupaten Malang",
        False,
        [("35.07", Role.ADMIN, "", None)],
    ),
    (
        "admin.batu@jejaring.test",
        "Admin Kerja Sama Kota Batu",
        False,
        [("35.79", Role.ADMIN, "", None)],
    ),
    (
        "admin.sidoarjo@jejaring.test",
        "Admin Kerja Sama Kabupaten Sidoarjo",
        False,
        [("35.15", Role.ADMIN, "", None)],
    ),
    (
        "admin.tarakan@jejaring.test",
        "Admin Kerja Sama Kota Tarakan",
        False,
        [("65.71", Role.ADMIN, "", None)],
    ),
    (
        "admin.kalbar@jejaring.test",
        "Biro Pemerintahan Kalimantan Barat",
        False,
        [("61", Role.ADMIN, "", None)],
    ),
    (
        "admin.singkawang@jejaring.test",
        "Admin Kerja Sama Kota Singkawang",
        False,
        [("61.72", Role.ADMIN, "", None)],
    ),
    ("mitra@jejaring.test", "Universitas Mitra (pihak ketiga)", False, []),
    ("pemohon.surabaya@jejaring.test", "Pemohon Kota Surabaya", False, []),
]


_marker_cache: tuple[float, bool] | None = None


def demo_data_loaded() -> bool:
    """Whether this database holds the demo accounts (checked at most once a minute a process)."""
    global _marker_cache
    now = time.monotonic()
    if _marker_cache is None or now - _marker_cache[0] > 60:
        loaded = User.objects.filter(email=DEMO_ACCOUNTS[0][0]).exists()
        _marker_cache = (now, loaded)
    return _marker_cache[1]


def demo_marker(request) -> dict:
    """Template context: `demo_data` (evaluated only by the templates that show the banner)."""
    return {"demo_data": demo_data_loaded}


def demo_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def ensure_account(email: str, name: str, staff: bool) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": name, "is_staff": staff, "is_superuser": staff}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def load_demo(stdout=None) -> None:
    say = stdout.write if stdout else (lambda _msg: None)
    if not Region.objects.filter(code="35.73.01.1007").exists():
        say("Importing kecamatan and desa/kelurahan...")
        with transaction.atomic():
            for level in AREA_LEVELS:
                upsert_level(Region, level)
    staff = ensure_account(*DEMO_ACCOUNTS[0][:3])
    for code in DEMO_REGIONS:
        region = Region.objects.get(code=code)
        if not Tenant.objects.filter(region=region).exists():
            provision_region(region=region, acting_user=staff)
            say(f"Provisioned {region.full_name}")
    for email, name, is_staff, memberships in DEMO_ACCOUNTS:
        user = ensure_account(email, name, is_staff)
        for code, role, opd, area in memberships:
            Membership.objects.get_or_create(
                user=user,
                tenant=Tenant.objects.get(region_id=code),
                defaults={"role": role, "opd": opd, "area_id": area},
            )
        needs_totp = is_staff or any(m[1] == Role.ADMIN for m in memberships)
        if (
            needs_totp
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            TOTP.activate(user, DEMO_TOTP_SECRET)
    applicant = User.objects.get(email="pemohon.surabaya@jejaring.test")
    if not RegionApplication.objects.filter(applicant=applicant).exists():
        application = submit_application(
            applicant=applicant,
            region=Region.objects.get(code="35.78"),
            position="Kepala Bagian Kerja Sama",
            office="Bagian Kerja Sama, Sekretariat Daerah Kota Surabaya",
            official_email="kerjasama@surabaya.go.id",
            phone="(031) 5312144",
            letter=SimpleUploadedFile("surat-tugas.pdf", demo_pdf(), "application/pdf"),
        )
        # Demo only: nobody reads kerjasama@surabaya.go.id's mailbox here, so its confirmation
        # is taken as given and staff can try the approval in a first look.
        RegionApplication.objects.filter(pk=application.pk).update(
            email_confirmed_at=timezone.now()
        )
    global _marker_cache
    _marker_cache = None
    say(
        f"DEMO data ready. Password for every demo account: {DEMO_PASSWORD} (published: demo "
        "only, never real data; `make run DEMO=0` serves a clean platform)."
    )
