"""Checks as the worker runs them (the child process, its limits, the stored result), the sweep,
and the office's acceptance of a flagged document."""

from __future__ import annotations

import hashlib
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import F
from django.utils import translation
from django_tenants.utils import schema_context

from core.errors import Conflict, Forbidden
from signatures import actions, checking, selectors, sources, tasks
from signatures.errors import SignatureError
from signatures.models import Acceptance, Check, State
from tenants.models import AuditEvent, Membership, Role

from . import pdfs


@pytest.fixture
def trust_roots(settings, tmp_path):
    """The test PKI's root installed as the only trust root."""
    folder = tmp_path / "roots"
    folder.mkdir()
    (folder / "uji-root.pem").write_bytes(pdfs.pki().root.cert_pem)
    settings.JEJARING_SIGNATURE_TRUST_ROOTS_DIR = str(folder)
    return folder


def store(tenant, content: bytes, name: str = "signed.pdf") -> tuple[str, str]:
    with schema_context(tenant.schema_name):
        stored = default_storage.save(f"agreements/signed/{name}", ContentFile(content))
    return hashlib.sha256(content).hexdigest(), stored


def checked(tenant, content: bytes, django_capture_on_commit_callbacks) -> Check:
    sha256, name = store(tenant, content)
    with django_capture_on_commit_callbacks() as callbacks:
        check = actions.request_check(sha256=sha256, schema=tenant.schema_name, name=name)
    assert check.state == State.PENDING
    assert len(callbacks) == 1  # the validation is enqueued after the commit, not run now
    return checking.perform(check.pk)


def test_a_check_runs_in_the_worker_and_is_stored_once(
    malang, batu, trust_roots, django_capture_on_commit_callbacks
):
    content = pdfs.both_parties()
    check = checked(malang, content, django_capture_on_commit_callbacks)
    assert check.state == State.DONE and check.verdict == "verified"
    assert [s["signer"]["name"] for s in check.signatures] == [
        "Wali Kota Malang (test)",
        "Wali Kota Batu (test)",
    ]
    # The same bytes uploaded by the other party: the same answer, not checked again.
    sha256, name = store(batu, content)
    with django_capture_on_commit_callbacks() as callbacks:
        again = actions.request_check(sha256=sha256, schema=batu.schema_name, name=name)
    assert again.pk == check.pk and callbacks == []
    status = selectors.status_for(sha256)
    assert status.verdict == "verified" and not status.flagged and not status.stale


def test_a_check_over_the_time_limit_is_stopped(
    malang, trust_roots, settings, django_capture_on_commit_callbacks
):
    settings.JEJARING_SIGNATURE_TIME_LIMIT = 0.05
    started = time.monotonic()
    check = checked(malang, pdfs.signed(), django_capture_on_commit_callbacks)
    assert time.monotonic() - started < 5
    assert check.state == State.FAILED and check.error_code == checking.TIMED_OUT
    assert selectors.status_for(check.sha256).flagged


def test_a_huge_object_stream_fails_in_the_child_not_the_worker(
    malang, trust_roots, settings, django_capture_on_commit_callbacks
):
    settings.JEJARING_SIGNATURE_MEMORY_MB = 512
    check = checked(malang, pdfs.inflation_bomb(300), django_capture_on_commit_callbacks)
    assert check.state == State.FAILED and check.error_code == "too_complex"


@pytest.mark.parametrize(
    ("make", "code"),
    [(pdfs.broken_xref, "unreadable"), (pdfs.encrypted, "encrypted")],
    ids=["broken-xref", "encrypted"],
)
def test_hostile_files_are_recorded_with_their_reason(
    malang, trust_roots, make, code, django_capture_on_commit_callbacks
):
    check = checked(malang, make(), django_capture_on_commit_callbacks)
    assert check.state == State.FAILED and check.error_code == code
    with translation.override("en"):
        label = selectors.status_for(check.sha256).verdict_label
    assert "damaged" in label or code == "encrypted"


def test_a_file_that_no_longer_matches_its_fingerprint_is_not_checked(
    malang, trust_roots, django_capture_on_commit_callbacks
):
    _sha, name = store(malang, pdfs.signed())
    check = actions.request_check(sha256="0" * 64, schema=malang.schema_name, name=name)
    assert checking.perform(check.pk).error_code == checking.FILE_CHANGED


