"""The open-data pages and files on the platform (mounted at /data/ and, for the CKAN API, at
/api/3/action/ and /api/action/ by portal/urls_public.py). Everything here is public and
read-only; nothing reads the data itself (the worker built the files: building.py)."""

from __future__ import annotations

import hashlib
import json

from django.core.cache import cache
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from core.hosts import platform_url

from . import building, catalogue, ckan, dcat
from . import dictionary as dictionaries
from .models import BuiltFile
from .sources import REGISTRY

SHORT_CACHE = "public, max-age=300"


def _schema_org(dataset: catalogue.Dataset, *, brief: bool = False) -> dict:
    """schema.org's Dataset (what dataset search engines read)."""
    start, end = dataset.temporal
    item: dict = {
        "@type": "Dataset",
        "@id": dataset.url,
        "name": dataset.title_id,
        "alternateName": dataset.title_en,
        "description": f"{dataset.description_id} {dataset.description_en}",
        "url": dataset.url,
        "identifier": dataset.id,
        "keywords": dataset.keywords,
        "license": dataset.licence.url,
        "isAccessibleForFree": True,
        "inLanguage": ["id", "en"],
        "creator": {
            "@type": "Organization",
            "name": catalogue.publisher().name,
            "url": catalogue.publisher().url,
        },
        "publisher": {
            "@type": "Organization",
            "name": catalogue.publisher().name,
            "url": catalogue.publisher().url,
        },
        "spatialCoverage": {
            "@type": "Place",
            "name": dataset.spatial[0].label,
            **(
                {
                    "identifier": {
                        "@type": "PropertyValue",
                        "propertyID": "Kode Kemendagri",
                        "value": dataset.spatial[0].code,
                    }
                }
                if dataset.spatial[0].code
                else {}
            ),
        },
        "distribution": [
            {
                "@type": "DataDownload",
                "name": d.title_id,
                "contentUrl": d.url,
                "encodingFormat": d.media_type,
                "contentSize": f"{d.file.size} B",
                "sha256": d.file.sha256,
                "dateModified": d.file.modified_at.isoformat(),
            }
            for d in dataset.distributions
        ],
    }
    if start or end:
        item["temporalCoverage"] = f"{start.isoformat() if start else '..'}/" + (
            end.isoformat() if end else ".."
        )
    if dataset.modified:
        item["dateModified"] = dataset.modified.isoformat()
    if not brief:
        item["variableMeasured"] = [
            {"@type": "PropertyValue", "name": c.name, "description": c.description_id}
            for c in dataset.dictionary.columns
        ]
        item["includedInDataCatalog"] = {
            "@type": "DataCatalog",
            "name": "Data terbuka Jejaring",
            "url": platform_url(reverse("opendata:index")),
        }
    return item


