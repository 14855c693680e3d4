"""The national side of reporting upward, on the platform (reporting/urls_national.py):

- the Ministry's national view (its officials only, with the second factor: reporting/ministry.py):
  per semester every province's state and the national compilation, each submission's frozen
  figures and files, the compilation as XLSX and PDF;
- platform staff's page granting and revoking the Ministry's role;
- the public portal's open data: the national figures of each semester as a page, JSON and CSV
  (figures only: reporting/national.py says what is left out).

Views shape input and output; reporting/national.py compiles, reporting/ministry.py decides.
"""

from __future__ import annotations

from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agreements.import_export.exporting import XLSX_TYPE
from agreements.import_export.views import download
from agreements.reports.forms import SemesterForm
from agreements.reports.semester import PDF_TYPE, STATUSES, Semester
from cms.public_data import tile_origin
from cooperation.models import Kind
from core.form_actions import perform, submit
from tenants.models import AuditEvent

from . import ministry, national
from .models import Level, Submission, SubmissionFile

# Public answers: the figures change when a province submits or corrects, so shared caches keep
# them briefly only.
PUBLIC_CACHE = "public, max-age=300"


def ministry_view(view):
    """For the Ministry's officials: anonymous people sign in first; anyone else signed in gets
    403. (The second factor is the middleware's: the role is registered as needing it.)"""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not ministry.can_read_national(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def staff_view(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not ministry.can_manage_officials(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _allow_map_tiles(response):
    """The map's tiles, and nothing else, may load from the tile server (as the portal's maps:
    cms/models.py)."""
    origin = tile_origin()
    if origin:
        response._csp_update = {"img-src": [origin]}
    return response


def _semester(year: int, half: int) -> Semester:
    try:
        return Semester(year, half)
    except ValueError as exc:
        raise Http404 from exc


# --- The Ministry's national view ------------------------------------------------------------


@ministry_view
@require_GET
def overview(request):
    """Choose the semester (the last one over by default); see every province and the sums."""
    default = Semester.last_ended(timezone.localdate())
    form = SemesterForm(request.GET or {"year": default.year, "semester": default.half})
    compilation = None
    status = 200
    if form.is_valid():
        compilation = national.compile_national(
            Semester(form.cleaned_data["year"], form.cleaned_data["semester"])
        )
    else:
        status = 400
    response = render(
        request,
        "reporting/national/overview.html",
        {
            "form": form,
            "compilation": compilation,
            "map": national.map_data(compilation) if compilation else None,
        },
        status=status,
    )
    return _allow_map_tiles(response)


@ministry_view
@require_GET
def compilation_download(request, year: int, half: int, fmt: str):
    if fmt not in national.FORMATS:
        raise Http404
    semester = _semester(year, half)
    content, _compilation = national.national_file(semester, fmt)
    content_type = PDF_TYPE if fmt == "pdf" else XLSX_TYPE
    return download(content, content_type, national.filename(semester, fmt))


def _submission(pk: int) -> Submission:
    submission = (
        Submission.objects.select_related("region", "province", "supersedes")
        .defer("agreements")
        .filter(pk=pk)
        .first()
    )
    if submission is None:
        raise Http404
    return submission


@ministry_view
@require_GET
def submission_detail(request, pk: int):
    """One frozen submission (a province's compilation, or a kabupaten/kota's report) as it was
    sent: its letter, figures, files with their SHA-256, and the corrections before it."""
    submission = _submission(pk)
    history = []
    earlier = submission.supersedes
    while earlier is not None and len(history) < 20:
        history.append(earlier)
        earlier = earlier.supersedes
    by_region = submission.figures.get("by_region") or {}
    return render(
        request,
        "reporting/national/submission.html",
        {
            "submission": submission,
            "figures": submission.figures,
            "regions": sorted(by_region.items()),
            "not_included": submission.figures.get("not_included") or [],
            "files": submission.files.only("kind", "name", "size", "sha256").order_by("kind"),
            "history": history,
            "is_compilation": submission.level == Level.PROVINCE,
            "kind_rows": _kind_rows(submission.figures),
        },
    )


def _kind_rows(figures: dict) -> list[tuple[str, list[int], int]]:
    rows = []
    by_kind_status = figures.get("by_kind_status") or {}
    for value, label in Kind.choices:
        counts = [int((by_kind_status.get(value) or {}).get(c, 0)) for c, _l in STATUSES]
        rows.append((str(label), counts, sum(counts)))
    return rows


@ministry_view
@require_GET
def submission_file(request, pk: int, kind: str):
    stored = SubmissionFile.objects.filter(submission_id=pk, kind=kind).first()
    if stored is None:
        raise Http404
    response = download(bytes(stored.content), stored.content_type, stored.name)
    response["X-Content-SHA256"] = stored.sha256
    return response


# --- Platform staff: the Ministry's role -----------------------------------------------------


class GrantForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("The official's e-mail address"),
        help_text=gettext_lazy("The address of the account the official signed up with."),
    )
    unit = forms.CharField(
        label=gettext_lazy("Unit"),
        max_length=200,
        help_text=gettext_lazy(
            "The official's unit in the Ministry, e.g. Direktorat Jenderal Bina Administrasi "
            "Kewilayahan."
        ),
    )


def _officials_page(request, form, status=200):
    return render(
        request,
        "reporting/national/officials.html",
        {
            "form": form,
            "officials": ministry.MinistryOfficial.objects.select_related("user", "granted_by"),
            "events": AuditEvent.objects.filter(action__startswith="ministry.")
            .select_related("actor")
            .order_by("-pk")[:50],
        },
        status=status,
    )


@staff_view
@require_http_methods(["GET", "POST"])
def officials(request):
    form = GrantForm(request.POST or None)
    granted = submit(
        request,
        form,
        lambda data: ministry.grant_ministry_role(
            email=data["email"], unit=data["unit"], acting_user=request.user
        ),
    )
    if granted.done:
        messages.success(
            request,
            _("%(email)s now holds the Ministry's role.") % {"email": granted.result.user.email},
        )
        return redirect("national:officials")
    return _officials_page(request, form, status=granted.status)


@staff_view
@require_POST
def official_revoke(request, pk: int):
    revoked = perform(
        request, lambda: ministry.revoke_ministry_role(official_pk=pk, acting_user=request.user)
    )
    if revoked.done:
        messages.success(request, _("The Ministry's role was taken away."))
    return redirect("national:officials")


# --- Open data on the public portal ----------------------------------------------------------


@require_GET
def open_data_index(request):
    response = render(
        request,
        "reporting/national/open_data_index.html",
        {"semesters": national.semesters_with_reports()},
    )
    response["Cache-Control"] = PUBLIC_CACHE
    return response


@require_GET
def open_data_page(request, year: int, half: int):
    compilation = national.compile_national(_semester(year, half))
    response = render(
        request,
        "reporting/national/open_data.html",
        {"compilation": compilation, "map": national.map_data(compilation)},
    )
    response["Cache-Control"] = PUBLIC_CACHE
    return _allow_map_tiles(response)


@require_GET
def open_data_download(request, year: int, half: int, fmt: str):
    semester = _semester(year, half)
    name = f"laporan-kerja-sama-nasional-{semester.year}-s{semester.half}"
    if fmt == "json":
        response = JsonResponse(
            national.open_data(national.compile_national(semester)),
            json_dumps_params={"ensure_ascii": False},
        )
    elif fmt == "csv":
        response = HttpResponse(
            national.open_data_csv(national.compile_national(semester)),
            content_type="text/csv; charset=utf-8",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Cache-Control"] = PUBLIC_CACHE
    return response
