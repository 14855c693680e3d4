"""Delete tenant exports past their expiry (JEJARING_EXPORT_TTL_DAYS). Run daily; idempotent."""

from django.core.management.base import BaseCommand

from tenants.region_lifecycle import expire_exports


class Command(BaseCommand):
    help = (
        "Delete the files of tenant exports past their expiry and mark them expired, give up on "
        "exports a stopped worker left unfinished, and remove stray archives in EXPORT_ROOT as "
        "old as the TTL. The scheduler runs it daily (core/schedule.py); running it again changes"
        " nothing."
    )

    def handle(self, *args, **options):
        counts = expire_exports()
        self.stdout.write(
            f"Expired {counts['expired']} export(s), gave up on {counts['abandoned']} unfinished "
            f"one(s), removed {counts['orphans']} stray file(s)."
        )
