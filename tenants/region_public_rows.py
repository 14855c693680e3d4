"""A region's rows in the public schema, for its export and for `manage.py restore_region`.

The shared agreement records it owns or is a party to (cooperation/: the records, their
parties, this region's participations and signatures, the owner's withholding), the public
record of those agreements (public_registry/: the published record and its versions) and its
marketplace listings. Each model is a JSON section (Django's serialisation, primary keys kept:
public-schema keys are the platform's, unique across regions), read by label (the models sit in
features above tenants).

Restoring inserts only the rows that are missing: a row whose key (or natural key, e.g. one
party per region and agreement) still exists is left as it is, whoever's it is; a row pointing
at something that no longer exists (and cannot be left empty) is refused. Both are reported by
the dry run. The region's own tenant may have a new key (onboarded again): references to the
exported tenant are moved to it; references to other tenants that are gone are emptied.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import Q
from django_tenants.utils import get_public_schema_name, schema_context

# In the order they are restored (what a row points at comes first), with each model's
# natural key besides its primary key (a row matching it is an existing row).
MODELS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("cooperation.cooperation", ()),
    ("cooperation.party", ("cooperation", "region")),
    ("cooperation.participation", ("cooperation", "tenant")),
    ("cooperation.signeddocument", ()),
    ("cooperation.partysignature", ("cooperation", "tenant", "instrument")),
    ("public_registry.withholding", ("cooperation",)),
    ("public_registry.publishedagreement", ("cooperation",)),
    ("public_registry.publishedversion", ("record", "number")),
    ("public_registry.publisheddocument", ("record", "source_id")),
    ("marketplace.listing", ()),
)
# Rows the search index shows publicly: re-indexed after the restore (search.index).
INDEXED = {"marketplace.listing": "listing"}


def _model(label: str):
    return apps.get_model(label)


def export_rows(tenant) -> dict:
    """{"tenant_id": ..., "rows": {label: [serialised rows]}} of this region."""
    cooperation = _model("cooperation.Cooperation")
    with schema_context(get_public_schema_name()):
        coops = cooperation.objects.filter(
            Q(owner=tenant) | Q(parties__region_id=tenant.region_id)
        ).values("pk")
        coop_ids = sorted(set(coops.values_list("pk", flat=True)))
        published = _model("public_registry.PublishedAgreement").objects.filter(
            cooperation_id__in=coop_ids
        )
        querysets = {
            "cooperation.cooperation": cooperation.objects.filter(pk__in=coop_ids),
            "cooperation.party": _model("cooperation.Party").objects.filter(
                cooperation_id__in=coop_ids
            ),
            "cooperation.participation": _model("cooperation.Participation").objects.filter(
                tenant=tenant
            ),
            # The signed copies this region uploaded (their files are in its folder).
            "cooperation.signeddocument": _model("cooperation.SignedDocument").objects.filter(
                cooperation_id__in=coop_ids, stored_schema=tenant.schema_name
            ),
            "cooperation.partysignature": _model("cooperation.PartySignature").objects.filter(
                tenant=tenant
            ),
            "public_registry.withholding": _model("public_registry.Withholding").objects.filter(
                cooperation__owner=tenant
            ),
            "public_registry.publishedagreement": published,
            "public_registry.publishedversion": _model(
                "public_registry.PublishedVersion"
            ).objects.filter(record__in=published),
            "public_registry.publisheddocument": _model(
                "public_registry.PublishedDocument"
            ).objects.filter(record__in=published),
            "marketplace.listing": _model("marketplace.Listing").objects.filter(tenant=tenant),
        }
        rows = {
            label: json.loads(serializers.serialize("json", querysets[label].order_by("pk")))
            for label, _ in MODELS
        }
    return {
        "tenant_id": tenant.pk,
        "region": tenant.region_id,
        "schema": tenant.schema_name,
        "rows": rows,
    }


def write_files(archive, tenant, section: dict) -> list[str]:
    """Into the export: the signed copies this region uploaded (files/, its folder, restored
    with the workspace's files) and the public copies of its published documents
    (public_files/, the platform's public folder). Returns the names missing from storage."""
    missing: list[str] = []
    have = set(archive.namelist())
    wanted = [
        (tenant.schema_name, "files/", row["fields"]["file"])
        for row in section["rows"]["cooperation.signeddocument"]
    ] + [
        (get_public_schema_name(), "public_files/", row["fields"]["file"])
        for row in section["rows"]["public_registry.publisheddocument"]
    ]
    for schema, prefix, name in wanted:
        if not name or prefix + name in have:
            continue
        with schema_context(schema):
            if not default_storage.exists(name):
                missing.append(name)
                continue
            archive.write(default_storage.path(name), prefix + name)
        have.add(prefix + name)
    return missing


def restore_public_files(zf) -> int:
    """The platform's public copies back from public_files/ (a file already there with the
    same content is kept). Returns how many were written."""
    written = 0
    with schema_context(get_public_schema_name()):
        for member in zf.namelist():
            if not member.startswith("public_files/") or member.endswith("/"):
                continue
            name = member.removeprefix("public_files/")
            data = zf.read(member)
            if default_storage.exists(name):
                with default_storage.open(name, "rb") as existing:
                    if existing.read() == data:
                        continue
                default_storage.delete(name)
            stored = default_storage.save(name, ContentFile(data))
            if stored != name:
                raise RuntimeError(f"{name} was stored as {stored}: check the storage.")
            written += 1
    return written


@dataclass
class ModelPlan:
    label: str
    exported: int = 0
    insert: list = field(default_factory=list)  # DeserializedObject
    kept: int = 0
    refused: list[str] = field(default_factory=list)


def plan(tenant, section: dict | None) -> list[ModelPlan]:
    """What restoring `section` (export_rows' output) into `tenant` would do. Writes nothing."""
    plans: list[ModelPlan] = []
    if not section:
        return plans
    old_tenant = section.get("tenant_id")
    tenant_model = _model("tenants.Tenant")
    available: dict[str, set] = {}  # label -> keys that will exist after the restore
    with schema_context(get_public_schema_name()):
        for label, natural in MODELS:
            model = _model(label)
            p = ModelPlan(label)
            rows = section["rows"].get(label, [])
            p.exported = len(rows)
            same_keys = model._default_manager.filter(pk__in=[row["pk"] for row in rows])
            existing = set(same_keys.values_list("pk", flat=True))
            # Rows with a region of their own: whose is the row now holding each key.
            owned_by = (
                dict(same_keys.values_list("pk", "tenant_id"))
                if any(f.name == "tenant" for f in model._meta.concrete_fields)
                else {}
            )
            will_exist = set(existing)
            objs = list(serializers.deserialize("json", json.dumps(rows)))
            obj: Any  # a row of any of MODELS
            for d in objs:
                obj = d.object
                for f in model._meta.concrete_fields:
                    if not f.is_relation or f.related_model is None:
                        continue
                    value = getattr(obj, f.attname)
                    if value is None:
                        continue
                    target = f.related_model
                    if target is tenant_model and value == old_tenant:
                        setattr(obj, f.attname, tenant.pk)
                # A signed copy stored in the exported region's folder: now the tenant's.
                if label == "cooperation.signeddocument" and obj.stored_schema == section.get(
                    "schema"
                ):
                    obj.stored_schema = tenant.schema_name
            for d in objs:
                obj = d.object
                if obj.pk in owned_by and owned_by[obj.pk] != obj.tenant_id:
                    p.refused.append(
                        f"{label} {obj.pk}: the key is held by another region's row (tenant "
                        f"{owned_by[obj.pk]}), left as it is"
                    )
                    continue
                if obj.pk in existing or _natural_twin(model, natural, obj):
                    p.kept += 1
                    continue
                refused = _fill_references(obj, model, available, label, objs)
                if refused:
                    p.refused.append(f"{label} {obj.pk}: its {refused} no longer exists")
                    continue
                p.insert.append(d)
                will_exist.add(obj.pk)
            available[label] = will_exist
            plans.append(p)
    return plans


def _natural_twin(model, natural: tuple[str, ...], obj) -> bool:
    """Another row with the same natural key exists (an empty part matches nothing)."""
    if not natural:
        return False
    key = {
        model._meta.get_field(n).attname: getattr(obj, model._meta.get_field(n).attname)
        for n in natural
    }
    if any(v is None for v in key.values()):
        return False
    return model._default_manager.filter(**key).exists()


def _fill_references(obj, model, available, label, objs) -> str:
    """Empty `obj`'s optional references to rows that will not exist; the first required one
    that will not ("field value") is returned (the row is refused), or ""."""
    for f in model._meta.concrete_fields:
        if not f.is_relation or f.related_model is None:
            continue
        value = getattr(obj, f.attname)
        if value is None:
            continue
        target_label = f.related_model._meta.label_lower
        if target_label == label:
            known = available.get(label, set()) | {d.object.pk for d in objs}
        else:
            known = available.get(target_label, set())
        if value in known or f.related_model._default_manager.filter(pk=value).exists():
            continue
        if not f.null:
            return f"{f.name} {value}"
        setattr(obj, f.attname, None)
    return ""


def restore(plans: Iterable[ModelPlan]) -> int:
    """Insert the planned rows (inside the caller's transaction), move the sequences past
    them and re-index what search shows. Returns the number of rows inserted."""
    record_change = None
    inserted = 0
    with schema_context(get_public_schema_name()):
        for p in plans:
            for d in p.insert:
                d.save()
                inserted += 1
            if p.insert:
                _move_sequence_past(_model(p.label))
            if p.label in INDEXED and p.insert:
                if record_change is None:
                    from django.utils.module_loading import import_string

                    record_change = import_string("search.index.record_change")
                for d in p.insert:
                    record_change(doc_type=INDEXED[p.label], object_id=d.object.pk)
    return inserted


def _move_sequence_past(model) -> None:
    """The table's key sequence past the restored keys, never back (keys given out since the
    export, and the keys of rows deleted since, are not given out again)."""
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
        sequence = cursor.fetchone()[0]
        if sequence is None:
            return
        quoted = connection.ops.quote_name
        cursor.execute(
            f"SELECT setval(%s, (SELECT MAX({quoted(column)}) FROM {quoted(table)})) "  # noqa: S608
            f"WHERE (SELECT MAX({quoted(column)}) FROM {quoted(table)}) > "
            f"(SELECT last_value FROM {sequence})",
            [sequence],
        )
