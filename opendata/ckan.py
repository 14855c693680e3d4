"""A CKAN-compatible read API (the action API's subset a CKAN harvester and CKAN clients use):
`package_list`, `package_show`, `package_search`, `organization_list`, `organization_show`,
`status_show`, at /api/3/action/<name> (and /api/action/<name>, which ckanapi calls), by GET
or POST (form or JSON body), answering CKAN's envelope {"help", "success", "result"} or
{"help", "success": false, "error": {"__type", "message"}}.

ckanext-harvest's CKAN harvester pages `package_search` with `rows`, `start`, `sort=id asc`
and an `fq` of `metadata_modified:[<since>Z TO *]`, `organization:<name>` terms (ORed) or
`-organization:<name>`, and stops at an empty page; `fq` here understands those and `name:`,
`id:`, `res_format:`, `tags:`, `groups:` (there are none), and refuses anything else
(409, as CKAN answers a query it cannot parse) rather than answer a wrong list.
"""

from __future__ import annotations

import datetime
import re
import uuid

from django.utils import timezone

from core.hosts import platform_url

from . import catalogue

CKAN_VERSION = "2.10.0"  # the version of the action API this subset follows
MAX_ROWS = 1000
ORGANIZATION = "jejaring"


class ActionError(Exception):
    def __init__(self, status: int, kind: str, message: str, **extra):
        super().__init__(message)
        self.status, self.kind, self.message, self.extra = status, kind, message, extra

    def payload(self) -> dict:
        return {"__type": self.kind, "message": self.message, **self.extra}


def _stamp(moment: datetime.datetime | None) -> str | None:
    """CKAN's timestamps: UTC, ISO 8601 without an offset."""
    if moment is None:
        return None
    return timezone.localtime(moment, datetime.UTC).replace(tzinfo=None).isoformat()


def organization(package_count: int | None = None) -> dict:
    who = catalogue.publisher()
    org = {
        "id": str(uuid.uuid5(catalogue.NAMESPACE, f"organization:{ORGANIZATION}")),
        "name": ORGANIZATION,
        "title": who.name,
        "type": "organization",
        "description": "Platform kerja sama daerah Indonesia. / Indonesia's regional "
        "cooperation platform.",
        "image_url": "",
        "created": "2025-01-01T00:00:00",
        "is_organization": True,
        "approval_status": "approved",
        "state": "active",
    }
    if package_count is not None:
        org["package_count"] = package_count
    return org


def resource(dataset: catalogue.Dataset, distribution: catalogue.Distribution, position: int):
    file = distribution.file
    return {
        "id": str(uuid.uuid5(catalogue.NAMESPACE, f"resource:{file.name}")),
        "package_id": dataset.id,
        "name": distribution.title_id,
        "description": distribution.title_en,
        "url": distribution.url,
        "format": file.fmt.upper(),
        "mimetype": distribution.media_type,
        "hash": file.sha256,
        # ckanext-dcat reads the algorithm of `hash` from here (spdx:algorithm).
        "hash_algorithm": "http://spdx.org/rdf/terms#checksumAlgorithm_sha256",
        "size": file.size,
        "created": _stamp(file.modified_at),
        "last_modified": _stamp(file.modified_at),
        "metadata_modified": _stamp(file.checked_at),
        "position": position,
        "state": "active",
        "url_type": None,
        "resource_type": None,
        "conforms_to": dataset.schema_url,
        "schema": dataset.schema_url,
        "rows": file.rows,
        "temporal_start": f"{file.year}-01-01" if file.year else None,
        "temporal_end": f"{file.year}-12-31" if file.year else None,
        "change_feed_cursor": file.feed_cursor or None,
    }


def package(dataset: catalogue.Dataset) -> dict:
    who = catalogue.publisher()
    start, end = dataset.temporal
    place = dataset.spatial[0]
    extras = {
        "title_en": dataset.title_en,
        "notes_en": dataset.description_en,
        "frequency": dataset.frequency_uri,
        "spatial_uri": place.uri,
        "spatial_text": place.label,
        "spatial_code": place.code,
        "temporal_start": start.isoformat() if start else "",
        "temporal_end": end.isoformat() if end else "",
        "data_dictionary": dataset.dictionary_url,
        "conforms_to": dataset.schema_url,
        "language": "id,en",
        "publisher_name": who.name,
        "publisher_url": who.url,
        "contact_email": who.email,
    }
    return {
        "id": dataset.id,
        "name": dataset.name,
        "title": dataset.title_id,
        "notes": f"{dataset.description_id}\n\n{dataset.description_en}",
        "type": "dataset",
        "state": "active",
        "private": False,
        "isopen": True,
        "license_id": dataset.licence.id,
        "license_title": dataset.licence.title,
        "license_url": dataset.licence.url,
        "url": dataset.url,
        "version": None,
        "author": who.name,
        "author_email": who.email,
        "maintainer": who.name,
        "maintainer_email": who.email,
        "owner_org": organization()["id"],
        "organization": organization(),
        "metadata_created": _stamp(dataset.created),
        "metadata_modified": _stamp(dataset.modified),
        "num_resources": len(dataset.distributions),
        "num_tags": len(dataset.keywords),
        "tags": [
            {"name": k, "display_name": k, "state": "active", "vocabulary_id": None}
            for k in dataset.keywords
        ],
        "groups": [],
        "relationships_as_subject": [],
        "relationships_as_object": [],
        "extras": [{"key": k, "value": v} for k, v in extras.items() if v],
        "resources": [
            resource(dataset, d, position) for position, d in enumerate(dataset.distributions)
        ],
    }


# --- Actions -----------------------------------------------------------------------------------


def _int(params, name: str, default: int, maximum: int | None = None) -> int:
    raw = str(params.get(name, "") or "").strip()
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()):
        raise ActionError(409, "Validation Error", "Invalid integer", **{name: ["Invalid integer"]})
    value = int(raw)
    return min(value, maximum) if maximum is not None else value


def package_list(params) -> list[str]:
    names = [d.name for d in catalogue.datasets()]
    names.sort()
    offset = _int(params, "offset", 0)
    limit = _int(params, "limit", len(names))
    return names[offset : offset + limit]


def package_show(params) -> dict:
    """By name (reads that dataset's files only) or by id."""
    identifier = str(params.get("id", "") or params.get("name_or_id", "") or "").strip()
    if not identifier:
        raise ActionError(409, "Validation Error", "Missing value", id=["Missing value"])
    if _looks_like_id(identifier):
        found = next((d for d in catalogue.datasets() if d.id == identifier), None)
    else:
        found = catalogue.dataset(identifier)
    if found is None:
        raise ActionError(404, "Not Found Error", "Not found")
    return package(found)


