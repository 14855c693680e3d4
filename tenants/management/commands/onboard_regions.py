"""Bulk onboarding (a province's trade mission, a pilot): provision many regions at once."""

import csv
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from tqdm import tqdm

from tenants.codes import validate_region_code
from tenants.models import Region, Tenant
from tenants.onboarding import provision_region


class Command(BaseCommand):
    help = (
        "Onboard regions by Kemendagri code (arguments) or from a CSV with columns `code` and "
        "optionally `admin_email`. Each region is provisioned in its own transaction; regions "
        "already on the platform are skipped, so the command is idempotent and resumable. With an "
        "admin_email, that existing account becomes the new region's first administrator."
    )

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="*", help="Region codes, e.g. 35.73 35.07 61")
        parser.add_argument("--csv", type=Path, help="CSV file with columns code[,admin_email]")
        parser.add_argument("--no-progress", action="store_true")

    def _rows(self, codes, csv_path):
        rows = [{"code": code, "admin_email": ""} for code in codes]
        if csv_path:
            if not csv_path.exists():
                raise CommandError(f"{csv_path} does not exist.")
            with csv_path.open(encoding="utf-8-sig") as handle:
                reader = csv.DictReader(handle)
                if "code" not in (reader.fieldnames or []):
                    raise CommandError(
                        "The CSV needs a `code` column (and optionally `admin_email`)."
                    )
                rows += [
                    {"code": r["code"].strip(), "admin_email": (r.get("admin_email") or "").strip()}
                    for r in reader
                ]
        if not rows:
            raise CommandError("Give region codes or --csv.")
        return rows

    def handle(self, *args, codes, csv, no_progress, **options):
        from accounts.models import User

        rows = self._rows(codes, csv)
        # Validate everything before touching anything: a typo fails the run up front.
        problems = []
        for row in rows:
            try:
                validate_region_code(row["code"])
            except ValidationError as exc:
                problems.append(exc.messages[0])
                continue
            if not Region.objects.autonomous().filter(code=row["code"]).exists():
                problems.append(f"{row['code']}: no province, kabupaten or kota has this code.")
            if (
                row["admin_email"]
                and not User.objects.filter(email__iexact=row["admin_email"]).exists()
            ):
                problems.append(
                    f"{row['code']}: no account for {row['admin_email']} (sign up first)."
                )
        if problems:
            raise CommandError("Nothing was onboarded:\n  " + "\n  ".join(problems))

        created = skipped = failed = 0
        for row in tqdm(
            rows, desc="onboarding", unit=" daerah", disable=no_progress, file=self.stderr._out
        ):
            region = Region.objects.get(code=row["code"])
            admin = (
                User.objects.filter(email__iexact=row["admin_email"]).first()
                if row["admin_email"]
                else None
            )
            tenant = Tenant.objects.filter(region=region).first()
            if tenant is not None:
                skipped += 1
                continue
            try:
                provision_region(region=region, acting_user=None, first_admin=admin)
                created += 1
            except (DatabaseError, ValidationError) as exc:
                failed += 1
                self.stderr.write(f"{region}: {exc} (re-run the command to retry)")
        self.stdout.write(
            self.style.SUCCESS(
                f"{created} onboarded, {skipped} already on the platform, {failed} failed."
            )
        )
        if failed:
            raise CommandError(f"{failed} region(s) failed; re-run to retry them.")
