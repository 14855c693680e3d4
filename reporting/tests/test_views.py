"""The pages: a region submits from its semester report page and follows its reports; the
province reviews, enters paper reports and compiles; who is refused where."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from conftest import host_client
from reporting import actions
from reporting.models import Level, Source, State, Submission
from tenants.models import Role

from .conftest import H1, TODAY, fill_register, letter, scan

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"reporting:{name}", args=args, urlconf="portal.urls_tenant")


def client(tenant, user, *, mfa=True):
    host = tenant.get_primary_domain().domain
    if mfa:
        c = host_client(host, user)
    else:
        from django.test import Client

        c = Client(HTTP_HOST=host)
        c.force_login(user)
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return c


LETTER = {
    "number": "050/9/35.73.112/2026",
    "place": "Malang",
    "date": "2026-07-08",
    "signatory_name": "Wahyu Hidayat",
    "signatory_position": "Wali Kota Malang",
    "signatory_nip": "",
}


@pytest.fixture
def malang_office(malang, office_of):
    office = office_of(malang)
    fill_register(malang, office, signed=1, in_process=1)
    return office


@pytest.fixture
def submitted(malang_office, jatim):
    return actions.submit_report(
        membership=malang_office, semester=H1, letter=letter(), today=TODAY
    )


def test_the_region_submits_from_the_semester_report_page(
    malang, malang_office, jatim, office_of, django_capture_on_commit_callbacks, mailoutbox
):
    province = office_of(jatim)
    c = client(malang, malang_office.user)
    page = c.get(
        reverse("agreements:semester_report", urlconf="portal.urls_tenant"),
        {"year": 2026, "semester": 1},
    )
    assert page.status_code == 200
    # The report page's letter form has the button that submits it, and the menu the link.
    assert f'formaction="{url("submit", 2026, 1)}"'.encode() in page.content
    assert b"Submit to the Governor" in page.content
    assert f'href="{url("submissions")}"'.encode() in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(url("submit", 2026, 1), LETTER)
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert response["Location"] == url("submission", submission.pk)
    assert submission.number == LETTER["number"] and submission.figures["total"] == 2
    assert [m.to for m in mailoutbox] == [[province.user.email]]
    listing = c.get(url("submissions"))
    assert b"Submitted" in listing.content and LETTER["number"].encode() in listing.content


def test_an_empty_letter_is_told_what_is_missing(malang, malang_office, jatim):
    response = client(malang, malang_office.user).post(url("submit", 2026, 1), {})
    assert response.status_code == 400
    assert not Submission.objects.exists()


def test_the_region_downloads_its_frozen_files_and_corrects(malang, malang_office, submitted):
    c = client(malang, malang_office.user)
    pdf = c.get(url("submission_file", submitted.pk, "pdf"))
    assert pdf.status_code == 200 and bytes(pdf.content).startswith(b"%PDF")
    assert pdf["Content-Disposition"].startswith("attachment")
    assert c.get(url("submission_file", submitted.pk, "scan")).status_code == 404
    no_reason = c.post(url("correct", submitted.pk), LETTER)
    assert no_reason.status_code == 400
    corrected = c.post(url("correct", submitted.pk), {**LETTER, "reason": "Salah nomor"})
    assert corrected.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == State.SUPERSEDED
    assert Submission.objects.current().get().correction_reason == "Salah nomor"


def test_the_tkksd_reads_but_does_not_submit(malang, office_of, submitted):
    tkksd = office_of(malang, Role.TKKSD)
    c = client(malang, tkksd.user)
    assert c.get(url("submissions")).status_code == 200
    assert c.get(url("submission", submitted.pk)).status_code == 200
    assert c.post(url("correct", submitted.pk), {**LETTER, "reason": "x"}).status_code == 403
    assert c.post(url("submit", 2026, 2), LETTER).status_code == 403


def test_another_region_never_opens_a_regions_report(batu, office_of, submitted):
    """Kota Batu (same province, colliding keys) finds Kota Malang's report nowhere."""
    batu_office = office_of(batu)
    c = client(batu, batu_office.user)
    assert c.get(url("submission", submitted.pk)).status_code == 404
    assert c.get(url("submission_file", submitted.pk, "pdf")).status_code == 404
    assert c.get(url("province_submission", submitted.pk)).status_code == 404


# --- The province ---------------------------------------------------------------------------


