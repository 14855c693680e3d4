"""Who reads an agreement besides the whole register's readers: its areas (those who edit it)
and its DPRD dossier (the office gives and withdraws it); and the stages' labels on the
register's settings page. Views shape input and output; scope.py and stages.py decide and write.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agreements.monitoring import selectors as monitoring_selectors
from agreements.monitoring.forms import ReminderSettingsForm
from agreements.register import scope, stages
from agreements.register.access import get_agreement_for
from agreements.register.forms import AreasForm, DossierForm, StageLabelsForm
from cooperation.policy import AgreementPerm
from core.errors import DomainError, add_to_form
from tenants.decorators import workspace_view


def _submit(request, form, act, success: str, *, to: str, **to_kwargs):
    """A POST of `form`: `act(cleaned_data)` when it is valid, the action's refusal on the form
    otherwise. Returns (a redirect after success or None, the status of the page)."""
    if request.method != "POST":
        return None, 200
    if not form.is_valid():
        return None, 400
    try:
        act(form.cleaned_data)
    except (ValidationError, DomainError) as exc:
        add_to_form(form, exc)
        return None, getattr(exc, "status", 400)
    messages.success(request, success)
    return redirect(to, **to_kwargs), 302


@workspace_view(AgreementPerm.EDIT_AGREEMENTS)
def agreement_areas(request, pk: int):
    agreement = get_agreement_for(request.membership, pk)
    form = AreasForm(
        request.POST or None,
        initial={"areas": agreement.areas},
        areas=scope.areas_of(request.tenant.region),
    )
    done, status = _submit(
        request,
        form,
        lambda data: scope.set_areas(
            membership=request.membership, agreement=agreement, codes=data["areas"]
        ),
        _("The areas were saved."),
        to="agreements:detail",
        pk=agreement.pk,
    )
    return done or render(
        request,
        "agreements/areas.html",
        {"agreement": agreement, "cooperation": agreement.cooperation, "form": form},
        status=status,
    )


@workspace_view(AgreementPerm.SHARE_DOSSIERS)
def agreement_dossier(request, pk: int):
    """Who holds the agreement's DPRD dossier; give it to another viewer."""
    agreement = get_agreement_for(request.membership, pk)
    form = DossierForm(
        request.POST or None, candidates=scope.dossier_candidates(agreement, request.tenant)
    )
    done, status = _submit(
        request,
        form,
        lambda data: scope.give_dossier(
            membership=request.membership, agreement=agreement, member=data["member"]
        ),
        _("The dossier was given; they were e-mailed a link."),
        to="agreements:dossier",
        pk=agreement.pk,
    )
    return done or render(
        request,
        "agreements/dossier.html",
        {
            "agreement": agreement,
            "cooperation": agreement.cooperation,
            "holders": scope.dossier_holders(agreement, request.tenant),
            "form": form,
        },
        status=status,
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
    done, status = _submit(
        request,
        form,
        lambda data: stages.update_stage_labels(
            membership=request.membership, labels={value: data[value] for value in form.fields}
        ),
        _("The stages' labels were saved."),
        to="agreements:reminder_settings",
    )
    return done or render(
        request,
        "agreements/monitoring/settings.html",
        settings_context(stage_form=form),
        status=status,
    )
