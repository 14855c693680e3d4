"""Submitting, correcting, returning, accepting, paper reports: the actions and their rules."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django_tenants.utils import tenant_context
from openpyxl import load_workbook
from pypdf import PdfReader

from core.errors import Conflict, Forbidden, NotFound
from reporting import actions
from reporting.errors import ReportingError
from reporting.models import Level, Source, State, Submission
from tenants.models import AuditEvent, Region, Role, TenantStatus

from .conftest import H1, LATE, TODAY, fill_register, letter, scan

pytestmark = pytest.mark.django_db


@pytest.fixture
def malang_office(malang, office_of):
    office = office_of(malang)
    fill_register(malang, office, signed=2, in_process=1)
    return office


def submit(office, **kwargs):
    return actions.submit_report(
        membership=office, semester=H1, letter=kwargs.pop("letter", letter()), today=TODAY, **kwargs
    )


def test_submitting_freezes_the_report_as_it_stands(malang, malang_office, jatim, office_of):
    province_office = office_of(jatim)
    submission = submit(malang_office)
    assert (submission.region_id, submission.province_id) == ("35.73", "35")
    assert (submission.level, submission.source, submission.state) == (
        Level.REGION,
        Source.PLATFORM,
        State.SUBMITTED,
    )
    assert submission.late is False
    assert submission.figures["total"] == 3
    assert submission.figures["by_kind_status"]["ksdd_sukarela"] == {
        "in_process": 1,
        "in_force": 2,
        "ended": 0,
        "rejected": 0,
    }
    assert submission.figures["by_urusan"] == {"1.03": 3, "2.15": 3}
    assert sorted(r["title"] for r in submission.agreements) == [
        "KSB Kota Malang 0",
        "KSB Kota Malang 1",
        "Rancangan Kota Malang 0",
    ]
    xlsx, pdf = submission.file("xlsx"), submission.file("pdf")
    assert xlsx.sha256 == hashlib.sha256(bytes(xlsx.content)).hexdigest()
    assert pdf.sha256 == hashlib.sha256(bytes(pdf.content)).hexdigest()
    sheet = load_workbook(io.BytesIO(bytes(xlsx.content))).active
    assert "050/123/35.73.112/2026" in [c.value for row in sheet.iter_rows() for c in row]
    text = PdfReader(io.BytesIO(bytes(pdf.content))).pages[0].extract_text()
    assert "Gubernur Jawa Timur" in text and "PEMERINTAH KOTA MALANG" in text
    # Later changes to the register do not change what was submitted.
    with tenant_context(malang):
        fill_register(malang, malang_office, signed=0, in_process=2)
    submission.refresh_from_db()
    assert submission.figures["total"] == 3
    event = AuditEvent.objects.get(action="report.submitted")
    assert event.tenant == malang and event.data["total"] == 3
    assert province_office.user.email  # told by e-mail: see test_emails


def test_a_second_submission_is_refused_a_correction_supersedes_with_a_reason(
    malang, malang_office, jatim
):
    first = submit(malang_office)
    with pytest.raises(Conflict) as refused:
        submit(malang_office)
    assert refused.value.code == ReportingError.ALREADY_SUBMITTED
    with pytest.raises(ValidationError):
        submit(malang_office, supersedes=first, reason="  ")
    with tenant_context(malang):
        fill_register(malang, malang_office, signed=0, in_process=1)
    second = submit(malang_office, supersedes=first, reason="Satu rancangan terlewat")
    first.refresh_from_db()
    assert first.state == State.SUPERSEDED
    assert second.supersedes == first and second.figures["total"] == 4
    assert second.correction_reason == "Satu rancangan terlewat"
    # Correcting a report that is no longer the current one is refused.
    with pytest.raises(Conflict) as stale:
        submit(malang_office, supersedes=first, reason="lagi")
    assert stale.value.code == ReportingError.NOT_CURRENT
    assert Submission.objects.filter(region_id="35.73").current().count() == 1


def test_the_database_keeps_one_current_report_per_semester(malang, malang_office, jatim):
    first = submit(malang_office)
    clone = Submission.objects.filter(pk=first.pk).values()[0]
    clone.pop("id")
    with pytest.raises(IntegrityError), transaction.atomic():
        Submission.objects.create(**clone)


def test_the_database_refuses_to_change_what_was_submitted(malang_office, jatim):
    submission = submit(malang_office)
    with pytest.raises(IntegrityError), transaction.atomic():
        Submission.objects.filter(pk=submission.pk).update(figures={"total": 99})
    with pytest.raises(IntegrityError), transaction.atomic():
        Submission.objects.filter(pk=submission.pk).update(number="palsu")
    pdf = submission.file("pdf")
    with pytest.raises(IntegrityError), transaction.atomic():
        type(pdf).objects.filter(pk=pdf.pk).update(content=b"%PDF-palsu")
    # The review's columns may change (that is how it is returned or accepted).
    Submission.objects.filter(pk=submission.pk).update(state=State.ACCEPTED)


def test_late_when_submitted_after_the_deadline(malang_office, jatim):
    submission = actions.submit_report(
        membership=malang_office, semester=H1, letter=letter(), today=LATE
    )
    assert submission.late is True
    assert str(submission.deadline) == "2026-07-15"


def test_the_semester_must_be_over(malang_office):
    with pytest.raises(Conflict) as refused:
        actions.submit_report(membership=malang_office, semester=H1, letter=letter(), today=H1.end)
    assert refused.value.code == ReportingError.SEMESTER_NOT_OVER


@pytest.mark.parametrize("role", [Role.TKKSD, Role.OPD, Role.VIEWER])
def test_only_the_office_submits(malang, office_of, role):
    with pytest.raises(Forbidden):
        submit(office_of(malang, role))
    assert not Submission.objects.exists()


def test_a_suspended_region_submits_nothing(malang, malang_office):
    tenant = malang_office.tenant  # the membership's own copy, as a request loads it
    tenant.status = TenantStatus.SUSPENDED
    tenant.save(update_fields=["status"])
    with pytest.raises(Forbidden):
        submit(malang_office)


# --- The province ---------------------------------------------------------------------------


def test_the_province_returns_with_a_reason_and_the_region_corrects(
    malang, malang_office, jatim, office_of
):
    province = office_of(jatim)
    submission = submit(malang_office)
    with pytest.raises(ValidationError):
        actions.return_submission(membership=province, submission=submission, reason=" ")
    returned = actions.return_submission(
        membership=province, submission=submission, reason="Nomor surat salah"
    )
    assert returned.state == State.RETURNED and returned.return_reason == "Nomor surat salah"
    assert returned.returned_by == province.user
    with pytest.raises(Conflict) as decided:
        actions.accept_submission(membership=province, submission=submission)
    assert decided.value.code == ReportingError.ALREADY_DECIDED
    corrected = submit(
        malang_office,
        supersedes=returned,
        reason="Nomor surat diperbaiki",
        letter=letter("050/124/35.73.112/2026"),
    )
    accepted = actions.accept_submission(membership=province, submission=corrected)
    assert accepted.state == State.ACCEPTED and accepted.accepted_by == province.user
    assert AuditEvent.objects.filter(tenant=jatim, action="report.returned").count() == 1
    assert AuditEvent.objects.filter(tenant=jatim, action="report.accepted").count() == 1
    # The region's own history shows the province's decisions too.
    returned_event = AuditEvent.objects.get(tenant=malang, action="report.returned")
    assert returned_event.actor == province.user
    assert returned_event.data["reason"] == "Nomor surat salah"
    assert AuditEvent.objects.filter(tenant=malang, action="report.accepted").count() == 1


def test_another_province_neither_reads_nor_decides(malang_office, jatim, kalbar, office_of):
    submission = submit(malang_office)
    other = office_of(kalbar)
    with pytest.raises(NotFound):
        actions.accept_submission(membership=other, submission=submission)
    with pytest.raises(NotFound):
        actions.return_submission(membership=other, submission=submission, reason="x")
    submission.refresh_from_db()
    assert submission.state == State.SUBMITTED


def test_a_region_of_the_same_province_does_not_decide(malang_office, batu, jatim, office_of):
    submission = submit(malang_office)
    with pytest.raises(NotFound):
        actions.accept_submission(membership=office_of(batu), submission=submission)


def test_the_provinces_tkksd_reads_but_does_not_decide(malang_office, jatim, office_of):
    from reporting.policy import can_read_as_province

    submission = submit(malang_office)
    assert can_read_as_province(office_of(jatim, Role.TKKSD), submission)
    assert not can_read_as_province(office_of(jatim, Role.OPD), submission)
    with pytest.raises(Forbidden):
        actions.accept_submission(membership=office_of(jatim, Role.TKKSD), submission=submission)


def test_paper_report_for_a_region_not_on_the_platform(jatim, office_of):
    province = office_of(jatim)
    sidoarjo = Region.objects.get(code="35.15")
    submission = actions.enter_paper_report(
        membership=province,
        region=sidoarjo,
        semester=H1,
        letter=letter("050/77/438.1.1/2026", place="Sidoarjo"),
        figures={"ksdd_sukarela": {"in_force": 3}, "ksdpk": {"in_process": 2, "ended": 1}},
        scanned_letter=scan(),
        today=TODAY,
    )
    assert (submission.source, submission.state, submission.tenant) == (
        Source.PAPER,
        State.ACCEPTED,
        None,
    )
    assert submission.figures["total"] == 6
    assert submission.figures["by_kind"]["ksdpk"] == 3
    assert submission.file("scan").content_type == "application/pdf"


def test_paper_reports_only_for_the_provinces_own_regions_off_the_platform(
    jatim, kalbar, office_of
):
    province = office_of(jatim)

    def enter(code, **changes):
        fields = {
            "membership": province,
            "region": Region.objects.get(code=code),
            "semester": H1,
            "letter": letter(),
            "figures": {"ksdpk": {"in_force": 1}},
            "scanned_letter": scan(),
            "today": TODAY,
        }
        fields.update(changes)
        return actions.enter_paper_report(**fields)

    with pytest.raises(NotFound):
        enter("61.72")  # Kota Singkawang: another province's
    with pytest.raises(Conflict) as on_platform:
        enter("35.73")  # Kota Malang is on the platform: it submits itself
    assert on_platform.value.code == ReportingError.ON_THE_PLATFORM
    with pytest.raises(ValidationError):
        enter("35.15", figures={"ksdpk": {"in_force": -1}})
    with pytest.raises(ValidationError):
        enter("35.15", figures={"ksdpk": {"signed": 1}})
    with pytest.raises(ValidationError):
        enter("35.15", scanned_letter=None)
    with pytest.raises(Forbidden):
        actions.enter_paper_report(
            membership=office_of(kalbar, Role.TKKSD),
            region=Region.objects.get(code="61.72"),
            semester=H1,
            letter=letter(),
            figures={},
            scanned_letter=scan(),
            today=TODAY,
        )
    assert not Submission.objects.exists()


def test_colliding_keys_the_province_sees_its_own_regions_only(
    malang, batu, malang_office, jatim, kalbar, office_of
):
    """Regions' schemas start their keys at the same value: nothing here filters by a region's
    own key, but the frozen rows' ids (public schema) are what a page names."""
    from reporting.policy import readable_as_province

    batu_office = office_of(batu)
    fill_register(batu, batu_office, signed=1, in_process=0)
    submit(malang_office)
    actions.submit_report(membership=batu_office, semester=H1, letter=letter(), today=TODAY)
    readable = readable_as_province(office_of(jatim), Submission.objects.all())
    assert sorted(readable.values_list("region_id", flat=True)) == ["35.73", "35.79"]
    assert not readable_as_province(office_of(kalbar), Submission.objects.all()).exists()
