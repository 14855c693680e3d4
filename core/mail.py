"""E-mail goes out from the background worker, only after the transaction that caused it commits."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task


@task()
def send_email_task(subject: str, body: str, recipients: list[str]) -> int:
    return send_mail(subject, body, None, recipients, fail_silently=False)


def send_templated_email_on_commit(template: str, context: dict, recipients: list[str]) -> None:
    """Render `<template>_subject.txt` and `<template>_body.txt` now and enqueue the e-mail once
    the surrounding transaction commits. E-mail is in the platform's language (Bahasa Indonesia),
    whatever language the person who triggered it was using."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_body.txt", context)
    transaction.on_commit(lambda: send_email_task.enqueue(subject, body, list(recipients)))