def _looks_like_id(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


# fq: clauses "[-]field:value" where value is [a TO b], "quoted" or a word; "OR" between two
# clauses makes them one alternative.
_CLAUSE = re.compile(r'(-?)(\w+):(\[[^\]]*\]|"[^"]*"|[^\s()]+)|\bOR\b|\(|\)')
_RANGE = re.compile(r"^\[\s*(\S+)\s+TO\s+(\S+)\s*\]$")


def _moment(raw: str, field: str) -> str | None:
    if raw == "*":
        return None
    text = raw.rstrip("Z")
    if text.upper().startswith("NOW"):
        raise ActionError(409, "Search Query Error", f"Unsupported date in {field}: {raw}")
    try:
        datetime.datetime.fromisoformat(text)
    except ValueError as exc:
        raise ActionError(409, "Search Query Error", f"Invalid date in {field}: {raw}") from exc
    return text


def _matcher(negated: bool, field: str, value: str):
    value = value.strip('"')
    if field == "metadata_modified":
        match = _RANGE.match(value if value.startswith("[") else "")
        if not match:
            raise ActionError(409, "Search Query Error", f"Expected a range: {field}:{value}")
        low, high = (_moment(m, field) for m in match.groups())

        def test(p: dict) -> bool:
            stamp = p["metadata_modified"] or ""
            return (low is None or stamp >= low) and (high is None or stamp <= high)

    elif field in ("organization", "owner_org"):

        def test(p: dict) -> bool:
            return value in (p["organization"]["name"], p["organization"]["id"])

    elif field in ("name", "id"):

        def test(p: dict) -> bool:
            return p[field] == value

    elif field == "res_format":

        def test(p: dict) -> bool:
            return any(r["format"].lower() == value.lower() for r in p["resources"])

    elif field == "tags":

        def test(p: dict) -> bool:
            return any(t["name"] == value for t in p["tags"])

    elif field == "groups":

        def test(p: dict) -> bool:
            return False

    elif field == "license_id":

        def test(p: dict) -> bool:
            return p["license_id"] == value

    else:
        raise ActionError(409, "Search Query Error", f"Unknown field in fq: {field}")
    return (lambda p: not test(p)) if negated else test


def parse_fq(fq: str):
    """The packages `fq` keeps, as a predicate (AND of clauses; `a OR b` one clause)."""
    groups: list[list] = []
    pending_or = False
    for match in _CLAUSE.finditer(fq or ""):
        word = match.group(0)
        if word in ("(", ")"):
            continue
        if word == "OR":
            pending_or = True
            continue
        test = _matcher(match.group(1) == "-", match.group(2), match.group(3))
        if pending_or and groups:
            groups[-1].append(test)
        else:
            groups.append([test])
        pending_or = False
    leftover = _CLAUSE.sub("", fq or "").strip()
    if leftover and leftover != "*:*":
        raise ActionError(409, "Search Query Error", f"Cannot parse fq: {leftover}")
    return lambda p: all(any(t(p) for t in group) for group in groups)


SORTS = {
    "id": lambda p: p["id"],
    "name": lambda p: p["name"],
    "title_string": lambda p: p["title"].lower(),
    "metadata_modified": lambda p: p["metadata_modified"] or "",
    "metadata_created": lambda p: p["metadata_created"] or "",
}


def _sorted(packages: list[dict], sort: str) -> list[dict]:
    for part in reversed([s.strip() for s in (sort or "").split(",") if s.strip()]):
        field, _sep, direction = part.partition(" ")
        if field == "score":
            continue
        if field not in SORTS:
            raise ActionError(409, "Search Query Error", f"Cannot sort by {field}")
        packages.sort(key=SORTS[field], reverse=direction.strip().lower() == "desc")
    return packages


def _words(q: str) -> list[str]:
    q = (q or "").strip()
    if q in ("", "*:*", "*"):
        return []
    return [w.lower() for w in re.findall(r"\w[\w.-]*", q)]


def package_search(params) -> dict:
    rows = _int(params, "rows", 10, MAX_ROWS)
    start = _int(params, "start", 0)
    sort = str(params.get("sort") or "score desc, metadata_modified desc")
    keep = parse_fq(str(params.get("fq") or ""))
    words = _words(str(params.get("q") or ""))
    packages = [package(d) for d in catalogue.datasets()]

    def text(p: dict) -> str:
        tags = " ".join(t["name"] for t in p["tags"])
        return f"{p['name']} {p['title']} {p['notes']} {tags}".lower()

    found = [p for p in packages if keep(p) and all(w in text(p) for w in words)]
    found = _sorted(found, sort)
    return {
        "count": len(found),
        "sort": sort,
        "facets": {},
        "search_facets": {},
        "results": found[start : start + rows],
    }


def organization_list(params) -> list:
    if str(params.get("all_fields", "")).lower() in ("true", "1"):
        return [organization(len(catalogue.datasets()))]
    return [ORGANIZATION]


def organization_show(params) -> dict:
    identifier = str(params.get("id", "") or "").strip()
    org = organization()
    if identifier not in (org["name"], org["id"]):
        raise ActionError(404, "Not Found Error", "Not found")
    return organization(len(catalogue.datasets()))


def status_show(params) -> dict:
    return {
        "site_title": "Jejaring",
        "site_description": "Data terbuka kerja sama daerah / Open data of regional cooperation",
        "site_url": platform_url("/").rstrip("/"),
        "ckan_version": CKAN_VERSION,
        "locale_default": "id",
        "error_emails_to": None,
        "extensions": [],
    }


ACTIONS = {
    "package_list": package_list,
    "package_show": package_show,
    "package_search": package_search,
    "current_package_list_with_resources": None,  # answered as package_search's results
    "organization_list": organization_list,
    "organization_show": organization_show,
    "status_show": status_show,
}


def run(name: str, params) -> dict:
    """The action's result, or ActionError."""
    if name == "current_package_list_with_resources":
        offset = _int(params, "offset", 0)
        limit = _int(params, "limit", MAX_ROWS, MAX_ROWS)
        return package_search({"rows": limit, "start": offset, "sort": "metadata_modified desc"})[
            "results"
        ]
    action = ACTIONS.get(name)
    if action is None:
        raise ActionError(400, "Bad Request", f"Action name not known: {name}")
    return action(params)
