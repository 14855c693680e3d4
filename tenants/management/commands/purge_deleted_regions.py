"""Drop the regions whose deletion grace period (JEJARING_DELETION_GRACE_DAYS) has passed."""

from django.core.management.base import BaseCommand

from tenants.region_lifecycle import purge_deleted_regions


class Command(BaseCommand):
    help = (
        "Purge every region deleted more than JEJARING_DELETION_GRACE_DAYS ago: its schema, "
        "domain, memberships, invitations, public portal page and files. A region whose final "
        "export is not ready is skipped (and named). Run it daily; running it again changes "
        "nothing."
    )

    def handle(self, *args, **options):
        purged, skipped = purge_deleted_regions()
        for schema in purged:
            self.stdout.write(f"Purged {schema}.")
        for schema, reason in skipped:
            self.stderr.write(f"Skipped {schema}: {reason}")
        self.stdout.write(f"{len(purged)} region(s) purged, {len(skipped)} skipped.")
