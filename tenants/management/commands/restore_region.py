"""`manage.py restore_region <code> --from <export.zip> [--dry-run] [--yes]`: one region's
workspace back from its export (the ZIP of tenants/region_lifecycle.py), without
touching any other region.

In one transaction, in the region's own schema: every workspace table the export holds is
emptied and refilled with the export's rows, with their primary keys (the shared records in the
public schema point at them, and they at the shared records), and the schema's sequences are
moved past them. The files the rows refer to are written back into the region's folder (each
checked against the archive's CRC); a file already there with the same content is kept. The
region's memberships that the export lists and that are missing are created again for the
accounts that still exist (their roles, OPD and area). Then the invariants of this region are
checked (core/invariants.py: the register against the public record).

The region's rows in the public schema (the export's public.json, tenants/region_public_rows.py:
the shared agreement records it owns or is a party to, their public record, its listings) are
restored in the same transaction, only where missing: a row that still exists is left as it is
(another party's live rows are never overwritten), and a row pointing at something gone is
refused; the dry run lists both. An export older than public.json restores the workspace only.
A region whose tenant was purged is onboarded again first (`manage.py onboard_regions <code>`),
then restored into that fresh tenant with this command.

--dry-run reads and checks the archive and says what would change; nothing is written.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django_tenants.utils import tenant_context

from accounts.models import User
from core import invariants
from tenants import region_public_rows
from tenants.models import Membership, Tenant


class Command(BaseCommand):
    help = "Restore one region's workspace from its export ZIP (rows, files, memberships)."

    def add_arguments(self, parser):
        parser.add_argument("code", help="The region's code, e.g. 35.73")
        parser.add_argument("--from", dest="archive", required=True, help="The export's ZIP")
        parser.add_argument("--dry-run", action="store_true", help="Say what would change.")

    def handle(self, code, archive, dry_run=False, **options):
        tenant = Tenant.objects.filter(region_id=code).first()
        if tenant is None:
            raise CommandError(
                f"No region workspace for {code}: onboard it first "
                f"(manage.py onboard_regions {code}), then restore into it."
            )
        path = Path(archive)
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        with zipfile.ZipFile(path) as zf:
            bad = zf.testzip()
            if bad is not None:
                raise CommandError(f"The archive is damaged ({bad} fails its CRC check).")
            manifest = json.loads(zf.read("manifest.json"))
            if manifest.get("region", {}).get("code") != code:
                raise CommandError(
                    f"This export is of {manifest.get('region')}, not of {code}: nothing done."
                )
            workspace = json.loads(zf.read("workspace.json"))
            members = json.loads(zf.read("members.json"))["members"]
            files = [n for n in zf.namelist() if n.startswith("files/") and not n.endswith("/")]
            public_files = [n for n in zf.namelist() if n.startswith("public_files/")]
            models = self._models(workspace)
            with tenant_context(tenant):
                current = {label: model._default_manager.count() for label, model in models}
            wanted = {label: len(workspace[label]) for label, _ in models}
            missing_members = self._missing_members(tenant, members)
            self.stdout.write(
                f"Region {code} ({tenant.schema_name}) from {path.name}, exported "
                f"{manifest.get('exported_at')}:"
            )
            for label, _ in models:
                self.stdout.write(f"  {label}: {current[label]} now -> {wanted[label]}")
            self.stdout.write(
                f"  files: {len(files)}, public files: {len(public_files)}; memberships to "
                f"create: {len(missing_members)}"
            )
            public = json.loads(zf.read("public.json")) if "public.json" in zf.namelist() else None
            if public is not None and public.get("region") != code:
                raise CommandError(f"public.json is of {public.get('region')}, not of {code}.")
            public_plan = region_public_rows.plan(tenant, public)
            if public is None:
                self.stdout.write("  public-schema rows: none in this export (older format)")
            for p in public_plan:
                self.stdout.write(
                    f"  {p.label} (public): {p.exported} exported, {len(p.insert)} to restore, "
                    f"{p.kept} still there (left as they are), {len(p.refused)} refused"
                )
                for reason in p.refused:
                    self.stdout.write(f"    refused: {reason}")
            if dry_run:
                self.stdout.write("Dry run: nothing changed.")
                return
            with transaction.atomic():
                self._restore_rows(tenant, models, workspace)
                # Planned again inside the transaction: what exists now is left as it is.
                public_rows = region_public_rows.restore(region_public_rows.plan(tenant, public))
                for member, user in missing_members:
                    Membership.objects.create(
                        user=user,
                        tenant=tenant,
                        role=member["role"],
                        opd=member.get("opd") or "",
                        area_id=member.get("area"),
                    )
            written = self._restore_files(tenant, zf, files)
            written += region_public_rows.restore_public_files(zf)
        results = invariants.check_all(schemas=[tenant.schema_name])
        for r in results:
            self.stdout.write(f"  {r.name}: {'ok' if r.holds else 'BROKEN'} ({r.checked} checked)")
        self.stdout.write(
            f"Restored {sum(wanted.values())} rows, {public_rows} public-schema rows and {written} "
            f"files of {code}; other regions untouched."
        )
        if invariants.broken(results):
            raise CommandError("The region is restored but an invariant does not hold (above).")

    def _models(self, workspace: dict) -> list:
        tenant_apps = {label.rsplit(".", 1)[-1] for label in settings.TENANT_APPS}
        models = []
        for label in workspace:
            model = apps.get_model(label)
            if model._meta.app_label not in tenant_apps:
                raise CommandError(f"{label} is not a workspace table: not restored.")
            models.append((label, model))
        return models

    def _missing_members(self, tenant, members: list) -> list:
        have = set(Membership.objects.filter(tenant=tenant).values_list("user__email", flat=True))
        users = {u.email: u for u in User.objects.filter(email__in=[m["email"] for m in members])}
        return [
            (m, users[m["email"]])
            for m in members
            if m["email"] in users and m["email"] not in have
        ]

    def _restore_rows(self, tenant, models, workspace) -> None:
        with tenant_context(tenant):
            # DELETE, not TRUNCATE: the schema's foreign keys are deferred to the commit, by
            # which time every table is whole again.
            with connection.cursor() as cursor:
                for _, model in models:
                    table = connection.ops.quote_name(model._meta.db_table)
                    cursor.execute(f"DELETE FROM {table}")  # noqa: S608 -- a model's table
            for label, _ in models:
                for obj in serializers.deserialize("json", json.dumps(workspace[label])):
                    obj.save()
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), [m for _, m in models]):
                    cursor.execute(sql)

    def _restore_files(self, tenant, zf: zipfile.ZipFile, files: list[str]) -> int:
        written = 0
        with tenant_context(tenant):
            for member in files:
                name = member.removeprefix("files/")
                data = zf.read(member)
                if default_storage.exists(name):
                    with default_storage.open(name, "rb") as existing:
                        if existing.read() == data:
                            continue
                    default_storage.delete(name)
                stored = default_storage.save(name, ContentFile(data))
                if stored != name:
                    raise CommandError(f"{name} was stored as {stored}: check the storage.")
                written += 1
        return written
