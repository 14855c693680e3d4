from django.core.management.base import BaseCommand

from marketplace import actions


class Command(BaseCommand):
    help = (
        "Expire published listings whose validity has ended and e-mail the owners of those "
        "about to expire (idempotent: never two reminders for one listing on one day). The "
        "scheduler runs it daily; this runs it by hand."
    )

    def handle(self, *args, **options):
        expired = actions.expire_listings()
        reminded = actions.send_expiry_reminders()
        self.stdout.write(f"Expired {len(expired)} listings; reminded {len(reminded)} owners.")
