"""The public registry's pages on the platform (list, detail, documents, versions, downloads,
the change feed) and the office's withholding page on the region's subdomain. Views shape input
and output; selectors read, publishing writes; tenants.policy decides who."""

from __future__ import annotations

import datetime
import math

from django.conf import settings
from django.contrib import messages
from django.db.models import F
from django.http import Http404, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cooperation import urusan as urusan_codes
from cooperation.models import Cooperation, EndReason, Instrument, Kind, PartyKind, Stage
from cooperation.policy import AgreementPerm
from core import downloads, http_cache
from core.files import pdf_attachment
from core.form_actions import submit
from core.hosts import platform_url
from signatures.selectors import attach as attach_signatures
from signatures.selectors import statuses_for as signature_statuses
from tenants.decorators import workspace_view

from . import cache, presenters, publishing, selectors
from .forms import WithholdingForm
from .models import PublishedAgreement, PublishedDocument, PublishedVersion, Status, WithheldField
from .withheld import DOCUMENTS, Withheld, public_version


def _page_number(params) -> int:
    raw = params.get("page") or "1"
    return min(int(raw), 10_000) if raw.isdigit() and int(raw) > 0 else 1


@require_GET
def agreement_list(request):
    filters = selectors.filters_from(request.GET)
    sort = selectors.sort_from(request.GET)
    page = _page_number(request.GET)
    key = f"{filters.key()}|{sort}|{page}|{translation.get_language()}"
    scopes = cache.list_scopes(filters)
    # The whole page, for anonymous visitors (core/http_cache.py); its content for everyone.
    http_cache.cache_publicly(request, cache.page_scopes(scopes))
    body = cache.cached(
        "list_html", key, lambda: _list_body(request, filters, sort, page), scopes=scopes
    )
    return render(request, "public_registry/list.html", {"body": mark_safe(body)})  # noqa: S308


def _list_body(request, filters, sort: str, page: int) -> str:
    """The list's content (no form with a CSRF token, nothing personal): cached as HTML."""
    data = presenters.list_data(filters, sort, page)
    today = timezone.localdate()
    total = selectors.total_of(data["counts"])
    pages = max(1, math.ceil(total / selectors.PAGE_SIZE))
    # The links are built from the accepted filters (the cache key), not the raw query.
    query = QueryDict(mutable=True)
    if filters.q:
        query["q"] = filters.q
    for facet in selectors.FACETS:
        query.setlist(facet, [str(v) for v in getattr(filters, facet)])
    if sort != selectors.DEFAULT_SORT:
        query["sort"] = sort
    chosen = [
        (facet, str(value)) for facet in selectors.FACETS for value in getattr(filters, facet)
    ]
    return render_to_string(
        "public_registry/_list_body.html",
        {
            "rows": [presenters.present_row(row, today) for row in data["rows"]],
            "facets": presenters.facet_options(query, filters, data["counts"], data["names"]),
            "chosen": chosen,
            "filters": filters,
            "total": total,
            "page": page,
            "pages": pages,
            "query": query.urlencode(),
            "sort": sort,
            "sorts": [
                ("newest", _("Newest signed first")),
                ("oldest", _("Oldest signed first")),
                ("term_end", _("Ending soonest")),
                ("title", _("Title (A–Z)")),
            ],
            "download_query": query.urlencode(),
        },
        request=request,
    )


# --- Detail ---------------------------------------------------------------------------------------


def _moment(value: str | None) -> datetime.datetime | None:
    return datetime.datetime.fromisoformat(value) if value else None


@require_GET
def agreement_detail(request, pk: int):
    codes = PublishedAgreement.objects.filter(pk=pk).values_list("region_codes", flat=True)
    scopes = cache.record_scopes(codes.first() or ())
    http_cache.cache_publicly(request, cache.page_scopes(scopes))
    page = cache.cached(
        "detail_html",
        f"{pk}|{translation.get_language()}",
        lambda: _detail_body(request, pk),
        scopes=scopes,
    )
    if page is None:
        raise Http404
    title, body = page
    return render(
        request,
        "public_registry/detail.html",
        {"title": title, "body": mark_safe(body)},  # noqa: S308
    )


