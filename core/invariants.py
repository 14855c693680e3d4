"""What must hold in the data whatever happened to the machines: after a database restart, a
worker killed mid-task, a restore. `check_all()` returns the broken ones (empty: all hold);
`manage.py check_invariants` prints them and exits non-zero when one breaks; the fault bench
(bench/faults.py) and the restore tests run it.

1. `agreement_stage_matches_last_event`: every shared agreement's stage is the one its last
   recorded stage move led to (the audit event with a `to`, written in the same transaction as
   the move, by any of its parties' registers). A move half-written would break it.
2. `register_matches_public_record`: every agreement in a region's register points at a shared
   record that exists, and every published agreement a region owns is in its register.
3. `published_version_exists`: every published agreement has its current version's immutable
   snapshot, and no version number beyond it.
4. `search_outbox_no_orphan`: no pending outbox row of a kind no worker can apply; the
   PostgreSQL search index (written in the writer's transaction, like the outbox row) holds
   exactly the documents its sources show publicly, no more (a deleted or unpublished object
   still found) and no fewer (a change that never reached the index or the outbox).

The checks span features (agreements, cooperation, the public registry, search), which sit in
layers above core: they read those models by label (`apps.get_model`) and the search sources by
dotted path, and never write.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Max
from django.utils.module_loading import import_string
from django_tenants.utils import get_public_schema_name, schema_context

# At most this many examples of each broken invariant are reported.
EXAMPLES = 20


@dataclass
class Result:
    name: str
    checked: int = 0
    broken: list[str] = field(default_factory=list)

    @property
    def holds(self) -> bool:
        return not self.broken

    def as_dict(self) -> dict:
        return {"checked": self.checked, "broken": len(self.broken), "examples": self.broken[:5]}


def _model(label: str):
    return apps.get_model(label)


def _region_schemas(schemas: Iterable[str] | None = None) -> list:
    tenants = _model("tenants.Tenant").objects.exclude(schema_name=get_public_schema_name())
    if schemas is not None:
        tenants = tenants.filter(schema_name__in=list(schemas))
    return list(tenants.order_by("schema_name"))


def _registers(tenants) -> dict:
    """{tenant: {agreement id: cooperation id}} read in each region's schema."""
    agreement = _model("agreements.Agreement")
    registers = {}
    for tenant in tenants:
        with schema_context(tenant.schema_name):
            registers[tenant] = dict(agreement.objects.values_list("pk", "cooperation_id"))
    return registers


def agreement_stage_matches_last_event(registers: dict) -> Result:
    result = Result("agreement_stage_matches_last_event")
    event = _model("tenants.AuditEvent")
    cooperation = _model("cooperation.Cooperation")
    last: dict[int, tuple] = {}  # cooperation id -> (created_at, id, to, schema)
    for tenant, register in registers.items():
        if not register:
            continue
        moves = (
            event.objects.filter(
                tenant=tenant, object_type="agreements.agreement", data__has_key="to"
            )
            .order_by("object_id", "-created_at", "-id")
            .distinct("object_id")
            .values_list("object_id", "created_at", "id", "data")
        )
        for object_id, created_at, event_id, data in moves:
            coop_id = register.get(int(object_id)) if object_id.isdigit() else None
            if coop_id is None:
                continue
            key = (created_at, event_id)
            if coop_id not in last or key > last[coop_id][:2]:
                last[coop_id] = (created_at, event_id, data.get("to"), tenant.schema_name)
    stages = dict(cooperation.objects.filter(pk__in=list(last)).values_list("pk", "stage"))
    for coop_id, (_at, event_id, to, schema) in sorted(last.items()):
        result.checked += 1
        if coop_id not in stages:
            result.broken.append(
                f"cooperation {coop_id}: event {event_id} ({schema}) but no record"
            )
        elif stages[coop_id] != to:
            result.broken.append(
                f"cooperation {coop_id}: stage {stages[coop_id]!r}, last move ({schema}, event "
                f"{event_id}) led to {to!r}"
            )
    return result


def register_matches_public_record(registers: dict) -> Result:
    result = Result("register_matches_public_record")
    cooperation = _model("cooperation.Cooperation")
    published = _model("public_registry.PublishedAgreement")
    all_ids = {c for register in registers.values() for c in register.values()}
    existing = set(cooperation.objects.filter(pk__in=all_ids).values_list("pk", flat=True))
    for tenant, register in registers.items():
        for agreement_id, coop_id in sorted(register.items()):
            result.checked += 1
            if coop_id not in existing:
                result.broken.append(
                    f"{tenant.schema_name} agreement {agreement_id}: "
                    f"shared record {coop_id} missing"
                )
        if tenant.region_id is None:
            continue
        owned = published.objects.filter(owner_region_id=tenant.region_id).values_list(
            "pk", "cooperation_id"
        )
        in_register = set(register.values())
        for record_id, coop_id in owned:
            result.checked += 1
            if coop_id not in in_register:
                result.broken.append(
                    f"{tenant.schema_name}: published agreement {record_id} (shared record "
                    f"{coop_id}) is not in the region's register"
                )
    return result


def published_version_exists() -> Result:
    result = Result("published_version_exists")
    published = _model("public_registry.PublishedAgreement")
    rows = published.objects.annotate(last_number=Max("versions__number")).values_list(
        "pk", "version", "last_number"
    )
    version = _model("public_registry.PublishedVersion")
    current = set(
        version.objects.filter(
            record__in=published.objects.all(),
        ).values_list("record_id", "number")
    )
    for record_id, number, last_number in rows.iterator():
        result.checked += 1
        if (record_id, number) not in current:
            result.broken.append(
                f"published agreement {record_id}: version {number} has no snapshot"
            )
        elif last_number != number:
            result.broken.append(
                f"published agreement {record_id}: at version {number} but a snapshot "
                f"numbered {last_number} exists"
            )
    return result


def search_outbox_no_orphan(batch: int = 2000) -> Result:
    result = Result("search_outbox_no_orphan")
    task = _model("search.IndexTask")
    document = _model("search.SearchDocument")
    sources = {s.doc_type: s for s in import_string("search.documents.sources")()}
    for doc_type in (
        task.objects.filter(done_at__isnull=True).values_list("doc_type", flat=True).distinct()
    ):
        if doc_type not in sources:
            result.broken.append(f"pending outbox rows of unknown kind {doc_type!r}")
    for doc_type, source in sources.items():
        indexed = set(
            document.objects.filter(doc_type=doc_type).values_list("object_id", flat=True)
        )
        visible: set[int] = set()
        ids = list(source.all_ids())
        for start in range(0, len(ids), batch):
            visible |= set(source.build(ids[start : start + batch]))
        result.checked += len(visible | indexed)
        for object_id in sorted(indexed - visible)[:EXAMPLES]:
            result.broken.append(f"{doc_type} {object_id}: in the search index, not public")
        for object_id in sorted(visible - indexed)[:EXAMPLES]:
            result.broken.append(f"{doc_type} {object_id}: public, missing from the search index")
    return result


def check_all(*, schemas: Iterable[str] | None = None) -> list[Result]:
    """Every invariant, over every region (or only `schemas`, for the agreement checks)."""
    with schema_context(get_public_schema_name()):
        registers = _registers(_region_schemas(schemas))
        return [
            agreement_stage_matches_last_event(registers),
            register_matches_public_record(registers),
            published_version_exists(),
            search_outbox_no_orphan(),
        ]


def broken(results: list[Result]) -> list[Result]:
    return [r for r in results if not r.holds]