def test_the_province_sees_every_kabupaten_kota_and_reviews(
    jatim, malang, office_of, submitted, django_capture_on_commit_callbacks, mailoutbox
):
    province = office_of(jatim)
    c = client(jatim, province.user)
    overview = c.get(url("province"), {"year": 2026, "semester": 1})
    assert overview.status_code == 200
    text = overview.content.decode()
    # East Java's 38 kabupaten/kota from the registry, on the platform or not.
    assert text.count("<td>not on the platform</td>") == 36
    for name in ("Kota Malang", "Kabupaten Sidoarjo", "Kota Batu", "Kabupaten Pacitan"):
        assert name.removeprefix("Kabupaten ") in text
    assert c.get(url("province_submission", submitted.pk)).status_code == 200
    assert c.get(url("province_file", submitted.pk, "xlsx")).status_code == 200
    assert c.post(url("province_return", submitted.pk), {"reason": ""}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        returned = c.post(url("province_return", submitted.pk), {"reason": "Lampiran kurang"})
    assert returned.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == State.RETURNED
    region_office = submitted.submitted_by.email
    assert any(region_office in m.to and "Lampiran kurang" in m.body for m in mailoutbox)
    # Already decided: a second decision is a conflict.
    assert c.post(url("province_accept", submitted.pk)).status_code == 409


def test_another_province_and_the_wrong_role_are_refused(jatim, kalbar, office_of, submitted):
    kalbar_office = office_of(kalbar)
    c = client(kalbar, kalbar_office.user)
    assert c.get(url("province_submission", submitted.pk)).status_code == 404
    assert c.get(url("province_file", submitted.pk, "pdf")).status_code == 404
    assert c.post(url("province_accept", submitted.pk)).status_code == 404
    page = c.get(url("province"), {"year": 2026, "semester": 1}).content.decode()
    assert "Kota Malang" not in page and "Singkawang" in page
    # The province's TKKSD reads its regions' reports; only the office decides.
    tkksd = client(jatim, office_of(jatim, Role.TKKSD).user)
    assert tkksd.get(url("province"), {"year": 2026, "semester": 1}).status_code == 200
    assert tkksd.get(url("province_submission", submitted.pk)).status_code == 200
    assert tkksd.post(url("province_accept", submitted.pk)).status_code == 403
    assert tkksd.post(url("province_compile", 2026, 1), LETTER).status_code == 403
    opd = client(jatim, office_of(jatim, Role.OPD).user)
    assert opd.get(url("province_submission", submitted.pk)).status_code == 403
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED


def test_without_the_second_factor_the_province_gets_nothing(jatim, office_of, submitted):
    c = client(jatim, office_of(jatim).user, mfa=False)
    response = c.get(url("province_submission", submitted.pk))
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "/akun/2fa/" in response["Location"] or "/akun/" in response["Location"]
    assert c.post(url("province_accept", submitted.pk)).status_code in (302, 403)
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED


def test_anonymous_is_sent_to_sign_in(jatim, submitted):
    from django.test import Client

    c = Client(HTTP_HOST=jatim.get_primary_domain().domain)
    response = c.get(url("province_submission", submitted.pk))
    assert response.status_code == 302


def test_the_province_enters_a_paper_report_and_compiles(jatim, office_of, submitted):
    province = office_of(jatim)
    c = client(jatim, province.user)
    paper = url("province_paper", "35.15", 2026, 1)
    assert c.get(paper).status_code == 200
    data = {
        **LETTER,
        "place": "Sidoarjo",
        "n_ksdpk_in_force": "4",
        "n_ksdd_sukarela_in_process": "1",
        "scanned_letter": scan(),
    }
    assert c.post(paper, data).status_code == 302
    entered = Submission.objects.get(region_id="35.15")
    assert (entered.source, entered.state, entered.figures["total"]) == (
        Source.PAPER,
        State.ACCEPTED,
        5,
    )
    # Kota Malang is on the platform: no paper report for it.
    on_platform = c.post(
        url("province_paper", "35.73", 2026, 1), {**data, "scanned_letter": scan()}
    )
    assert on_platform.status_code == 409
    # Another province's region: not found.
    assert c.get(url("province_paper", "61.72", 2026, 1)).status_code == 404
    actions.accept_submission(membership=province, submission=submitted)
    compiled = c.post(url("province_compile", 2026, 1), {**LETTER, "place": "Surabaya"})
    assert compiled.status_code == 302
    own = Submission.objects.get(level=Level.PROVINCE)
    assert own.figures["total"] == submitted.figures["total"] + 5
    assert sorted(own.includes.values_list("region_id", flat=True)) == ["35.15", "35.73"]
    assert len(own.missing) == 36
    assert c.get(url("submission", own.pk)).status_code == 200


def test_the_pages_speak_indonesian_first(jatim, malang, malang_office, office_of, submitted):
    province = client(jatim, office_of(jatim).user)
    province.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    page = province.get(url("province"), {"year": 2026, "semester": 1}).content.decode()
    assert "Laporan kabupaten/kota" in page and "belum di platform" in page
    assert "Dikirim tepat waktu" in page
    region = client(malang, malang_office.user)
    region.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    mine = region.get(url("submission", submitted.pk)).content.decode()
    assert "Berkas sebagaimana dikirim" in mine and "Kirim koreksi" in mine


BELL = "Malang\u0007"


def test_a_control_character_in_any_letter_is_refused_not_a_server_error(
    jatim, malang, malang_office, office_of, submitted
):
    """The letter's texts and the reasons go into the frozen XLSX, which cannot hold control
    characters: every form says so (400 and the message), and nothing is written."""
    region = client(malang, malang_office.user)
    province = client(jatim, office_of(jatim).user)
    before = Submission.objects.count()
    posts = [
        (region, url("submit", 2026, 1), {**LETTER, "place": BELL}),
        (region, url("correct", submitted.pk), {**LETTER, "reason": f"Salah {BELL}"}),
        (region, url("correct", submitted.pk), {**LETTER, "signatory_name": BELL}),
        (province, url("province_return", submitted.pk), {"reason": BELL}),
        (
            province,
            url("province_paper", "35.15", 2026, 1),
            {**LETTER, "number": BELL, "n_ksdpk_in_force": "4", "scanned_letter": scan()},
        ),
        (province, url("province_compile", 2026, 1), {**LETTER, "signatory_position": BELL}),
    ]
    for c, address, data in posts:
        response = c.post(address, data)
        assert response.status_code == 400, address
        assert b"Remove the control characters from this text." in response.content, address
    assert Submission.objects.count() == before
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED
