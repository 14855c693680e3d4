"""Pages: "Data saya" for the signed-in person (their own data and requests only: another
person's copy or request is 404, as one that does not exist), and platform staff's pages to
answer the requests and read the record of processing. The second factor is the middleware's,
as on every signed-in page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.form_actions import perform, run, submit
from tenants.decorators import platform_staff_view

from . import erasure, exports, registry, requests
from .forms import AnswerForm, ErasureForm, NameForm, OtherRequestForm, RefuseForm
from .models import DataRequest, PersonalExport, RequestKind, RequestState
from .policy import PrivacyPerm


def _mine_page(request, *, other_form=None, name_form=None, status=200):
    user = request.user
    return render(
        request,
        "privacy/mine.html",
        {
            "requests": DataRequest.objects.filter(user=user),
            "copies": PersonalExport.objects.filter(user=user).select_related("request")[:10],
            "copy_open": DataRequest.objects.filter(
                user=user, kind=RequestKind.ACCESS, state=RequestState.OPEN
            ).exists(),
            "other_form": other_form or OtherRequestForm(),
            "name_form": name_form or NameForm(initial={"full_name": user.full_name}),
            "kinds": registry.kinds(),
        },
        status=status,
    )


@login_required
def mine(request):
    return _mine_page(request)


@login_required
@require_POST
def request_copy(request):
    done = perform(request, lambda: exports.request_copy(user=request.user))
    if done.done:
        messages.success(
            request,
            _("Your copy is being prepared. You will get an e-mail when it is ready to download."),
        )
    return redirect("privacy:mine")


@login_required
def download_copy(request, pk: int):
    path = exports.copy_file(user=request.user, export_id=pk)
    return FileResponse(path.open("rb"), as_attachment=True, filename="data-saya.zip")


@login_required
def request_erasure(request):
    form = ErasureForm(request.POST or None)
    submitted = submit(
        request,
        form,
        lambda data: requests.make_request(
            user=request.user, kind=RequestKind.ERASURE, details=data["details"]
        ),
    )
    if submitted.done:
        messages.success(
            request,
            _(
                "Your request to erase your account was received. Platform staff answer it "
                "within 3 × 24 hours; you will get an e-mail."
            ),
        )
        return redirect("privacy:mine")
    return render(
        request,
        "privacy/erasure.html",
        {
            "form": form,
            "items": erasure.describe(erasure.plan(request.user)),
            "blockers": erasure.blockers(request.user),
        },
        status=submitted.status,
    )


@login_required
@require_POST
def correct_name(request):
    form = NameForm(request.POST)
    submitted = run(
        form, lambda data: requests.correct_name(user=request.user, full_name=data["full_name"])
    )
    if submitted.done:
        messages.success(request, _("Your name was corrected."))
        return redirect("privacy:mine")
    return _mine_page(request, name_form=form, status=submitted.status)


@login_required
@require_POST
def request_other(request):
    form = OtherRequestForm(request.POST)
    submitted = run(
        form,
        lambda data: requests.make_request(
            user=request.user, kind=data["kind"], details=data["details"]
        ),
    )
    if submitted.done:
        messages.success(
            request, _("Your request was received. Platform staff answer it within 3 × 24 hours.")
        )
        return redirect("privacy:mine")
    return _mine_page(request, other_form=form, status=submitted.status)


@login_required
@require_POST
def withdraw(request, pk: int):
    done = perform(request, lambda: requests.withdraw(user=request.user, request_id=pk))
    if done.done:
        messages.success(request, _("Your request was withdrawn."))
    elif done.status == 404:
        return render(request, "404.html", status=404)
    return redirect("privacy:mine")


@platform_staff_view(PrivacyPerm.HANDLE_REQUESTS)
def staff_list(request):
    state = request.GET.get("state", RequestState.OPEN)
    if state not in RequestState.values:
        state = RequestState.OPEN
    rows = DataRequest.objects.filter(state=state).select_related("user", "handled_by")
    rows = rows.order_by("due_at") if state == RequestState.OPEN else rows
    return render(
        request,
        "privacy/staff/list.html",
        {
            "page": Paginator(rows, 50).get_page(request.GET.get("page")),
            "state": state,
            "states": RequestState.choices,
            "now": timezone.now(),
        },
    )


def _staff_page(request, data_request, *, answer_form=None, refuse_form=None, status=200):
    plan = blockers = None
    if data_request.kind == RequestKind.ERASURE:
        if data_request.is_open:
            plan = erasure.describe(erasure.plan(data_request.user))
            blockers = erasure.blockers(data_request.user)
        else:
            plan = erasure.describe(data_request.report)
    return render(
        request,
        "privacy/staff/detail.html",
        {
            "item": data_request,
            "plan": plan,
            "blockers": blockers,
            "answer_form": answer_form or AnswerForm(),
            "refuse_form": refuse_form or RefuseForm(),
        },
        status=status,
    )


@platform_staff_view(PrivacyPerm.HANDLE_REQUESTS)
def staff_detail(request, pk: int):
    data_request = get_object_or_404(DataRequest.objects.select_related("user"), pk=pk)
    return _staff_page(request, data_request)


@platform_staff_view(PrivacyPerm.HANDLE_REQUESTS)
@require_POST
def staff_complete(request, pk: int):
    data_request = get_object_or_404(DataRequest.objects.select_related("user"), pk=pk)
    form = AnswerForm(request.POST)
    submitted = run(
        form,
        lambda data: requests.complete(
            acting_user=request.user, request_id=pk, outcome=data["outcome"]
        ),
        field="outcome",
    )
    if submitted.done:
        messages.success(request, _("The request is completed and the person was told."))
        return redirect("privacy:staff_detail", pk)
    data_request.refresh_from_db()
    return _staff_page(request, data_request, answer_form=form, status=submitted.status)


@platform_staff_view(PrivacyPerm.HANDLE_REQUESTS)
@require_POST
def staff_refuse(request, pk: int):
    data_request = get_object_or_404(DataRequest.objects.select_related("user"), pk=pk)
    form = RefuseForm(request.POST)
    submitted = run(
        form,
        lambda data: requests.refuse(
            acting_user=request.user, request_id=pk, outcome=data["outcome"]
        ),
        field="outcome",
    )
    if submitted.done:
        messages.success(request, _("The request is refused and the person was told why."))
        return redirect("privacy:staff_detail", pk)
    data_request.refresh_from_db()
    return _staff_page(request, data_request, refuse_form=form, status=submitted.status)


@platform_staff_view(PrivacyPerm.VIEW_RECORD)
def record(request):
    return render(request, "privacy/staff/record.html", {"kinds": registry.kinds()})
