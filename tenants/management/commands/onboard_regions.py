"""Bulk onboarding (a province's trade mission, a pilot): provision many regions at once."""

import csv
import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection
from tqdm import tqdm

from tenants.codes import validate_region_code
from tenants.models import Region, Tenant
from tenants.onboarding import provision_region

csv_module = csv  # `csv` is also the name of the --csv option in handle()
RECONNECT_EVERY = 50


class Command(BaseCommand):
    help = (
        "Onboard regions by Kemendagri code (arguments) or from a CSV with columns `code` and "
        "optionally `admin_email`. Each region is provisioned in its own transaction; regions "
        "already on the platform are skipped, so the command is idempotent and resumable. With an "
        "admin_email, that existing account becomes the new region's first administrator. "
        "--all onboards every province, kabupaten and kota (546 regions)."
    )

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="*", help="Region codes, e.g. 35.73 35.07 61")
        parser.add_argument("--csv", type=Path, help="CSV file with columns code[,admin_email]")
        parser.add_argument(
            "--all",
            action="store_true",
            dest="all_regions",
            help="Every province, kabupaten and kota not yet on the platform",
        )
        parser.add_argument("--no-progress", action="store_true")
        parser.add_argument(
            "--timings", type=Path, help="Write `code,seconds` per onboarded region to this CSV"
        )
        parser.add_argument(
            "--reconnect-every",
            type=int,
            default=RECONNECT_EVERY,
            help=f"Open a new database connection every N regions (default {RECONNECT_EVERY}; "
            "0: never)",
        )

    def _rows(self, codes, csv_path, all_regions=False):
        rows = [{"code": code, "admin_email": ""} for code in codes]
        if all_regions:
            rows += [
                {"code": code, "admin_email": ""}
                for code in Region.objects.available_for_onboarding()
                .order_by("code")
                .values_list("code", flat=True)
            ]
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
        if not rows and not all_regions:
            raise CommandError("Give region codes or --csv (or --all).")
        return rows

    def handle(
        self, *args, codes, csv, no_progress, all_regions, timings, reconnect_every, **options
    ):
        from accounts.models import User

        rows = self._rows(codes, csv, all_regions)
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
        seconds: list[tuple[str, float]] = []
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
            started = time.perf_counter()
            try:
                provision_region(region=region, acting_user=None, first_admin=admin)
                created += 1
            except (DatabaseError, ValidationError) as exc:
                failed += 1
                self.stderr.write(f"{region}: {exc} (re-run the command to retry)")
            else:
                seconds.append((region.code, time.perf_counter() - started))
                if reconnect_every and created % reconnect_every == 0:
                    # Bound what one PostgreSQL backend accumulates (catalog caches of every
                    # schema it created) over hundreds of regions; reconnecting costs milliseconds.
                    if not connection.in_atomic_block:
                        connection.close()
        if timings:
            with timings.open("w", encoding="utf-8", newline="") as handle:
                csv_module.writer(handle).writerows(seconds)
        self.stdout.write(
            self.style.SUCCESS(
                f"{created} onboarded, {skipped} already on the platform, {failed} failed."
            )
        )
        if failed:
            raise CommandError(f"{failed} region(s) failed; re-run to retry them.")