def _detail_body(request, pk: int) -> tuple[str, str] | None:
    """The detail page's title and content (nothing personal): cached as HTML."""
    data = presenters.detail_data(pk)
    if data is None:
        return None
    record, snapshot = data["record"], data["snapshot"]
    today = timezone.localdate()
    status = selectors.status_of(
        terminated=record.terminated, term_end=record.term_end, today=today
    )
    days_left = (
        (record.term_end - today).days
        if record.term_end and status in (Status.IN_FORCE, Status.EXPIRING)
        else None
    )
    withheld = set(record.withheld_fields)
    since = record.withheld_since or {}
    withheld_items = [(WithheldField(name).label, name) for name in sorted(withheld)]
    if record.documents_withheld:
        withheld_items.append((_("the signed documents"), DOCUMENTS))
    return record.title, render_to_string(
        "public_registry/_detail_body.html",
        {
            "record": record,
            "s": snapshot,
            "status": status,
            "status_label": Status(status).label,
            "days_left": days_left,
            "kind_label": Kind(record.kind).label,
            "instrument_label": Instrument(record.instrument).label,
            "stage_label": Stage(record.stage).label,
            "end_reason_label": EndReason(record.end_reason).label if record.end_reason else "",
            "urusan_labels": [urusan_codes.label(code) for code in record.urusan],
            "parties": [
                {**p, "kind_label": PartyKind(p["kind"]).label} for p in snapshot["parties"]
            ],
            "withheld_items": [(label, _moment(since.get(name))) for label, name in withheld_items],
            "signatories_withheld": WithheldField.SIGNATORIES in withheld,
            "documents": attach_signatures(data["documents"]),
            "versions": [(v, publishing.reason_label(v.reason)) for v in data["versions"]],
            "related": [(presenters.RELATIONS[kind], other) for kind, other in data["related"]],
            "fingerprints": [d.sha256 for d in data["documents"]],
        },
        request=request,
    )


@require_GET
def document_download(request, pk: int, document_pk: int):
    document = get_object_or_404(PublishedDocument, pk=document_pk, record_id=pk)
    if not document.file:
        raise Http404
    response = pdf_attachment(document.file, document.original_name or f"{document.pk}.pdf")
    response["Cache-Control"] = presenters.SHORT_CACHE
    return response


@require_GET
def version_json(request, pk: int, number: int):
    """A published version as it was published, less what the office withholds today."""
    version = presenters.version_data(pk, number)
    if version is None:
        raise Http404
    response = JsonResponse(
        {**version, "published_at": version["published_at"].isoformat()},
        json_dumps_params={"ensure_ascii": False},
    )
    # The version never changes, but a later withholding changes what of it is served.
    response["Cache-Control"] = presenters.SHORT_CACHE
    return response


# --- Bulk downloads -------------------------------------------------------------------------------

EXPORT_FIELDS = (
    "id",
    "url",
    "title",
    "kind",
    "instrument",
    "urusan",
    "parties",
    "regions",
    "partners",
    "signed_on",
    "term_start",
    "term_end",
    "status",
    "end_reason",
    "ended_on",
    "withheld",
    "version",
    "modified_at",
    "documents_sha256",
    # Each document's electronic signature, in the order of documents_sha256: a verdict
    # (verified, unverified, untrusted, expired, modified, broken, unsigned), "pending" or
    # "error:<code>"; the API's record gives the signers.
    "documents_signature",
)


def _export_rows(request, filters):
    today = timezone.localdate()
    records = (
        selectors.published(filters, today=today)
        .order_by("id")
        .prefetch_related("documents")
        .defer("search")
    )
    base = request.build_absolute_uri("/")[:-1]
    for batch in _batches(records.iterator(chunk_size=2000), 2000):
        signatures = signature_statuses(d.sha256 for r in batch for d in r.documents.all())
        yield from (_export_row(record, base, today, signatures) for record in batch)


