"""Retention (only what is due is deleted), the staff reminder (once), the record of processing
(covers every personal field of the code; the operator's document equals the code's) and the
breach notice (the people affected per region, nobody else)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import models
from django.utils import timezone

from conftest import UserFactory
from privacy import record, registry, requests, retention
from privacy.models import DataRequest, RequestKind
from tenants.models import AuditEvent, Membership, RegionApplication, Role

from .test_rights import _application

pytestmark = pytest.mark.django_db


def test_retention_deletes_only_the_letters_that_are_due(settings, client_for, staff_user):
    settings.JEJARING_REJECTED_LETTER_RETENTION_DAYS = 90
    person = UserFactory()
    due = _application(person, status="rejected", reviewed_days_ago=91, code="35.78")
    recent = _application(person, status="rejected", reviewed_days_ago=89, code="35.15")
    approved = _application(person, status="approved", reviewed_days_ago=400, code="35.07")
    pending = _application(person, code="35.08")
    due_file = due.letter.name

    assert retention.delete_rejected_letters() == 1
    assert not default_storage.exists(due_file)
    # Staff asking for the deleted letter get "not found", not an error.
    response = client_for(None, staff_user).get(f"/platform/permohonan/{due.pk}/surat/")
    assert response.status_code == 404
    for kept in (recent, approved, pending):
        kept.refresh_from_db()
        assert kept.letter and default_storage.exists(kept.letter.name)
    # The application's row stays, and the deletion is in the platform's history, once.
    assert RegionApplication.objects.filter(pk=due.pk).exists()
    assert retention.delete_rejected_letters() == 0
    assert AuditEvent.objects.filter(action="privacy.letter_deleted").count() == 1


def test_staff_are_reminded_once_before_the_time_runs_out(staff_user, settings):
    settings.JEJARING_PRIVACY_REMINDER_HOURS = 24
    person = UserFactory()
    soon = DataRequest.objects.create(user=person, kind=RequestKind.ERASURE)
    DataRequest.objects.filter(pk=soon.pk).update(
        due_at=timezone.now() + datetime.timedelta(hours=10)
    )
    later = DataRequest.objects.create(user=person, kind=RequestKind.CORRECTION)  # 72 h left
    answered = DataRequest.objects.create(user=person, kind=RequestKind.RESTRICTION, state="done")
    DataRequest.objects.filter(pk=answered.pk).update(due_at=timezone.now())
    mail.outbox.clear()
    assert requests.remind_due() == 1
    assert requests.remind_due() == 0  # the next hour: nothing again
    soon.refresh_from_db()
    later.refresh_from_db()
    assert soon.reminded_at is not None and later.reminded_at is None


def test_the_reminder_email_goes_to_staff_after_the_commit(
    staff_user, django_capture_on_commit_callbacks
):
    person = UserFactory()
    soon = DataRequest.objects.create(user=person, kind=RequestKind.ERASURE)
    DataRequest.objects.filter(pk=soon.pk).update(
        due_at=timezone.now() + datetime.timedelta(hours=1)
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        requests.remind_due()
    with django_capture_on_commit_callbacks(execute=True):
        requests.remind_due()
    assert [m.to for m in mail.outbox] == [[staff_user.email]]
    assert f"#{soon.pk}" in mail.outbox[0].body


# A field named as personal data: an e-mail address, a phone number, a NIP, a person's name.
PERSONAL = re.compile(r"(^|_)(email|phone|nip)$|signatory_name|contact_name|full_name")


def _project_models():
    base = str(settings.BASE_DIR)
    for model in apps.get_models():
        path = str(model._meta.app_config.path)
        if path.startswith(base) and ".venv" not in path:
            yield model


def test_the_record_lists_every_field_of_the_code_that_holds_personal_data():
    listed = registry.listed_fields()
    missing = []
    for model in _project_models():
        # Its own fields: those a project model inherits (Wagtail's Page) are listed by their
        # declaring model, which the next test checks exists.
        for field in model._meta.local_concrete_fields:
            links_a_person = (
                isinstance(field, models.ForeignKey)
                and field.related_model._meta.label == settings.AUTH_USER_MODEL
            )
            named = PERSONAL.search(field.name) or isinstance(field, models.EmailField)
            label = f"{model._meta.label}.{field.name}"
            if (links_a_person or named) and label not in listed:
                missing.append(label)
    assert missing == [], f"Add these to a kind in privacy/registry.py: {missing}"


def test_every_field_the_record_names_exists():
    installed = {config.label for config in apps.get_app_configs()}
    for name in registry.listed_fields():
        app_label, model_name, field_name = name.split(".")
        if app_label not in installed:
            continue  # a feature not installed in this configuration
        model = apps.get_model(app_label, model_name)
        model._meta.get_field(field_name)


def test_the_operators_document_is_the_codes_record():
    assert record.path().read_text() == record.render(), (
        "docs/privacy-record.md is out of date: run manage.py privacy_record --write"
    )


def test_breach_notice_lists_the_people_affected_per_region_and_drafts_both_notices(
    malang, batu, member, tmp_path
):
    ani = member(malang, Role.VIEWER)
    budi = member(batu, Role.VIEWER)
    Membership.objects.create(user=budi, tenant=malang, role=Role.OPD)
    applicant = UserFactory()
    _application(applicant)
    bystander = UserFactory()  # no application: not affected by a leak of applications
    call_command(
        "breach_notice",
        "--since",
        "2026-01-01",
        "--until",
        (timezone.now() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "--kinds",
        "application,membership",
        "--what",
        "Cadangan basis data terbuka untuk umum.",
        "--output",
        str(tmp_path),
    )
    rows = (tmp_path / "affected.csv").read_text().splitlines()
    assert f"{malang.name},{ani.email}" in rows and f"{malang.name},{budi.email}" in rows
    assert f"{batu.name},{budi.email}" in rows
    assert f"(platform),{applicant.email}" in rows
    assert not any(bystander.email in row for row in rows)
    person = (tmp_path / "notice-person.txt").read_text()
    authority = (tmp_path / "notice-authority.txt").read_text()
    for text in (person, authority):
        assert "Cadangan basis data terbuka untuk umum." in text
        assert str(registry.kind("application").label) in text or "application" in text.lower()
        assert settings.JEJARING_CONTACT_EMAIL in text
    assert "Yang dapat Anda lakukan" in person
    assert f"{malang.name}: " in authority


def test_breach_notice_refuses_an_unknown_kind():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command(
            "breach_notice",
            "--since",
            "2026-01-01",
            "--until",
            "2026-01-02",
            "--kinds",
            "passwords",
        )
