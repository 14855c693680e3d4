"""Reporting's e-mails, sent after the commit (core.mail), never to the person who acted.

- a region's report submitted (or corrected): the province's office, if the province is on
  the platform;
- returned (with the reason) or accepted: the region's office;
- a province's compilation submitted: the Ministry's readers (`ministry_recipients`, set by the
  national side, reporting/national*.py: a function returning their addresses) and the
  province's other administrators;
- reminders (reporting/reminders.py): the region's office.
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from core.hosts import tenant_url
from core.mail import send_templated_email_on_commit
from tenants.models import Membership, Role, Tenant

from .models import Submission

# The Ministry's readers' addresses; the national side replaces this from its ready().
ministry_recipients: Callable[[], list[str]] = list


def office_emails(tenant: Tenant | None, *, actor=None) -> list[str]:
    if tenant is None:
        return []
    emails = set(
        Membership.objects.filter(tenant=tenant, role=Role.ADMIN, user__is_active=True).values_list(
            "user__email", flat=True
        )
    )
    emails.discard(getattr(actor, "email", None))
    return sorted(e for e in emails if e)


def province_tenant(submission: Submission) -> Tenant | None:
    return Tenant.objects.live().filter(region_id=submission.province_id).first()


def region_tenant(submission: Submission) -> Tenant | None:
    if submission.tenant_id is None:
        return None
    return Tenant.objects.live().filter(pk=submission.tenant_id).first()


def _link(tenant: Tenant, name: str, *args) -> str:
    return tenant_url(tenant, reverse(f"reporting:{name}", args=args, urlconf="portal.urls_tenant"))


def submitted(submission: Submission, *, actor) -> None:
    province = province_tenant(submission)
    recipients = office_emails(province, actor=actor)
    if province is None or not recipients:
        return
    send_templated_email_on_commit(
        "reporting/email/submitted",
        {
            "submission": submission,
            "region": submission.region.full_name,
            "period": submission.semester.label,
            "url": _link(province, "province_submission", submission.pk),
        },
        recipients,
    )


def decided(submission: Submission, *, actor) -> None:
    """Returned (with the reason) or accepted: the region's office hears of it."""
    region = region_tenant(submission)
    recipients = office_emails(region, actor=actor)
    if region is None or not recipients:
        return
    send_templated_email_on_commit(
        f"reporting/email/{submission.state}",
        {
            "submission": submission,
            "province": submission.province.full_name,
            "period": submission.semester.label,
            "url": _link(region, "submission", submission.pk),
        },
        recipients,
    )


def compiled(submission: Submission, *, actor) -> None:
    recipients = set(ministry_recipients())
    recipients.update(office_emails(submission.tenant, actor=actor))
    recipients.discard(getattr(actor, "email", None))
    if not recipients:
        return
    send_templated_email_on_commit(
        "reporting/email/compiled",
        {
            "submission": submission,
            "province": submission.region.full_name,
            "period": submission.semester.label,
        },
        sorted(recipients),
    )