def _batches(items, size: int):
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _export_row(record, base: str, today, signatures) -> dict:
    return {
        "id": record.pk,
        "url": base + reverse("public_registry:detail", args=[record.pk]),
        "title": record.title,
        "kind": record.kind,
        "instrument": record.instrument,
        "urusan": record.urusan,
        "parties": record.parties_text,
        "regions": record.region_codes,
        "partners": record.partner_names,
        "signed_on": record.signed_on.isoformat(),
        "term_start": record.term_start.isoformat() if record.term_start else None,
        "term_end": record.term_end.isoformat() if record.term_end else None,
        "status": selectors.status_of(
            terminated=record.terminated, term_end=record.term_end, today=today
        ),
        "end_reason": record.end_reason,
        "ended_on": record.ended_on.isoformat() if record.ended_on else None,
        "withheld": record.withheld_fields + (["documents"] if record.documents_withheld else []),
        "version": record.version,
        "modified_at": record.modified_at.isoformat(),
        "documents_sha256": [d.sha256 for d in record.documents.all()],
        "documents_signature": [
            signatures[d.sha256].summary if d.sha256 in signatures else "pending"
            for d in record.documents.all()
        ],
    }


@require_GET
def bulk_download(request, fmt: str):
    if fmt not in downloads.FORMATS:
        raise Http404
    rows = _export_rows(request, selectors.filters_from(request.GET))
    return downloads.streaming_download(rows, fmt=fmt, fields=EXPORT_FIELDS, name="kerja-sama")


# --- The change feed for mirrors ------------------------------------------------------------------

FEED_LIMIT = 100
FEED_MAX = 1000


@require_GET
def change_feed(request):
    raw = request.GET.get("cursor") or ""
    position = selectors.decode_cursor(raw) if raw else None
    if raw and position is None:
        return JsonResponse(
            {"error": {"code": "invalid_cursor", "message": _("This cursor is not valid.")}},
            status=400,
        )
    limit = request.GET.get("limit") or ""
    limit = min(int(limit), FEED_MAX) if limit.isdigit() and int(limit) > 0 else FEED_LIMIT
    records = list(selectors.changes_after(position, limit=limit + 1).defer("search"))
    more = len(records) > limit
    records = records[:limit]
    snapshots = {
        v.record_id: public_version(v.snapshot, Withheld.of_record(v.record))
        for v in PublishedVersion.objects.filter(record_id__in=[r.pk for r in records])
        .filter(number=F("record__version"))
        .select_related("record")
        .defer("record__search")
    }
    items = [
        {
            "id": r.pk,
            "url": request.build_absolute_uri(reverse("public_registry:detail", args=[r.pk])),
            "version": r.version,
            "modified_at": r.modified_at.isoformat(),
            "record": snapshots.get(r.pk),
        }
        for r in records
    ]
    cursor = selectors.encode_cursor(records[-1].feed_xid, records[-1].feed_seq) if records else raw
    return JsonResponse(
        {"items": items, "next_cursor": cursor or None, "has_more": more},
        json_dumps_params={"ensure_ascii": False},
    )


# --- The office's withholding (the region's subdomain) --------------------------------------------


def public_url(pk: int) -> str:
    """The record's page on the platform, from any host."""
    path = reverse("public_registry:detail", args=[pk], urlconf=settings.PUBLIC_SCHEMA_URLCONF)
    return platform_url(path)


@workspace_view(AgreementPerm.RUN_AGREEMENT_LIFECYCLE)
def withholding(request, pk: int):
    """`pk`: the shared record (cooperation) of an agreement this region owns."""
    cooperation = get_object_or_404(Cooperation, pk=pk, owner=request.tenant)
    current = publishing.withholding_for(cooperation)
    form = WithholdingForm(
        request.POST or None,
        initial={
            "fields": current.fields,
            "documents": current.documents,
            "reason": current.reason,
        },
    )
    submitted = submit(
        request,
        form,
        lambda data: publishing.set_withholding(
            membership=request.membership, cooperation=cooperation, **data
        ),
    )
    if submitted.done:
        messages.success(request, _("The public record was updated."))
        return redirect("public_registry:withholding", pk=cooperation.pk)
    record = (
        PublishedAgreement.objects.filter(cooperation=cooperation).only("id", "version").first()
    )
    return render(
        request,
        "public_registry/withholding.html",
        {
            "form": form,
            "cooperation": cooperation,
            "record": record,
            "public_url": public_url(record.pk) if record else "",
        },
        status=submitted.status,
    )
