"""The main pages are valid HTML, as the Nu Html Checker (the W3C's validator, vnu.jar) says.

`make test` installs the checker (package.json) and a Java runtime; all pages are checked in one
run of the checker, since starting the JVM costs more than checking a page."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from tenants.models import Role
from tests.tools import missing_tool

pytestmark = pytest.mark.django_db

VNU = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def validate(pages: dict[str, str], tmp_path: Path) -> dict[str, list[str]]:
    java = shutil.which("java")
    if java is None or not VNU.exists():
        missing_tool("The HTML checker (vnu.jar and a Java runtime)", "make html-checker")
    files = []
    for name, html in pages.items():
        path = tmp_path / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        files.append(str(path))
    result = subprocess.run(  # noqa: S603 - fixed arguments, our own files
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(result.stderr or "{}")
    errors: dict[str, list[str]] = {}
    for message in report.get("messages", []):
        name = Path(message.get("url", "")).stem
        errors.setdefault(name, []).append(
            f"line {message.get('lastLine')}: {message.get('message')}"
        )
    return errors


def test_the_main_pages_are_valid_html(
    client_for, malang, member, staff_user, user_factory, tmp_path
):
    from django_tenants.utils import tenant_context

    from agreements.tests.factories import membership_of, new_agreement

    admin = member(malang, Role.ADMIN)
    with tenant_context(malang):
        agreement = new_agreement(membership_of(admin, malang), title="KSB Malang Raya")
    someone = user_factory()
    # The portal's page types, with content, and Kota Malang's profile with its partners.
    from cms import demo as portal_demo
    from cms.tests.factories import published_agreement, published_listing

    portal_demo.load()
    published_agreement("KSB Malang Raya", ["35.73", "35.07", "35.79"])
    published_listing(malang, "Tempe Sanan")
    platform_anonymous = client_for(None)
    platform_someone = client_for(None, someone)
    platform_staff = client_for(None, staff_user)
    region_admin = client_for(malang, admin)
    wanted = {
        "home": (platform_anonymous, "/"),
        "region-page": (platform_anonymous, "/kota-malang/"),
        "news": (platform_anonymous, "/berita/"),
        "news-story": (platform_anonymous, "/berita/tempe-malang-ke-tarakan/"),
        "guides": (platform_anonymous, "/panduan/"),
        "guide": (platform_anonymous, "/panduan/cara-kerja-sama-daerah/"),
        "regulations": (platform_anonymous, "/regulasi/"),
        "regulation": (platform_anonymous, "/regulasi/uu-23-2014/"),
        "overview": (platform_anonymous, "/ikhtisar/"),
        "portal-search": (platform_anonymous, "/cari/?q=kerja+sama"),
        "portal-editors": (region_admin, "/portal/penyunting/"),
        "login": (platform_anonymous, "/akun/login/"),
        "signup": (platform_anonymous, "/akun/signup/"),
        "password-reset": (platform_anonymous, "/akun/password/reset/"),
        "apply": (platform_someone, "/daftar-daerah/"),
        "workspaces": (platform_someone, "/ruang-kerja/"),
        "staff-queue": (platform_staff, "/platform/permohonan/"),
        "staff-regions": (platform_staff, "/platform/daerah/"),
        "staff-region": (platform_staff, f"/platform/daerah/{malang.pk}/"),
        "dashboard": (region_admin, "/"),
        "members": (region_admin, "/anggota/"),
        "documents": (region_admin, "/dokumen/"),
        "history": (region_admin, "/riwayat/"),
        "letterhead": (region_admin, "/pengaturan/kop-surat/"),
        "not-found": (region_admin, "/tidak-ada/"),
        "register": (region_admin, "/kerja-sama/"),
        "agreement-new": (region_admin, "/kerja-sama/baru/"),
        "agreement": (region_admin, f"/kerja-sama/{agreement.pk}/"),
        "agreements-dashboard": (region_admin, "/kerja-sama/dasbor/"),
        "semester-report": (region_admin, "/kerja-sama/laporan-semester/"),
        "import": (region_admin, "/kerja-sama/impor/"),
        "offers": (region_admin, "/kerja-sama/tawaran/"),
        "proposals": (region_admin, "/kerja-sama/usulan/"),
        "notifications": (region_admin, "/kerja-sama/pemberitahuan/"),
        "agreement-areas": (region_admin, f"/kerja-sama/{agreement.pk}/wilayah/"),
        "agreement-dossier": (region_admin, f"/kerja-sama/{agreement.pk}/dosier/"),
        "register-settings": (region_admin, "/kerja-sama/pengaturan-pengingat/"),
        "listings": (region_admin, "/pasar/"),
        "listing-new": (region_admin, "/pasar/baru/"),
        "moderation": (region_admin, "/pasar/moderasi/"),
        "market-search": (platform_anonymous, "/pasar/?q=tempe"),
        "market-search-signed-in": (platform_someone, "/pasar/?q=tempe&province=35"),
        "saved-search-new": (platform_someone, "/pasar/tersimpan/baru/?q=tempe&province=35"),
        "saved-searches": (platform_someone, "/pasar/tersimpan/"),
        "synonyms-staff": (platform_staff, "/pasar/sinonim/"),
        "synonyms-office": (region_admin, "/pasar/sinonim/"),
        "propose": (platform_someone, "/usulan-kerja-sama/ke/kota-malang/"),
        "my-proposals": (platform_someone, "/usulan-kerja-sama/"),
    }
    pages = {}
    for name, (client, path) in wanted.items():
        response = client.get(path)
        assert response.status_code in (200, 404), (name, response.status_code)
        pages[name] = response.content.decode()
    assert validate(pages, tmp_path) == {}


def test_the_checker_does_find_invalid_html(tmp_path):
    """The check above can fail: a list inside a paragraph is reported."""
    bad = "<!DOCTYPE html><html lang=id><title>x</title><p><span><ul><li>a</li></ul></span></p>"
    assert "bad" in validate({"bad": bad}, tmp_path)
