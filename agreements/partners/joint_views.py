"""The joint preparation pages on a region's subdomain, for one agreement of its register: the
parties' inventory of points with the heads' priorities, the joint text's versions and their
differences, and the region's own DPRD decision. Views shape input and output;
agreements/partners/joint.py decides and writes. What is shown is the shared record (every party
sees it alike), except the DPRD step, which is this region's only."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_tenants.utils import schema_context

from agreements.models import Agreement
from agreements.partners import joint
from agreements.partners.joint_forms import (
    AdoptForm,
    CompareForm,
    OwnDprdForm,
    PointForm,
    PrioritiesForm,
    TextVersionForm,
)
from agreements.policy import readable_agreements
from agreements.register.access import get_agreement_for
from cooperation import shared_joint as shared
from cooperation.policy import AgreementPerm
from core.files import pdf_attachment
from core.form_actions import run, submit
from core.uploads import limit_request_body
from tenants.decorators import workspace_view
from tenants.policy import Perm, has_perm


def _can(request, perm: Perm) -> bool:
    return has_perm(request.user, request.tenant, perm, request.membership)


def _preparing(cooperation) -> bool:
    return cooperation.stage not in joint.CLOSED and cooperation.signed_on is None


def _form_page(request, agreement, form, action, *, done, to: str, template: str, **context):
    """GET: the form. POST: the action, then `done(result)` as a message and the page `to`;
    or the form again, saying why not."""
    submitted = submit(request, form, action)
    if submitted.done:
        messages.success(request, done(submitted.result))
        return redirect(to, pk=agreement.pk)
    return render(
        request,
        template,
        {"agreement": agreement, "cooperation": agreement.cooperation, "form": form, **context},
        status=submitted.status,
    )


# --- The inventory of points -------------------------------------------------------------------


def _link_own_pks(request, points) -> None:
    """Each point's PKS gets `agreement_pk`: its record in this region's register, when the
    person may read it (agreements.policy.readable_agreements); one query."""
    pks_ids = {p.in_pks.cooperation.pk for p in points if p.in_pks}
    own = dict(
        readable_agreements(
            request.membership, Agreement.objects.filter(cooperation_id__in=pks_ids)
        ).values_list("cooperation_id", "pk")
        if pks_ids
        else ()
    )
    for point in points:
        point.pks_agreement_pk = own.get(point.in_pks.cooperation.pk) if point.in_pks else None


def _points_page(request, agreement, *, form=None, adopt_form=None, status=200):
    cooperation = agreement.cooperation
    points = shared.inventory(cooperation.pk, region_code=request.tenant.region_id)
    _link_own_pks(request, points)
    preparing = _preparing(cooperation) and request.tenant.accepts_writes
    prioritises = _can(request, AgreementPerm.PRIORITISE_JOINT_POINTS)
    return render(
        request,
        "agreements/joint/points.html",
        {
            "agreement": agreement,
            "cooperation": cooperation,
            "groups": shared.by_urusan(points),
            "count": len(points),
            "chosen": [p for p in points if p.chosen],
            "form": form or PointForm(),
            "can_propose": preparing and _can(request, AgreementPerm.CONTRIBUTE_JOINT_WORK),
            "can_prioritise": preparing and prioritises and bool(points),
            "can_adopt": preparing
            and prioritises
            and cooperation.parent_id is None
            and cooperation.owner_id == request.tenant.pk
            and any(p.chosen for p in points),
            "adopt_form": adopt_form or AdoptForm(initial={"version": cooperation.version}),
        },
        status=status,
    )


@workspace_view(AgreementPerm.VIEW_AGREEMENTS)
@require_GET
def points(request, pk: int):
    agreement = get_agreement_for(request.membership, pk)
    return _points_page(request, agreement)


@workspace_view(AgreementPerm.CONTRIBUTE_JOINT_WORK)
@require_POST
def point_add(request, pk: int):
    agreement = get_agreement_for(request.membership, pk)
    form = PointForm(request.POST)
    submitted = run(
        form,
        lambda data: joint.propose_point(
            membership=request.membership,
            agreement=agreement,
            urusan=data["urusan"],
            text=data["text"],
        ),
    )
    if submitted.done:
        messages.success(request, _("The point was added; every party sees it."))
        return redirect("agreements:joint_points", pk=agreement.pk)
    return _points_page(request, agreement, form=form, status=submitted.status)


@workspace_view(AgreementPerm.PRIORITISE_JOINT_POINTS)
def priorities(request, pk: int):
    agreement = get_agreement_for(request.membership, pk)
    points = list(shared.points_of(agreement.cooperation_id))
    form = PrioritiesForm(request.POST or None, points=points)
    return _form_page(
        request,
        agreement,
        form,
        lambda data: joint.set_priorities(
            membership=request.membership, agreement=agreement, priorities=form.priorities()
        ),
        done=lambda _points: _("The priorities were recorded; every party sees them."),
        to="agreements:joint_points",
        template="agreements/joint/priorities.html",
    )


@workspace_view(AgreementPerm.PRIORITISE_JOINT_POINTS)
@require_POST
def adopt(request, pk: int):
    agreement = get_agreement_for(request.membership, pk)
    form = AdoptForm(request.POST)
    submitted = run(
        form,
        lambda data: joint.adopt_chosen_points(
            membership=request.membership, agreement=agreement, version=data["version"]
        ),
    )
    if submitted.done:
        messages.success(
            request,
            _("The chosen points are the scope now; %(count)s new PKS in your register.")
            % {"count": len(submitted.result)},
        )
        return redirect("agreements:detail", pk=agreement.pk)
    agreement.cooperation.refresh_from_db()
    return _points_page(request, agreement, adopt_form=form, status=submitted.status)


# --- The joint text's versions -----------------------------------------------------------------


@workspace_view(AgreementPerm.VIEW_AGREEMENTS)
@require_GET
def versions(request, pk: int):
    agreement = get_agreement_for(request.membership, pk)
    cooperation = agreement.cooperation
    all_versions = list(shared.versions_of(cooperation.pk))
    by_number = {v.number: v for v in all_versions}
    numbers = sorted(by_number)
    compare, lines, compared, status = None, None, None, 200
    if len(numbers) >= 2:
        data = request.GET if "old" in request.GET else None
        compare = CompareForm(
            data, numbers=numbers, initial={"old": numbers[-2], "new": numbers[-1]}
        )
        old, new = numbers[-2], numbers[-1]
        if data is not None:
            if compare.is_valid():
                old, new = compare.cleaned_data["old"], compare.cleaned_data["new"]
            else:
                status = 400
        lines = shared.diff(by_number[old].text, by_number[new].text)
        compared = (by_number[old], by_number[new])
    return render(
        request,
        "agreements/joint/versions.html",
        {
            "agreement": agreement,
            "cooperation": cooperation,
            "versions": all_versions,
            "compare": compare,
            "lines": lines,
            "compared": compared,
            "can_add": cooperation.stage not in joint.CLOSED
            and request.tenant.accepts_writes
            and _can(request, AgreementPerm.CONTRIBUTE_JOINT_WORK),
        },
        status=status,
    )


@limit_request_body("JEJARING_DOCUMENT_MAX_BYTES")
@workspace_view(AgreementPerm.CONTRIBUTE_JOINT_WORK)
def version_add(request, pk: int):
    agreement = get_agreement_for(request.membership, pk)
    cooperation = agreement.cooperation
    latest = shared.versions_of(cooperation.pk).first()
    form = TextVersionForm(
        request.POST or None,
        request.FILES or None,
        initial={"text": latest.text if latest else ""},
    )
    return _form_page(
        request,
        agreement,
        form,
        lambda data: joint.add_text_version(
            membership=request.membership,
            agreement=agreement,
            text=data["text"],
            note=data["note"],
            document=data.get("document"),
        ),
        done=lambda version: _(
            "Version %(number)s of the joint text was added; every party sees it."
        )
        % {"number": version.number},
        to="agreements:joint_versions",
        template="agreements/joint/version_form.html",
        latest=latest,
    )


@workspace_view(AgreementPerm.VIEW_AGREEMENTS)
@require_GET
def version_download(request, pk: int, version_pk: int):
    agreement = get_agreement_for(request.membership, pk)
    version = get_object_or_404(
        shared.versions_of(agreement.cooperation_id).exclude(file=""), pk=version_pk
    )
    # Stored in the folder of the region that uploaded it (a partner's, possibly).
    with schema_context(version.stored_schema):
        return pdf_attachment(version.file, f"{agreement.cooperation.title} v{version.number}.pdf")


# --- The region's own DPRD step ----------------------------------------------------------------


@workspace_view(AgreementPerm.RUN_AGREEMENT_LIFECYCLE)
def own_dprd(request, pk: int):
    agreement = get_agreement_for(request.membership, pk)
    form = OwnDprdForm(request.POST or None)
    return _form_page(
        request,
        agreement,
        form,
        lambda data: joint.record_own_dprd_decision(
            membership=request.membership,
            agreement=agreement,
            decision_number=data["decision_number"],
            decided_on=data["decided_on"],
        ),
        done=lambda _agreement: _("Your region's DPRD decision was recorded."),
        to="agreements:detail",
        template="agreements/joint/own_dprd.html",
        may_record=joint.may_record_own_dprd(agreement, agreement.cooperation),
    )