def _json_ld(data: dict) -> str:
    # Inside a <script> element: "</" and "<!--" must not appear as written.
    return (
        json.dumps(data, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )


@require_GET
def index(request):
    datasets = catalogue.datasets()
    national = [d for d in datasets if not d.region_code]
    regional = [d for d in datasets if d.region_code]
    markup = {
        "@context": "https://schema.org",
        "@type": "DataCatalog",
        "name": "Data terbuka Jejaring",
        "url": platform_url(reverse("opendata:index")),
        "dataset": [_schema_org(d, brief=True) for d in national],
    }
    response = render(
        request,
        "opendata/index.html",
        {
            "national": national,
            "regional": regional,
            "markup": _json_ld(markup),
            "dictionaries": dictionaries.all_dictionaries().values(),
        },
    )
    response["Cache-Control"] = SHORT_CACHE
    return response


@require_GET
def dataset_page(request, name: str):
    dataset = catalogue.dataset(name)
    if dataset is None:
        raise Http404
    markup = {"@context": "https://schema.org", **_schema_org(dataset)}
    response = render(
        request,
        "opendata/dataset.html",
        {
            "dataset": dataset,
            "markup": _json_ld(markup),
            "is_registry": name == REGISTRY,
            "publisher": catalogue.publisher(),
        },
    )
    response["Cache-Control"] = SHORT_CACHE
    return response


def _page_number(request) -> int:
    raw = request.GET.get("page") or "1"
    return min(int(raw), 10_000) if raw.isascii() and raw.isdigit() and int(raw) > 0 else 1


CONTENT_TYPES = {
    "jsonld": "application/ld+json; charset=utf-8",
    "ttl": "text/turtle; charset=utf-8",
}


@require_GET
def catalog(request, fmt: str):
    """The DCAT-AP catalogue, one page of datasets; serialised once per state of the files."""
    if fmt not in CONTENT_TYPES:
        raise Http404
    page = _page_number(request)
    files = list(BuiltFile.objects.all())
    key = (
        "opendata:catalog:"
        + hashlib.sha256(f"{catalogue.state_key(files)}|{fmt}|{page}".encode()).hexdigest()
    )
    text = cache.get(key)
    if text is None:
        graph = dcat.catalog_graph(catalogue.datasets(files), page=page, suffix=fmt)
        text = dcat.serialise(graph, fmt)
        cache.set(key, text, timeout=24 * 60 * 60)
    response = HttpResponse(text, content_type=CONTENT_TYPES[fmt])
    response["Cache-Control"] = SHORT_CACHE
    return response


@require_GET
def dictionary_page(request, name: str):
    found = dictionaries.all_dictionaries().get(name)
    if found is None:
        raise Http404
    columns = [(c, c.allowed()) for c in found.columns]
    datasets = [d for d in catalogue.datasets() if d.dictionary.name == name and not d.region_code]
    return render(
        request,
        "opendata/dictionary.html",
        {"dictionary": found, "columns": columns, "datasets": datasets},
    )


@require_GET
def dictionary_json(request, name: str):
    found = dictionaries.all_dictionaries().get(name)
    if found is None:
        raise Http404
    response = JsonResponse(
        dictionaries.table_schema(found), json_dumps_params={"ensure_ascii": False, "indent": 1}
    )
    response["Content-Type"] = "application/schema+json; charset=utf-8"
    return response


@require_GET
def download(request, name: str):
    """A built file (`<stem>.csv`, `<stem>.json`), its checksum (`<name>.sha256`, as sha256sum
    writes it) or every checksum (`SHA256SUMS`)."""
    if name == "SHA256SUMS":
        files = building.servable(BuiltFile.objects.order_by("name"))
        text = "".join(f"{f.sha256}  {f.name}\n" for f in files)
        return HttpResponse(text, content_type="text/plain; charset=utf-8")
    checksum = name.endswith(".sha256")
    file = BuiltFile.objects.filter(name=name.removesuffix(".sha256")).first()
    if file is None or not building.servable([file]):
        raise Http404
    if checksum:
        return HttpResponse(f"{file.sha256}  {file.name}\n", content_type="text/plain")
    path = building.root() / file.path
    if not path.exists():
        raise Http404
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=file.name,
        content_type=f"{catalogue.MEDIA_TYPES[file.fmt]}; charset=utf-8",
    )
    response["ETag"] = f'"{file.sha256}"'
    response["Digest"] = f"sha-256={file.sha256}"
    response["Cache-Control"] = SHORT_CACHE
    return response


@require_GET
def yearly(request):
    """The registry's yearly snapshots, for a mirror: each year's files with their checksums,
    and where to continue in the change feed (the smallest cursor of the files loaded)."""
    dataset = catalogue.dataset(REGISTRY)
    years = dataset.yearly if dataset else []
    by_year: dict[int, dict] = {}
    for d in years:
        entry = by_year.setdefault(d.file.year, {"year": d.file.year, "rows": d.file.rows})
        entry[d.file.fmt] = {
            "url": d.url,
            "sha256": d.file.sha256,
            "size": d.file.size,
            "modified_at": d.file.modified_at.isoformat(),
            "change_feed_cursor": d.file.feed_cursor or None,
        }
    return JsonResponse(
        {
            "change_feed": platform_url(reverse("public_registry:changes")),
            "years": [by_year[y] for y in sorted(by_year)],
        },
        json_dumps_params={"ensure_ascii": False},
    )


# --- The CKAN API --------------------------------------------------------------------------------


def _params(request) -> dict:
    params: dict = dict(request.GET.items())
    if request.method == "POST":
        if request.content_type == "application/json":
            try:
                body = json.loads(request.body or b"{}")
            except ValueError as exc:
                raise ckan.ActionError(400, "Bad Request", "JSON Error: not valid JSON") from exc
            if not isinstance(body, dict):
                raise ckan.ActionError(400, "Bad Request", "JSON Error: not an object")
            params.update(body)
        else:
            params.update(request.POST.items())
    return params


@csrf_exempt  # read-only: no state changes, no session used
@require_http_methods(["GET", "POST"])
def ckan_action(request, action: str):
    help_url = platform_url(reverse("opendata:index"))
    try:
        with translation.override("id"):
            result = ckan.run(action, _params(request))
    except ckan.ActionError as error:
        return JsonResponse(
            {"help": help_url, "success": False, "error": error.payload()},
            status=error.status,
            json_dumps_params={"ensure_ascii": False},
        )
    return JsonResponse(
        {"help": help_url, "success": True, "result": result},
        json_dumps_params={"ensure_ascii": False},
    )