def test_new_roots_show_the_old_result_as_stale_until_the_sweep_rechecks(
    malang, trust_roots, settings, tmp_path, django_capture_on_commit_callbacks
):
    check = checked(malang, pdfs.signed(), django_capture_on_commit_callbacks)
    # A source of documents as a feature registers one (here: the file just checked).
    sources.register(
        "test",
        lambda: Check.objects.filter(pk=check.pk)
        .annotate(schema=F("source_schema"), name=F("source_name"))
        .values("sha256", "schema", "name"),
    )
    try:
        # The operator removes every root: the result shown is the old one, marked stale.
        empty = tmp_path / "empty"
        empty.mkdir()
        settings.JEJARING_SIGNATURE_TRUST_ROOTS_DIR = str(empty)
        status = selectors.status_for(check.sha256)
        assert status.stale and status.verdict == "verified"
        with django_capture_on_commit_callbacks() as callbacks:
            assert tasks.sweep() == 1
        assert len(callbacks) == 1
        new = Check.objects.get(sha256=check.sha256, roots="none")
        assert checking.perform(new.pk).verdict == "unverified"
        status = selectors.status_for(check.sha256)
        assert status.verdict == "unverified" and not status.stale
        with django_capture_on_commit_callbacks():
            assert tasks.sweep() == 0  # idempotent
    finally:
        sources._SOURCES.pop("test", None)


# --- The office's acceptance --------------------------------------------------------------------


def flagged(malang, django_capture_on_commit_callbacks) -> Check:
    check = checked(malang, pdfs.untrusted(), django_capture_on_commit_callbacks)
    assert check.verdict == "untrusted"
    return check


def test_the_office_accepts_a_flagged_document_with_a_reason(
    malang, member, trust_roots, django_capture_on_commit_callbacks
):
    check = flagged(malang, django_capture_on_commit_callbacks)
    admin = Membership.objects.get(user=member(malang, Role.ADMIN), tenant=malang)
    acceptance = actions.accept_signature(
        membership=admin, sha256=check.sha256, reason="Verified by phone", document="PKS"
    )
    assert acceptance.problem == "untrusted" and acceptance.tenant_id == malang.pk
    event = AuditEvent.objects.get(action="signature.accepted")
    assert event.tenant_id == malang.pk and event.data["reason"] == "Verified by phone"
    status = selectors.status_for(check.sha256)
    assert status.accepted_by(malang.pk) == acceptance
    with pytest.raises(Conflict) as twice:
        actions.accept_signature(membership=admin, sha256=check.sha256, reason="again")
    assert twice.value.code == SignatureError.ALREADY_ACCEPTED


@pytest.mark.parametrize("role", [Role.TKKSD, Role.OPD, Role.VIEWER])
def test_other_roles_cannot_accept(
    malang, member, role, trust_roots, django_capture_on_commit_callbacks
):
    check = flagged(malang, django_capture_on_commit_callbacks)
    someone = Membership.objects.get(user=member(malang, role, opd="Bappeda"), tenant=malang)
    with pytest.raises(Forbidden):
        actions.accept_signature(membership=someone, sha256=check.sha256, reason="ok")
    assert not Acceptance.objects.exists()


def test_acceptance_is_per_region(
    malang, batu, member, trust_roots, django_capture_on_commit_callbacks
):
    """Another region's acceptance is its own: it neither counts for nor blocks this one."""
    check = flagged(malang, django_capture_on_commit_callbacks)
    other = Membership.objects.get(user=member(batu, Role.ADMIN), tenant=batu)
    actions.accept_signature(membership=other, sha256=check.sha256, reason="Batu's call")
    status = selectors.status_for(check.sha256)
    assert status.accepted_by(malang.pk) is None and status.accepted_by(batu.pk) is not None
    admin = Membership.objects.get(user=member(malang, Role.ADMIN), tenant=malang)
    actions.accept_signature(membership=admin, sha256=check.sha256, reason="Malang's call")
    assert Acceptance.objects.count() == 2


def test_nothing_to_accept_while_checking_or_when_verified(
    malang, member, trust_roots, django_capture_on_commit_callbacks
):
    admin = Membership.objects.get(user=member(malang, Role.ADMIN), tenant=malang)
    sha256, name = store(malang, pdfs.signed())
    actions.request_check(sha256=sha256, schema=malang.schema_name, name=name)
    with pytest.raises(Conflict) as pending:
        actions.accept_signature(membership=admin, sha256=sha256, reason="ok")
    assert pending.value.code == SignatureError.BEING_CHECKED
    checking.perform(Check.objects.get(sha256=sha256).pk)
    with pytest.raises(Conflict) as verified:
        actions.accept_signature(membership=admin, sha256=sha256, reason="ok")
    assert verified.value.code == SignatureError.NOT_FLAGGED
    check = flagged(malang, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError) as no_reason:
        actions.accept_signature(membership=admin, sha256=check.sha256, reason="  ")
    assert no_reason.value.error_dict["reason"][0].code == SignatureError.REASON_REQUIRED
