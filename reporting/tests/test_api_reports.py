"""The semester report over the API (reporting/api.py): a token of the region's office submits
through the same action as the page; another region's token, a token on another region's
subdomain, the wrong role and no token are refused in the API's error shape; the schema lists
the endpoint."""

from __future__ import annotations

import pytest

from api.tests.conftest import api, assert_error, token_of
from reporting.models import Level, State, Submission
from tenants.models import Role

from .conftest import fill_register

pytestmark = pytest.mark.django_db

MALANG, BATU = "kota-malang.localhost", "kota-batu.localhost"
LETTER = {
    "year": 2026,
    "half": 1,
    "number": "050/77/35.73.112/2026",
    "place": "Malang",
    "date": "2026-07-08",
    "signatory_name": "Dr. Ir. Erik Setyo Santoso",
    "signatory_position": "Sekretaris Daerah",
    "signatory_nip": "19700101 199003 1 001",
}


@pytest.fixture(autouse=True)
def _english_interface(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def office(malang, member, office_of):
    membership = office_of(malang)
    fill_register(malang, membership, signed=2, in_process=1)
    return membership.user


def test_the_office_submits_and_corrects_its_report(malang, office):
    client = api(MALANG, token_of(office, malang))
    response = client.post("/api/v1/semester-reports/", LETTER, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    submission = Submission.objects.get(pk=body["id"])
    assert (submission.region_id, submission.level, submission.state) == (
        "35.73",
        Level.REGION,
        State.SUBMITTED,
    )
    assert submission.signatory_nip == "197001011990031001"
    assert body["total"] == 3 == body["figures"]["total"]
    assert {f["kind"]: f["sha256"] for f in body["files"]} == {
        "pdf": submission.file("pdf").sha256,
        "xlsx": submission.file("xlsx").sha256,
    }
    # A second one is refused as the page refuses it; a correction with its reason passes.
    again = client.post("/api/v1/semester-reports/", LETTER, content_type="application/json")
    assert_error(again, 409, "reporting_already_submitted")
    corrected = client.post(
        "/api/v1/semester-reports/",
        {**LETTER, "supersedes": submission.pk, "reason": "Nomor surat salah."},
        content_type="application/json",
    )
    assert corrected.status_code == 201
    assert corrected.json()["supersedes"] == submission.pk
    listed = client.get("/api/v1/semester-reports/").json()
    assert [s["state"] for s in listed] == ["submitted", "superseded"]


def test_bad_input_is_refused_with_its_code_and_nothing_written(malang, office):
    client = api(MALANG, token_of(office, malang))
    bad_nip = client.post(
        "/api/v1/semester-reports/",
        {**LETTER, "signatory_nip": "123"},
        content_type="application/json",
    )
    error = assert_error(bad_nip, 400, "nip_length")
    assert "signatory_nip" in error["fields"]
    # A control character cannot go into the frozen XLSX: refused, not a server error.
    bell = client.post(
        "/api/v1/semester-reports/", {**LETTER, "place": "\u0007"}, content_type="application/json"
    )
    assert "place" in assert_error(bell, 400, "invalid_character")["fields"]
    missing = client.post("/api/v1/semester-reports/", {}, content_type="application/json")
    assert_error(missing, 400)
    not_over = client.post(
        "/api/v1/semester-reports/", {**LETTER, "year": 2099}, content_type="application/json"
    )
    assert_error(not_over, 409, "reporting_semester_not_over")
    assert not Submission.objects.exists()


def test_other_regions_wrong_roles_and_no_token_are_refused(malang, batu, office, member):
    # Kota Batu's office on Kota Malang's subdomain: not found, as the pages answer.
    batu_office = member(batu, Role.ADMIN)
    elsewhere = api(MALANG, token_of(batu_office, batu))
    assert_error(
        elsewhere.post("/api/v1/semester-reports/", LETTER, content_type="application/json"),
        404,
        "not_found",
    )
    assert_error(elsewhere.get("/api/v1/semester-reports/"), 404, "not_found")
    # Kota Malang's token on Kota Batu's subdomain: not found either.
    assert_error(
        api(BATU, token_of(office, malang)).post(
            "/api/v1/semester-reports/", LETTER, content_type="application/json"
        ),
        404,
    )
    # The wrong role: the TKKSD reads the states, does not submit; a viewer neither.
    tkksd = api(MALANG, token_of(member(malang, Role.TKKSD), malang))
    assert_error(
        tkksd.post("/api/v1/semester-reports/", LETTER, content_type="application/json"),
        403,
        "permission_denied",
    )
    assert tkksd.get("/api/v1/semester-reports/").status_code == 200
    viewer = api(MALANG, token_of(member(malang, Role.VIEWER), malang))
    assert_error(viewer.get("/api/v1/semester-reports/"), 403)
    # No token.
    assert_error(
        api(MALANG).post("/api/v1/semester-reports/", LETTER, content_type="application/json"),
        401,
        "not_authenticated",
    )
    assert not Submission.objects.exists()


def test_the_schema_describes_it(malang):
    schema = api(MALANG).get("/api/v1/schema/")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    operation = paths["/api/v1/semester-reports/"]["post"]
    assert operation["tags"] == ["reporting"]
    assert operation["security"] == [{"token": []}]
    assert "201" in operation["responses"]
