"""The action plan, the monitoring reports, the notifications and the reminder settings on the
region's subdomain. Views shape input and output; monitoring.py decides and writes;
tenants.policy decides who may (the office for every agreement, OPD staff for their OPD's)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from agreements.models import ActionItem, MonitoringReport
from agreements.monitoring import actions as monitoring
from agreements.monitoring import selectors as monitoring_selectors
from agreements.monitoring.forms import ActionItemForm, MonitoringReportForm, ReminderSettingsForm
from agreements.policy import can_work_on_agreement
from agreements.register.access import get_agreement_for
from agreements.register.scope_views import settings_context
from cooperation.policy import AgreementPerm
from core.form_actions import perform, posted_version, submit
from tenants.decorators import workspace_view

PAGE_SIZE = 50


def _agreement_to_work_on(request, pk: int):
    """The agreement, for someone who may keep its action plan and reports (403 otherwise;
    404 for what they may not read at all)."""
    agreement = get_agreement_for(request.membership, pk)
    if not can_work_on_agreement(request.membership, agreement.responsible_opd):
        raise PermissionDenied
    return agreement


@workspace_view(AgreementPerm.MONITOR_AGREEMENTS)
def action_item_create(request, pk: int):
    agreement = _agreement_to_work_on(request, pk)
    form = ActionItemForm(request.POST or None, initial={"owner_opd": agreement.responsible_opd})
    del form.fields["version"]
    submitted = submit(
        request,
        form,
        lambda data: monitoring.add_action_item(
            membership=request.membership,
            agreement=agreement,
            activity=data["activity"],
            owner_opd=data["owner_opd"],
            due_on=data["due_on"],
            status=data["status"],
        ),
    )
    if submitted.done:
        messages.success(request, _("The item was added to the action plan."))
        return redirect("agreements:detail", pk=agreement.pk)
    return render(
        request,
        "agreements/monitoring/action_item_form.html",
        {"agreement": agreement, "cooperation": agreement.cooperation, "form": form},
        status=submitted.status,
    )


@workspace_view(AgreementPerm.MONITOR_AGREEMENTS)
def action_item_edit(request, pk: int, item_pk: int):
    agreement = _agreement_to_work_on(request, pk)
    item = get_object_or_404(ActionItem, pk=item_pk, agreement=agreement)
    initial = {
        "activity": item.activity,
        "owner_opd": item.owner_opd,
        "due_on": item.due_on,
        "status": item.status,
        "version": item.version,
    }
    form = ActionItemForm(request.POST or None, initial=initial)
    form.fields["version"].required = True
    submitted = submit(
        request,
        form,
        lambda data: monitoring.update_action_item(
            membership=request.membership,
            item=item,
            version=data["version"],
            activity=data["activity"],
            owner_opd=data["owner_opd"],
            due_on=data["due_on"],
            status=data["status"],
        ),
    )
    if submitted.done:
        messages.success(request, _("The action plan item was saved."))
        return redirect("agreements:detail", pk=agreement.pk)
    return render(
        request,
        "agreements/monitoring/action_item_form.html",
        {"agreement": agreement, "cooperation": agreement.cooperation, "form": form, "item": item},
        status=submitted.status,
    )


@workspace_view(AgreementPerm.MONITOR_AGREEMENTS)
@require_POST
def action_item_delete(request, pk: int, item_pk: int):
    agreement = _agreement_to_work_on(request, pk)
    item = get_object_or_404(ActionItem, pk=item_pk, agreement=agreement)
    version = posted_version(request)
    submitted = perform(
        request,
        lambda: monitoring.remove_action_item(
            membership=request.membership, item=item, version=version
        ),
    )
    if submitted.done:  # a refusal is told as a message on the agreement's page
        messages.success(request, _("The item was removed from the action plan."))
    return redirect("agreements:detail", pk=agreement.pk)


@workspace_view(AgreementPerm.MONITOR_AGREEMENTS)
def monitoring_create(request, pk: int):
    agreement = _agreement_to_work_on(request, pk)
    today = timezone.localdate()
    form = MonitoringReportForm(request.POST or None, today=today)
    submitted = submit(
        request,
        form,
        lambda data: monitoring.file_monitoring_report(
            membership=request.membership,
            agreement=agreement,
            period=data["period"],
            progress=data["progress"],
            problems=data["problems"],
            recommendation=data["recommendation"],
            today=today,
        ),
    )
    if submitted.done:
        messages.success(request, _("The monitoring report was filed."))
        return redirect(
            "agreements:monitoring_detail", pk=agreement.pk, report_pk=submitted.result.pk
        )
    return render(
        request,
        "agreements/monitoring/report_form.html",
        {
            "agreement": agreement,
            "cooperation": agreement.cooperation,
            "form": form,
            "items": monitoring_selectors.action_plan(agreement),
        },
        status=submitted.status,
    )


@workspace_view(AgreementPerm.VIEW_AGREEMENT_INTERNALS)
@require_GET
def monitoring_detail(request, pk: int, report_pk: int):
    agreement = get_agreement_for(request.membership, pk)
    report = get_object_or_404(MonitoringReport, pk=report_pk, agreement=agreement)
    return render(
        request,
        "agreements/monitoring/report_detail.html",
        {"agreement": agreement, "cooperation": agreement.cooperation, "report": report},
    )


@workspace_view(AgreementPerm.VIEW_AGREEMENT_INTERNALS)
@require_GET
def notifications(request):
    page = Paginator(monitoring_selectors.notifications(request.membership), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "agreements/monitoring/notifications.html", {"page": page})


@workspace_view(AgreementPerm.CONFIGURE_AGREEMENTS)
def reminder_settings(request):
    current = monitoring_selectors.reminder_settings()
    form = ReminderSettingsForm(
        request.POST or None,
        initial={"expiry_days": current.expiry_days, "grace_days": current.monitoring_grace_days},
    )
    submitted = submit(
        request,
        form,
        lambda data: monitoring.update_reminder_settings(
            membership=request.membership,
            expiry_days=data["expiry_days"],
            grace_days=data["grace_days"],
        ),
    )
    if submitted.done:
        messages.success(request, _("The reminder settings were saved."))
        return redirect("agreements:reminder_settings")
    # The same page names the stages (scope_views.stage_labels).
    return render(
        request,
        "agreements/monitoring/settings.html",
        settings_context(reminder_form=form),
        status=submitted.status,
    )
