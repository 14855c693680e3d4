"""Who reads an agreement besides the whole register's readers: its areas (those who edit it)
and its DPRD dossier (the office gives and withdraws it); and the stages' labels on the
register's settings page. Views shape input and output; scope.py and stages.py decide and write.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agreements.monitoring import selectors as monitoring_selectors
from agreements.monitoring.forms import ReminderSettingsForm
from agreements.register import scope, stages
from agreements.register.access import get_agreement_for
from agreements.register.forms import AreasForm, DossierForm, StageLabelsForm
from cooperation.policy import AgreementPerm
from core.form_actions import run, submit
from tenants.decorators import workspace_view


@workspace_view(AgreementPerm.EDIT_AGREEMENTS)
def agreement_areas(request, pk: int):
    agreement = get_agreement_for(request.membership, pk)
    form = AreasForm(
        request.POST or None,
        initial={"areas": agreement.areas},
        areas=scope.areas_of(request.tenant.region),
    )
    submitted = submit(
        request,
        form,
        lambda data: scope.set_areas(
            membership=request.membership, agreement=agreement, codes=data["areas"]
        ),
    )
    if submitted.done:
        messages.success(request, _("The areas were saved."))
        return redirect("agreements:detail", pk=agreement.pk)
    return render(
        request,
        "agreements/areas.html",
        {"agreement": agreement, "cooperation": agreement.cooperation, "form": form},
        status=submitted.status,
    )


@workspace_view(AgreementPerm.SHARE_DOSSIERS)
def agreement_dossier(request, pk: int):
    """Who holds the agreement's DPRD dossier; give it to another viewer."""
    agreement = get_agreement_for(request.membership, pk)
    form = DossierForm(
        request.POST or None, candidates=scope.dossier_candidates(agreement, request.tenant)
    )
    submitted = submit(
        request,
        form,
        lambda data: scope.give_dossier(
            membership=request.membership, agreement=agreement, member=data["member"]
        ),
    )
    if submitted.done:
        messages.success(request, _("The dossier was given; they were e-mailed a link."))
        return redirect("agreements:dossier", pk=agreement.pk)
    return render(
        request,
        "agreements/dossier.html",
        {
            "agreement": agreement,
            "cooperation": agreement.cooperation,
            "holders": scope.dossier_holders(agreement, request.tenant),
            "form": form,
        },
        status=submitted.status,
    )


@workspace_view(AgreementPerm.SHARE_DOSSIERS)
@require_POST
def agreement_dossier_withdraw(request, pk: int, member_pk: int):
    agreement = get_agreement_for(request.membership, pk)
    scope.withdraw_dossier(membership=request.membership, agreement=agreement, member_pk=member_pk)
    messages.success(request, _("The dossier was withdrawn."))
    return redirect("agreements:dossier", pk=agreement.pk)


def settings_context(*, reminder_form=None, stage_form=None) -> dict:
    """The register's settings page: the reminder days and the stages' labels, each its own
    form (agreements/monitoring/views.py.reminder_settings shows it too)."""
    if reminder_form is None:
        current = monitoring_selectors.reminder_settings()
        reminder_form = ReminderSettingsForm(
            initial={
                "expiry_days": current.expiry_days,
                "grace_days": current.monitoring_grace_days,
            }
        )
    if stage_form is None:
        stage_form = StageLabelsForm(initial=stages.custom_labels())
    return {"form": reminder_form, "stage_form": stage_form, "stage_choices": stages.choices()}


@workspace_view(AgreementPerm.CONFIGURE_AGREEMENTS)
@require_POST
def stage_labels(request):
    form = StageLabelsForm(request.POST)
    submitted = run(
        form,
        lambda data: stages.update_stage_labels(
            membership=request.membership, labels={value: data[value] for value in form.fields}
        ),
    )
    if submitted.done:
        messages.success(request, _("The stages' labels were saved."))
        return redirect("agreements:reminder_settings")
    return render(
        request,
        "agreements/monitoring/settings.html",
        settings_context(stage_form=form),
        status=submitted.status,
    )
